"""Threads against a fake Threads API: TEXT, IMAGE and CAROUSEL containers, status polling,
publish faults resolved by reading recent threads (never a double post), limits, counting."""

from __future__ import annotations

from datetime import datetime

import pytest

from plugins.crosspost import accounts, counting
from plugins.crosspost.channels import Account, Failed, RetryLater, Sent
from plugins.crosspost.channels.threads import Threads
from plugins.crosspost.story import ImageRef, Story
from tests.plugins.crosspost.conftest import deliveries
from tests.plugins.crosspost.fakes_meta import FakeThreads

STORY = Story(
    ref="post:8",
    title="Jalan Kalimalang ditutup sementara",
    summary="Penutupan berlaku Sabtu–Minggu untuk perbaikan jembatan.",
    url="https://warta.test/berita/kalimalang",
    kind="berita",
    published_at=datetime(2026, 11, 23, 3, 0),
)
FLAG_ID = "🇮🇩"


def picture(n: int, mime="image/png") -> ImageRef:
    return ImageRef(path=f"/nonexistent/{n}", mime=mime, alt=f"Foto {n}", url=f"https://warta.test/media/{n}.png")


def with_images(*images) -> Story:
    return Story(**{**STORY.__dict__, "image": images[0] if images else None, "images": tuple(images)})


@pytest.fixture
def fast(xapp):
    xapp.config["CROSSPOST_CONTAINER_POLL_SECONDS"] = 0
    xapp.config["CROSSPOST_HTTP_TIMEOUT"] = 2  # a busy test machine needs more than 0.5 s
    return xapp


@pytest.fixture
def threads():
    fake = FakeThreads().start()
    yield fake
    fake.stop()


def settings(fake) -> dict:
    return {"graph_base": fake.base, "user_id": fake.user, "access_token": fake.token}


def send(fake, story=STORY):
    channel = Threads()
    message = channel.build_message(story)
    return channel.send(message, Account(1, "Humas Threads", settings(fake)), "key-1"), message


def again(fake, message):
    return Threads().send(message, Account(1, "Humas Threads", settings(fake)), "key-1")


def container_posts(fake) -> list[dict]:
    return [r["form"] for r in fake.requests if r["method"] == "POST" and r["path"].endswith("/threads")]


# ------------------------------------------------------------------ happy paths


def test_text_post_with_the_link(fast, threads):
    outcome, _ = send(threads)
    (post,) = threads.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])
    assert post["media_type"] == "TEXT" and post["text"].endswith(STORY.url)
    (create,) = container_posts(threads)
    assert create["media_type"] == "TEXT" and create["access_token"] == threads.token
    assert threads.requests[0]["args"]["fields"] == "id,text,timestamp,permalink"


def test_image_post_png_accepted_with_alt_text(fast, threads):
    outcome, _ = send(threads, with_images(picture(1)))
    (post,) = threads.posts.values()
    assert isinstance(outcome, Sent) and post["media_type"] == "IMAGE"
    assert post["image_url"] == "https://warta.test/media/1.png" and post["alt_text"] == "Foto 1"


def test_carousel_of_items_then_the_carousel(fast, threads):
    outcome, _ = send(threads, with_images(picture(1), picture(2), picture(3)))
    (post,) = threads.posts.values()
    assert isinstance(outcome, Sent) and post["media_type"] == "CAROUSEL"
    assert post["children"] == [f"https://warta.test/media/{n}.png" for n in (1, 2, 3)]
    creates = container_posts(threads)
    assert [(c["media_type"], c.get("is_carousel_item")) for c in creates] == [("IMAGE", "true")] * 3 + [
        ("CAROUSEL", None)
    ]
    assert creates[-1]["text"].startswith(STORY.title)


def test_in_progress_then_finished(fast, threads):
    threads.statuses.extend(["IN_PROGRESS", "FINISHED"])
    outcome, _ = send(threads)
    assert isinstance(outcome, Sent) and len(threads.posts) == 1
    polls = [r for r in threads.requests if r["args"].get("fields") == "status,error_message"]
    assert len(polls) == 2


def test_error_status_fails_with_the_message(fast, threads):
    threads.statuses.append("ERROR")
    outcome, _ = send(threads, with_images(picture(1)))
    assert isinstance(outcome, Failed) and "Threads menolak media: UNKNOWN" in outcome.reason
    assert threads.publish_calls == 0


# ------------------------------------------------------------------ faults on publish


def test_500_after_publishing_is_found_in_recent_threads(fast, threads):
    threads.faults.append("500-after-save")
    outcome, message = send(threads)
    (post,) = threads.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])
    assert again(threads, message) == outcome and threads.publish_calls == 1


def test_timeout_after_publishing_is_resolved(fast, threads):
    threads.faults.append("timeout-after-save")
    outcome, _ = send(threads)
    (post,) = threads.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])


def test_lost_publish_is_retried_once(fast, threads):
    threads.lose_publishes = 1
    outcome, message = send(threads)
    assert isinstance(outcome, RetryLater) and outcome.maybe_sent and threads.posts == {}
    assert isinstance(again(threads, message), Sent) and len(threads.posts) == 1


def test_429_with_retry_after(fast, threads):
    threads.faults.append("429")
    outcome, _ = send(threads)
    assert isinstance(outcome, RetryLater) and outcome.delay == 7.0 and threads.posts == {}


def test_expired_token_asks_to_reconnect(fast, threads):
    threads.expire_token()
    outcome, _ = send(threads)
    assert isinstance(outcome, Failed) and "Hubungkan ulang akun" in outcome.reason


def test_published_release_through_the_outbox(fast, threads, make_post, publish):
    accounts.save(None, "threads", "Humas Threads", settings(threads))
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "sent" and row.remote_url.startswith("https://www.threads.net/@humaskota/post/")
    (thread,) = threads.posts.values()
    assert post.title in thread["text"] and thread["media_type"] == "TEXT"


def test_connection_shows_the_handle(fast, threads):
    assert Threads().test_connection(Account(1, "a", settings(threads))) == "@humaskota"


# ------------------------------------------------------------------ counting


def test_emoji_count_their_utf8_bytes():
    assert counting.threads_length("Merdeka!") == 8
    assert counting.threads_length(FLAG_ID) == 8
    assert counting.threads_length("👍🏽") == 8
    assert counting.threads_length("Pe\u0301mkot") == 6  # a combined letter is one


def test_limit_500_and_at_most_five_links():
    channel = Threads()
    assert channel.length_errors("a" * 500) == []
    assert "501 dari batas 500" in channel.length_errors("a" * 501)[0]
    assert "dari batas 500" in channel.length_errors(FLAG_ID * 63)[0]  # 63 flags = 504
    links = " ".join(f"https://warta.test/{n}" for n in range(6))
    assert any("paling banyak 5 tautan" in e for e in channel.length_errors(links))
    assert channel.length_errors(" ".join(f"https://warta.test/{n}" for n in range(5))) == []


def test_default_text_shortened_at_a_word_never_cutting_the_link():
    story = Story(**{**STORY.__dict__, "summary": "perbaikan " * 80})
    text = Threads().default_text(story)
    assert counting.threads_length(text) <= 500
    assert text.endswith("\n\n" + STORY.url) and text.startswith(STORY.title)
    body = text.split("\n\n")[1]
    assert body.endswith("perbaikan…") and set(body.rstrip("…").split()) == {"perbaikan"}
