"""Each channel against its fake: request shapes, answers, and every fault of the issue."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from plugins.crosspost.channels import Account, Failed, RetryLater, Sent, Unknown
from plugins.crosspost.channels.bluesky import Bluesky
from plugins.crosspost.channels.facebook import FacebookPage
from plugins.crosspost.channels.mastodon import Mastodon
from plugins.crosspost.channels.telegram import Telegram
from plugins.crosspost.channels.webhook import Webhook, verify
from plugins.crosspost.channels.x import X
from plugins.crosspost.story import ImageRef, Story
from tests.plugins.crosspost.conftest import settings_for
from tests.plugins.crosspost.fakes import free_port

STORY = Story(
    ref="post:7",
    title="Pemkot buka pendaftaran beasiswa 2026",
    summary="Pendaftaran dibuka 1–30 Desember <di kantor> kelurahan & kecamatan.",
    url="https://warta.test/siaran-pers/beasiswa-2026",
    kind="siaran-pers",
    categories=("Pendidikan",),
    published_at=datetime(2026, 11, 23, 3, 0),
)


def account(key, fake, **overrides):
    return Account(id=1, name="Humas", settings={**settings_for(key, fake), **overrides})


@pytest.fixture
def image(tmp_path):
    # A real JPEG: images are re-encoded before upload, and an unreadable one is left out.
    from PIL import Image

    path = tmp_path / "card.jpg"
    Image.new("RGB", (120, 63), "navy").save(path, "JPEG")
    return ImageRef(path=str(path), mime="image/jpeg", alt="Wali kota menyerahkan beasiswa")


# ------------------------------------------------------------------ Mastodon


def test_mastodon_posts_status_with_media_alt_text_and_idempotency_key(xapp, mastodon, image):
    channel = Mastodon()
    story = Story(**{**STORY.__dict__, "image": image})
    outcome = channel.send(channel.build_message(story), account("mastodon", mastodon), "key-1")
    assert isinstance(outcome, Sent) and outcome.url.startswith("https://mastodon.test/@humas/")
    (status,) = mastodon.posts.values()
    assert STORY.title in status["text"] and STORY.url in status["text"]
    assert list(mastodon.media.values())[0]["description"] == "Wali kota menyerahkan beasiswa"
    assert status["media_ids"] == list(mastodon.media)
    create = [r for r in mastodon.requests if r["path"] == "/api/v1/statuses"][0]
    assert create["headers"]["Idempotency-Key"] == "key-1"
    assert create["headers"]["Authorization"] == f"Bearer {mastodon.token}"


def test_mastodon_500_after_saving_then_retry_does_not_duplicate(xapp, mastodon):
    channel, acc = Mastodon(), account("mastodon", mastodon)
    message = channel.build_message(STORY)
    mastodon.faults.append("500-after-save")
    first = channel.send(message, acc, "key-2")
    assert isinstance(first, RetryLater)  # idempotent network: safe to retry
    second = channel.send(message, acc, "key-2")
    assert isinstance(second, Sent)
    assert len(mastodon.posts) == 1


def test_mastodon_timeout_and_malformed_reply_retry_with_same_key(xapp, mastodon):
    channel, acc = Mastodon(), account("mastodon", mastodon)
    message = channel.build_message(STORY)
    mastodon.faults.extend(["timeout-after-save", "malformed"])
    assert isinstance(channel.send(message, acc, "key-3"), RetryLater)
    assert isinstance(channel.send(message, acc, "key-3"), RetryLater)
    assert isinstance(channel.send(message, acc, "key-3"), Sent)
    assert len(mastodon.posts) == 1


def test_mastodon_wrong_token_fails_for_good_with_reason(xapp, mastodon):
    outcome = Mastodon().send(Mastodon().build_message(STORY), account("mastodon", mastodon, access_token="bad"), "k")
    assert isinstance(outcome, Failed)
    assert "401" in outcome.reason and "The access token is invalid" in outcome.reason


def test_mastodon_429_waits_as_told(xapp, mastodon):
    mastodon.faults.append("429")
    outcome = Mastodon().send(Mastodon().build_message(STORY), account("mastodon", mastodon), "k")
    assert outcome == RetryLater(7.0, outcome.reason)


def test_connection_refused_is_a_safe_retry_everywhere(xapp):
    dead = f"http://127.0.0.1:{free_port()}"
    cases = [
        (Mastodon(), {"base_url": dead, "access_token": "t"}),
        (Telegram(), {"api_base": dead, "bot_token": "t", "chat_id": "@x"}),
        (FacebookPage(), {"graph_base": dead, "page_id": "1", "page_token": "t"}),
        (X(), {"api_base": dead, "access_token": "t"}),
        (Webhook(), {"url": dead + "/h", "secret": "whsec_MTIz"}),
    ]
    for channel, settings in cases:
        outcome = channel.send(channel.build_message(STORY), Account(1, "a", settings), "k")
        assert isinstance(outcome, RetryLater), channel.key
        assert "terhubung" in outcome.reason


def test_mastodon_edit_and_delete(xapp, mastodon):
    channel, acc = Mastodon(), account("mastodon", mastodon)
    sent = channel.send(channel.build_message(STORY), acc, "k")
    fixed = channel.build_message(STORY, "Ralat: pendaftaran sampai 31 Desember " + STORY.url)
    assert isinstance(channel.update(sent.remote_id, fixed, acc, "k2"), Sent)
    assert mastodon.posts[sent.remote_id]["text"].startswith("Ralat:")
    assert isinstance(channel.delete(sent.remote_id, acc, "k3"), Sent)
    assert mastodon.posts == {}


# ------------------------------------------------------------------ Telegram


def test_telegram_sends_html_with_escaping_and_link(xapp, telegram):
    channel = Telegram()
    outcome = channel.send(channel.build_message(STORY), account("telegram", telegram), "k")
    assert outcome == Sent(outcome.remote_id, f"https://t.me/humaskota/{outcome.remote_id}")
    (post,) = telegram.posts.values()
    assert post["text"].startswith(f"<b>{STORY.title}</b>")
    assert "&lt;di kantor&gt; kelurahan &amp; kecamatan" in post["text"]
    assert post["visible"].startswith(STORY.title) and "<di kantor>" in post["visible"]
    request = [r for r in telegram.requests if r["path"].endswith("/sendMessage")][0]
    assert json.loads(request["body"])["parse_mode"] == "HTML"


def test_telegram_photo_caption_limit_is_1024(xapp, telegram, image):
    channel = Telegram()
    story = Story(**{**STORY.__dict__, "image": image, "summary": "kata " * 400})
    message = channel.build_message(story)
    assert channel.limit(message) == 1024 and channel.count(message.text) <= 1024
    assert message.text.endswith(STORY.url) and "…" in message.text  # shortened at a word
    outcome = channel.send(message, account("telegram", telegram), "k")
    assert isinstance(outcome, Sent)
    (post,) = telegram.posts.values()
    assert post["method"] == "sendPhoto"
    assert channel.length_errors("x" * 1100, message)  # a typed caption is blocked, not cut


def test_telegram_retry_after_and_wrong_token(xapp, telegram):
    channel = Telegram()
    telegram.faults.append("429")
    outcome = channel.send(channel.build_message(STORY), account("telegram", telegram), "k")
    assert isinstance(outcome, RetryLater) and outcome.delay == 7
    bad = channel.send(channel.build_message(STORY), account("telegram", telegram, bot_token="nope"), "k")
    assert isinstance(bad, Failed) and "Unauthorized" in bad.reason


@pytest.mark.parametrize("fault", ["500-after-save", "timeout-after-save", "malformed"])
def test_telegram_unclear_outcomes_are_unknown_not_retried(xapp, telegram, fault):
    telegram.faults.append(fault)
    outcome = Telegram().send(Telegram().build_message(STORY), account("telegram", telegram), "k")
    assert isinstance(outcome, Unknown)
    assert "periksa" in outcome.reason
    assert len(telegram.posts) == 1  # the network did save it: a blind retry would duplicate


# ------------------------------------------------------------------ Bluesky


def test_bluesky_creates_record_with_facets_images_and_client_rkey(xapp, bluesky, image):
    channel = Bluesky()
    story = Story(**{**STORY.__dict__, "image": image})
    acc = account("bluesky", bluesky)
    outcome = channel.send(channel.build_message(story), acc, "key-b")
    assert isinstance(outcome, Sent)
    (rkey,) = bluesky.posts
    assert outcome.remote_id == f"at://{bluesky.did}/app.bsky.feed.post/{rkey}"
    assert outcome.url == f"https://bsky.app/profile/{bluesky.handle}/post/{rkey}"
    record = bluesky.posts[rkey]["record"]
    assert record["$type"] == "app.bsky.feed.post" and record["createdAt"].endswith("Z")
    assert record["facets"][0]["features"][0]["uri"] == STORY.url
    (embedded,) = record["embed"]["images"]  # an image post; the link stays in the text (facet)
    assert embedded["alt"] == image.alt and embedded["aspectRatio"] == {"width": 120, "height": 63}
    assert len(rkey) == 13 and acc.state["did"] == bluesky.did


def test_bluesky_without_images_embeds_a_link_card(xapp, bluesky):
    channel = Bluesky()
    assert isinstance(channel.send(channel.build_message(STORY), account("bluesky", bluesky), "k"), Sent)
    (post,) = bluesky.posts.values()
    card = post["record"]["embed"]["external"]
    assert card["uri"] == STORY.url and card["title"] == STORY.title and "thumb" not in card


def test_bluesky_duplicate_rkey_after_500_reads_the_record_back(xapp, bluesky):
    channel, acc = Bluesky(), account("bluesky", bluesky)
    message = channel.build_message(STORY)
    bluesky.duplicate_status = 500  # like some PDSes do on a duplicate rkey
    bluesky.faults.append("500-after-save")
    first = channel.send(message, acc, "key-d")
    assert isinstance(first, Sent)  # found by getRecord, not re-created
    assert isinstance(channel.send(message, acc, "key-d"), Sent)
    assert len(bluesky.posts) == 1


def test_bluesky_refreshes_an_expired_session_instead_of_logging_in(xapp, bluesky):
    channel, acc = Bluesky(), account("bluesky", bluesky)
    channel.send(channel.build_message(STORY), acc, "k1")
    bluesky.expire_sessions()
    assert isinstance(channel.send(channel.build_message(STORY), acc, "k2"), Sent)
    assert bluesky.sessions == 2
    assert [r["path"] for r in bluesky.requests].count("/xrpc/com.atproto.server.createSession") == 1
    assert len(bluesky.posts) == 2


def test_bluesky_wrong_app_password_fails(xapp, bluesky):
    outcome = Bluesky().send(Bluesky().build_message(STORY), account("bluesky", bluesky, app_password="x"), "k")
    assert isinstance(outcome, Failed) and "Invalid identifier or password" in outcome.reason


def test_bluesky_limit_is_300_graphemes_and_3000_bytes():
    channel = Bluesky()
    assert not channel.length_errors("🇮🇩" * 300)
    assert channel.length_errors("🇮🇩" * 301)
    assert any("bita" in e for e in channel.length_errors("👨\u200d❤\ufe0f\u200d👨" * 160))


# ------------------------------------------------------------------ Facebook


def test_facebook_posts_message_and_link(xapp, facebook):
    outcome = FacebookPage().send(FacebookPage().build_message(STORY), account("facebook", facebook), "k")
    assert outcome == Sent(outcome.remote_id, f"https://www.facebook.com/{outcome.remote_id}")
    (post,) = facebook.posts.values()
    assert post["link"] == STORY.url and STORY.title in post["message"]


@pytest.mark.parametrize(
    "fault,kind",
    [
        ("401", Failed),
        ("429", RetryLater),
        ("500-after-save", Unknown),
        ("timeout-after-save", Unknown),
        ("malformed", Unknown),
    ],
)
def test_facebook_faults(xapp, facebook, fault, kind):
    facebook.faults.append(fault)
    outcome = FacebookPage().send(FacebookPage().build_message(STORY), account("facebook", facebook), "k")
    assert isinstance(outcome, kind), outcome
    if fault == "401":
        assert "190" in outcome.reason


# ------------------------------------------------------------------ X


def test_x_posts_tweet_and_links_it(xapp, xfake):
    outcome = X().send(X().build_message(STORY), account("x", xfake), "k")
    assert outcome.url == f"https://x.com/humaskota/status/{outcome.remote_id}"
    assert X().count(X().build_message(STORY).text) <= 280


@pytest.mark.parametrize(
    "fault,kind",
    [("401", Failed), ("500-after-save", Unknown), ("timeout-after-save", Unknown), ("malformed", Unknown)],
)
def test_x_faults(xapp, xfake, fault, kind):
    xfake.faults.append(fault)
    assert isinstance(X().send(X().build_message(STORY), account("x", xfake), "k"), kind)


def test_x_429_waits_until_reset_header(xapp, xfake):
    xfake.faults.append("429")
    outcome = X().send(X().build_message(STORY), account("x", xfake), "k")
    assert isinstance(outcome, RetryLater) and outcome.delay > 3600


# ------------------------------------------------------------------ Webhook


def test_webhook_is_signed_per_standard_webhooks(xapp, receiver):
    outcome = Webhook().send(Webhook().build_message(STORY), account("webhook", receiver), "warta-abc")
    assert outcome == Sent("warta-abc")
    assert receiver.bad_signatures == 0
    event = receiver.posts["warta-abc"]
    assert event["type"] == "story.published" and event["data"]["url"] == STORY.url
    request = receiver.requests[0]
    assert verify(receiver.secret, {k.lower(): v for k, v in request["headers"].items()}, request["body"])


def test_webhook_retries_reuse_the_id_so_receiver_dedupes(xapp, receiver):
    channel, acc = Webhook(), account("webhook", receiver)
    receiver.faults.append("500-after-save")
    assert isinstance(channel.send(channel.build_message(STORY), acc, "warta-x"), RetryLater)
    assert isinstance(channel.send(channel.build_message(STORY), acc, "warta-x"), Sent)
    assert len(receiver.posts) == 1
    ids = {r["headers"]["Webhook-Id"] for r in receiver.requests}
    assert ids == {"warta-x"}


def test_webhook_wrong_secret_is_refused(xapp, receiver):
    outcome = Webhook().send(Webhook().build_message(STORY), account("webhook", receiver, secret="whsec_d3Jvbmc="), "k")
    assert isinstance(outcome, Failed) and "400" in outcome.reason


def test_429_without_retry_after_uses_the_ratelimit_reset_headers(xapp):
    import time

    import httpx
    import time_machine

    from plugins.crosspost.http import Reply

    with time_machine.travel(datetime(2026, 11, 23, 3, 0, 0), tick=False):
        mastodon_reset = httpx.Headers({"X-RateLimit-Reset": "2026-11-23T03:05:00.000Z"})
        assert Mastodon().http_outcome(Reply(429, mastodon_reset, b"{}"), "limit").delay == 300
        bluesky_reset = httpx.Headers({"RateLimit-Reset": str(int(time.time()) + 120)})
        assert Reply(429, bluesky_reset, b"{}").retry_after() == 120
        assert Reply(429, httpx.Headers({"Retry-After": "Mon, 23 Nov 2026 03:00:30 GMT"}), b"").retry_after() == 30
        assert Reply(429, httpx.Headers({}), b"").retry_after() is None


def test_tokens_never_reach_the_logs(xapp, telegram, facebook, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    Telegram().send(Telegram().build_message(STORY), account("telegram", telegram), "k")
    FacebookPage().send(FacebookPage().build_message(STORY), account("facebook", facebook), "k")
    FacebookPage().test_connection(account("facebook", facebook))
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert "sendMessage" in ours  # the request was logged (the fakes' own logs aside) ...
    assert telegram.token not in ours and facebook.token not in ours  # ... without secrets
