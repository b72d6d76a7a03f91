"""Instagram against a fake Graph API: containers, carousels, status polling, publish faults
resolved by reading recent media (never a double post), rate limits, expired tokens, captions."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from cms.extensions import db
from plugins.crosspost import accounts, actions, counting, outbox
from plugins.crosspost.channels import Account, Failed, RetryLater, Sent, Skipped
from plugins.crosspost.channels.instagram import Instagram
from plugins.crosspost.story import ImageRef, Story
from tests.plugins.crosspost.conftest import deliveries, now
from tests.plugins.crosspost.fakes_meta import FakeInstagram

STORY = Story(
    ref="post:7",
    title="Pemkot buka pendaftaran beasiswa 2026",
    summary="Pendaftaran dibuka 1–30 Desember di kantor kelurahan dan kecamatan.",
    url="https://warta.test/siaran-pers/beasiswa-2026",
    kind="siaran-pers",
    published_at=datetime(2026, 11, 23, 3, 0),
)


def picture(n: int, mime="image/jpeg") -> ImageRef:
    ext = "jpg" if mime == "image/jpeg" else "png"
    return ImageRef(
        path=f"/nonexistent/{n}.{ext}", mime=mime, alt=f"Foto {n}", url=f"https://warta.test/media/foto-{n}.{ext}"
    )


def with_images(*images) -> Story:
    return Story(**{**STORY.__dict__, "image": images[0] if images else None, "images": tuple(images)})


@pytest.fixture
def fast(xapp):
    xapp.config["CROSSPOST_CONTAINER_POLL_SECONDS"] = 0  # the fake needs no processing time
    xapp.config["CROSSPOST_HTTP_TIMEOUT"] = 2  # a busy test machine needs more than 0.5 s
    return xapp


@pytest.fixture
def ig():
    fake = FakeInstagram().start()
    yield fake
    fake.stop()


def ig_settings(fake, **extra) -> dict:
    return {"graph_base": fake.base, "user_id": fake.user, "access_token": fake.token, **extra}


def account(fake, **extra) -> Account:
    return Account(id=1, name="Humas IG", settings=ig_settings(fake, **extra))


def send(fake, story=None, **extra):
    channel = Instagram()
    message = channel.build_message(story or with_images(picture(1)), settings=extra)
    return channel.send(message, account(fake, **extra), "key-1"), message


# ------------------------------------------------------------------ happy paths


def test_single_image_post_has_caption_with_where_to_read_and_alt_text(fast, ig):
    outcome, _ = send(ig)
    assert isinstance(outcome, Sent)
    (post,) = ig.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])
    assert post["caption"].startswith(STORY.title)
    assert post["caption"].endswith(f"Baca selengkapnya: {STORY.url}")
    assert post["image_url"] == "https://warta.test/media/foto-1.jpg" and post["alt_text"] == "Foto 1"
    assert ig.publish_calls == 1
    # The account's recent media was read before anything was created.
    first = ig.requests[0]
    assert first["method"] == "GET" and first["path"].endswith(f"/{ig.user}/media")
    assert first["args"]["fields"] == "id,caption,timestamp,permalink"


def test_carousel_items_then_carousel_container_jpeg_only(fast, ig):
    story = with_images(picture(1), picture(2, "image/png"), picture(3), picture(4))
    outcome, _ = send(ig, story)
    assert isinstance(outcome, Sent)
    (post,) = ig.posts.values()
    assert post["media_type"] == "CAROUSEL"
    assert post["children"] == [f"https://warta.test/media/foto-{n}.jpg" for n in (1, 3, 4)]
    creates = [r["form"] for r in ig.requests if r["method"] == "POST" and r["path"].endswith("/media")]
    assert [c.get("is_carousel_item") for c in creates] == ["true", "true", "true", None]
    assert creates[-1]["media_type"] == "CAROUSEL" and "caption" not in creates[0]
    assert creates[-1]["caption"].startswith(STORY.title)


def test_container_in_progress_is_polled_until_finished(fast, ig):
    ig.statuses.extend(["IN_PROGRESS", "IN_PROGRESS", "FINISHED"])
    outcome, _ = send(ig)
    assert isinstance(outcome, Sent) and len(ig.posts) == 1
    polls = [r for r in ig.requests if r["method"] == "GET" and r["args"].get("fields") == "status_code,status"]
    assert len(polls) == 3


def test_container_still_in_progress_after_the_polls_retries_without_publishing(fast, ig):
    fast.config["CROSSPOST_CONTAINER_POLLS"] = 2
    ig.statuses.extend(["IN_PROGRESS"] * 5)
    outcome, _ = send(ig)
    assert isinstance(outcome, RetryLater) and "belum selesai" in outcome.reason
    assert ig.publish_calls == 0 and ig.posts == {}


def test_container_error_fails_with_the_reason_and_publishes_nothing(fast, ig):
    ig.statuses.append("ERROR")
    outcome, _ = send(ig)
    assert isinstance(outcome, Failed)
    assert "Instagram menolak media" in outcome.reason and "2207026" in outcome.reason
    assert ig.publish_calls == 0 and ig.posts == {}


def test_publish_answered_not_ready_is_retried_not_failed(fast, ig):
    ig.not_ready = 1
    outcome, message = send(ig)
    assert isinstance(outcome, RetryLater) and "belum siap" in outcome.reason and ig.posts == {}
    assert isinstance(Instagram().send(message, account(ig), "key-1"), Sent) and len(ig.posts) == 1


# ------------------------------------------------------------------ faults on publish


def test_500_after_publishing_is_resolved_from_recent_media_no_second_post(fast, ig):
    ig.faults.append("500-after-save")
    outcome, message = send(ig)
    (post,) = ig.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])
    # A later retry of the same delivery (e.g. a person presses "Kirim ulang") finds it too.
    again = Instagram().send(message, account(ig), "key-1")
    assert again == outcome and ig.publish_calls == 1 and len(ig.posts) == 1


def test_timeout_after_publishing_is_resolved_as_sent(fast, ig):
    ig.faults.append("timeout-after-save")
    outcome, _ = send(ig)
    (post,) = ig.posts.values()
    assert outcome == Sent(post["id"], post["permalink"])
    assert ig.publish_calls == 1


def test_timeout_when_the_publish_was_lost_retries_and_posts_once(fast, ig):
    ig.lose_publishes = 1
    outcome, message = send(ig)
    assert isinstance(outcome, RetryLater) and outcome.maybe_sent
    assert "tidak ditemukan" in outcome.reason and outcome.delay >= 60
    assert ig.posts == {}
    again = Instagram().send(message, account(ig), "key-1")
    assert isinstance(again, Sent) and len(ig.posts) == 1


def test_a_failed_lookup_never_publishes_blind(fast, ig):
    ig.faults.append("500-after-save")
    ig.list_faults.extend(["ok", "500", "500"])  # the reads after the 500 fail too
    outcome, message = send(ig)
    assert isinstance(outcome, RetryLater) and outcome.maybe_sent
    assert "belum dapat diperiksa" in outcome.reason
    again = Instagram().send(message, account(ig), "key-1")
    assert isinstance(again, RetryLater) and ig.publish_calls == 1  # no lookup, no publish
    third = Instagram().send(message, account(ig), "key-1")
    (post,) = ig.posts.values()
    assert third == Sent(post["id"], post["permalink"]) and ig.publish_calls == 1


def test_an_older_post_with_the_same_caption_is_not_this_delivery(fast, ig):
    """e.g. the same custom "Info lengkap di bio" used for an earlier release."""
    channel = Instagram()
    message = channel.build_message(with_images(picture(1)), "Info lengkap di bio.")
    old = ig.seed("Info lengkap di bio.", when=datetime(2026, 10, 1, tzinfo=UTC))
    outcome = channel.send(message, account(ig), "key-1")
    assert isinstance(outcome, Sent) and outcome.remote_id != old
    assert len(ig.posts) == 2 and ig.publish_calls == 1


def test_429_waits_as_told_and_nothing_is_published(fast, ig):
    ig.faults.append("429")
    outcome, message = send(ig)
    assert isinstance(outcome, RetryLater) and outcome.delay == 7.0 and not outcome.maybe_sent
    assert ig.posts == {}
    assert isinstance(Instagram().send(message, account(ig), "key-1"), Sent) and len(ig.posts) == 1


def test_expired_token_fails_telling_to_reconnect(fast, ig):
    ig.expire_token()
    outcome, _ = send(ig)
    assert isinstance(outcome, Failed)
    assert "kode 190" in outcome.reason and "Hubungkan ulang akun" in outcome.reason


# ------------------------------------------------------------------ through the outbox


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return out.getvalue()


def _post_with_image(xapp, make_post):
    from cms.newsroom import media

    with xapp.test_request_context():
        lead = media.save_image_bytes(_jpeg(), "utama.jpg", alt="Wali kota meresmikan taman")
        db.session.flush()
        return make_post(featured_image_id=lead.id)


def test_published_release_goes_out_and_the_sweep_never_reposts(fast, ig, make_post, publish):
    accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    post = publish(_post_with_image(fast, make_post))
    (row,) = deliveries(post_id=post.id)
    assert row.status == "sent" and row.remote_url.startswith("https://www.instagram.com/p/")
    (ig_post,) = ig.posts.values()
    assert ig_post["image_url"].startswith("http://warta.test/media/")
    assert ig_post["alt_text"] == "Wali kota meresmikan taman"
    outbox.sweep()
    assert len(ig.posts) == 1


def test_release_without_image_is_skipped_with_a_reason(fast, ig, make_post, publish):
    accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "skipped" and "memerlukan gambar" in row.last_error
    assert ig.requests == []


def test_release_without_image_uses_the_default_image_when_set(fast, ig, make_post, publish):
    accounts.save(
        None, "instagram", "Humas IG", ig_settings(ig, default_image_url="https://warta.test/static/logo-humas.jpg")
    )
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "sent"
    (ig_post,) = ig.posts.values()
    assert ig_post["image_url"] == "https://warta.test/static/logo-humas.jpg"


def test_expired_token_holds_the_deliveries_until_reconnected(fast, ig, make_post, publish):
    """Code 190 marks the account; its deliveries wait (not fail) and go out once a new token is saved."""
    from plugins.crosspost.models import CrosspostAccount

    row_account = accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    ig.expire_token()
    first = publish(_post_with_image(fast, make_post))
    (row,) = deliveries(post_id=first.id)
    assert row.status == "pending" and "Hubungkan ulang akun" in row.last_error
    assert "menunggu sampai akun dihubungkan ulang" in row.last_error
    account = db.session.get(CrosspostAccount, row_account.id)
    assert account.reconnect_since is not None and "kode 190" in account.reconnect_reason
    # A second release while the token is dead does not even reach the network.
    calls = len(ig.requests)
    second = publish(_post_with_image(fast, make_post))
    (held,) = deliveries(post_id=second.id)
    assert held.status == "pending" and len(ig.requests) == calls
    # The admin makes a new token and saves it: both deliveries go out by themselves.
    ig.token_expired, ig.token = False, "fresh-token"
    accounts.save(row_account, "instagram", "Humas IG", ig_settings(ig))
    db.session.expire_all()
    assert [r.status for r in deliveries()] == ["sent", "sent"] and len(ig.posts) == 2
    assert db.session.get(CrosspostAccount, row_account.id).reconnect_since is None


def test_saving_an_account_without_a_new_token_keeps_it_waiting(fast, ig, make_post, publish):
    row_account = accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    ig.expire_token()
    publish(_post_with_image(fast, make_post))
    accounts.save(row_account, "instagram", "Humas IG baru", {**ig_settings(ig), "access_token": ""})
    (row,) = deliveries()
    assert row.status == "pending" and row_account.reconnect_since is not None and ig.posts == {}


def test_worker_killed_after_publishing_is_recovered_without_a_second_post(fast, ig, make_post, publish):
    """A row left in "sending" goes back to retry (the lookup makes that safe) and is found."""
    from plugins.crosspost import delivery

    accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    ig.faults.append("429")  # the first attempt waits: the row stays in the outbox
    post = publish(_post_with_image(fast, make_post))
    (row,) = deliveries(post_id=post.id)
    assert row.status == "retry" and ig.posts == {}
    # A worker claimed it, published, and died before recording: the post is on the account.
    ig.seed(delivery._message(row, Instagram()).text)
    row.status, row.claimed_at = "sending", now() - timedelta(hours=1)
    row.next_attempt_at = now()
    db.session.commit()
    outbox.sweep()
    db.session.refresh(row)
    assert row.status == "sent" and len(ig.posts) == 1 and ig.publish_calls == 0  # found, not re-published


# ------------------------------------------------------------------ counting and preview


def test_caption_counts_emoji_as_two_and_allows_2200():
    channel = Instagram()
    assert channel.count("Selamat 🇮🇩") == len("Selamat ") + 4
    assert channel.length_errors("a" * 2200) == []
    assert "2201 dari batas 2200" in channel.length_errors("a" * 2201)[0]


def test_at_most_30_hashtags_not_counting_url_fragments():
    channel = Instagram()
    ok = " ".join(f"#tag{n}" for n in range(30)) + " https://warta.test/a#bagian"
    assert len(counting.hashtags(ok)) == 30 and channel.length_errors(ok) == []
    (error,) = channel.length_errors(ok + " #satu-lagi")
    assert "paling banyak 30 tagar" in error and "31" in error


def test_long_default_caption_is_shortened_at_a_word_and_keeps_the_link_line():
    story = Story(**{**STORY.__dict__, "summary": "kata " * 600})
    text = Instagram().default_text(story)
    assert Instagram().count(text) <= 2200
    assert text.endswith(f"Baca selengkapnya: {STORY.url}")
    body = text.split("\n\n")[1]
    assert body.endswith("kata…") and set(body.rstrip("…").split()) == {"kata"}


def test_link_in_bio_setting_changes_the_caption_and_the_preview(fast, ig, make_post):
    row = accounts.save(None, "instagram", "Humas IG", ig_settings(ig, link_mode="bio"))
    post = _post_with_image(fast, make_post)
    (item,) = [i for i in actions.plan_for_post(post) if i["account"].id == row.id]
    assert item["message"].text.endswith("Baca selengkapnya lewat tautan di bio.")
    assert "https://" not in item["message"].text and item["limit"] == 2200


def test_preview_warns_that_a_release_without_image_will_be_skipped(fast, ig, make_post):
    from cms import accounts as users
    from tests.conftest import PASSWORD

    accounts.save(None, "instagram", "Humas IG", ig_settings(ig))
    post = make_post()
    client = fast.test_client()
    user = users.create_user("editor-preview@warta.test", "editor", PASSWORD)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    html = client.get(f"/admin/crosspost/posts/{post.id}").get_data(as_text=True)
    assert (
        "Instagram memerlukan gambar dan rilis ini tidak punya gambar. Tanpa gambar, pengiriman "
        "ke akun ini dilewati." in html
    )
    with_image = _post_with_image(fast, make_post)
    assert "Tanpa gambar" not in client.get(f"/admin/crosspost/posts/{with_image.id}").get_data(as_text=True)


def test_counter_endpoint_for_instagram(fast):
    from cms import accounts as users
    from tests.conftest import PASSWORD

    client = fast.test_client()
    user = users.create_user("editor-ig@warta.test", "editor", PASSWORD)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    tags = " ".join(f"#t{n}" for n in range(31))
    answer = client.post("/admin/crosspost/count", json={"channel": "instagram", "text": tags}).get_json()
    assert answer["limit"] == 2200 and "paling banyak 30 tagar" in answer["errors"][0]


def test_skipped_is_an_outcome_channels_can_return(fast, ig):
    outcome = Instagram().send(Instagram().build_message(STORY), account(ig), "k")
    assert isinstance(outcome, Skipped) and "memerlukan gambar" in outcome.reason


def test_account_form_refuses_an_unknown_link_mode_naming_the_field(fast):
    from sqlalchemy import select

    from cms import accounts as users
    from plugins.crosspost.models import CrosspostAccount
    from tests.conftest import PASSWORD

    client = fast.test_client()
    admin = users.create_user("admin-ig@warta.test", "admin", PASSWORD)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    response = client.post(
        "/admin/crosspost/accounts/new/instagram",
        data={"name": "Humas IG", "s_user_id": "1784", "s_access_token": "t", "s_link_mode": "profil"},
    )
    assert response.status_code == 400
    assert "Letak tautan: pilih salah satu dari caption, bio." in response.get_data(as_text=True)
    assert db.session.scalar(select(CrosspostAccount)) is None
