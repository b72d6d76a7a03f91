"""The LINE channel against a real local HTTP server (warta_http records requests)."""

import uuid

from warta_line.channel import LineChannel

from plugins.crosspost import channels
from plugins.crosspost.channels import Account, RetryLater, Sent
from plugins.crosspost.story import ImageRef, Story

STORY = Story(
    ref="post:1",
    title="Pemkot buka pendaftaran beasiswa",
    url="https://warta.test/siaran-pers/beasiswa",
    summary="Pendaftaran dibuka 1–30 Desember.",
    image=ImageRef(path="/dev/null", mime="image/jpeg", alt="Wali kota", url="https://warta.test/media/a.jpg"),
)
BROADCAST = "/v2/bot/message/broadcast"


def account(url):
    return Account(id=1, name="Humas", settings={"api_base": url, "access_token": "rahasia"})


def test_channel_is_offered(warta_app):
    assert channels.available()["line"] is LineChannel


def test_broadcast_sends_text_and_image_with_a_retry_key(warta_app, warta_http):
    warta_http.reply(BROADCAST, 200, {}, headers={"X-Line-Request-Id": "req-1"})
    channel = LineChannel()
    outcome = channel.send(channel.build_message(STORY), account(warta_http.url), "warta-1")
    assert outcome == Sent("req-1")
    sent = warta_http.last(BROADCAST)
    assert sent.headers["authorization"] == "Bearer rahasia"
    assert sent.headers["x-line-retry-key"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "warta:warta-1"))
    text, image = sent.json()["messages"]
    assert STORY.title in text["text"] and STORY.url in text["text"]
    assert image == {"type": "image", "originalContentUrl": STORY.image.url, "previewImageUrl": STORY.image.url}


def test_a_repeated_retry_key_counts_as_sent(warta_app, warta_http):
    warta_http.reply(BROADCAST, 409, {"message": "The retry key is already accepted"})
    channel = LineChannel()
    assert isinstance(channel.send(channel.build_message(STORY), account(warta_http.url), "warta-1"), Sent)


def test_rate_limit_means_retry_later(warta_app, warta_http):
    warta_http.reply(BROADCAST, 429, {"message": "Too Many Requests"}, headers={"Retry-After": "30"})
    channel = LineChannel()
    assert isinstance(channel.send(channel.build_message(STORY), account(warta_http.url), "warta-2"), RetryLater)
