"""Outbox and worker: publication → deliveries → networks, retries, corrections, no double posts."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from cms.extensions import db
from cms.plugins import hook, notify
from plugins.crosspost import delivery, outbox
from plugins.crosspost import rows as outbox_rows
from plugins.crosspost.channels import bundled
from plugins.crosspost.models import CrosspostDelivery
from tests.plugins.crosspost.conftest import deliveries, now


def test_hook_cms_crosspost_channels(xapp):
    keys = [cls.key for result in hook().cms_crosspost_channels() for cls in result]
    assert keys == ["mastodon", "telegram", "bluesky", "facebook", "x", "webhook", "instagram", "threads"]
    assert all(cls.settings and cls.label for cls in bundled())


def test_crosspost_on_post_published(xapp, mastodon, telegram, bluesky, make_post, publish, add_account):
    for key, fake in (("mastodon", mastodon), ("telegram", telegram), ("bluesky", bluesky)):
        add_account(key, fake)
    post = publish(make_post())
    rows = deliveries(post_id=post.id)
    assert [r.status for r in rows] == ["sent"] * 3
    assert {r.account.channel for r in rows} == {"mastodon", "telegram", "bluesky"}
    assert all(r.remote_url and r.attempts == 1 and r.revision == post.version for r in rows)
    assert len(mastodon.posts) == len(telegram.posts) == len(bluesky.posts) == 1
    assert post.title in list(mastodon.posts.values())[0]["text"]
    # The event firing twice (or the sweep) never creates a second post.
    notify("cms_post_published", post=post)
    outbox.sweep()
    assert len(deliveries(post_id=post.id)) == 3 and len(mastodon.posts) == 1


def test_defaults_per_kind_and_category(xapp, mastodon, telegram, make_post, publish, add_account):
    add_account("mastodon", mastodon, default_kinds="siaran-pers")
    add_account("telegram", telegram, default_categories="kesehatan")
    release = publish(make_post(kind="siaran-pers", categories=["pendidikan"]))
    news = publish(make_post(kind="berita", categories=["kesehatan"]))
    assert [r.account.channel for r in deliveries(post_id=release.id)] == ["mastodon"]
    assert [r.account.channel for r in deliveries(post_id=news.id)] == ["telegram"]


def test_never_sent_before_the_embargo_lifts(xapp, mastodon, make_post, add_account):
    add_account("mastodon", mastodon)
    lift = now() + timedelta(hours=2)
    post = make_post(status="published", published_at=now(), embargo_until=lift)
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    assert row.status == "pending" and row.next_attempt_at == lift
    assert delivery.deliver(row.id) == "not-claimed"  # a worker handed it early does nothing
    assert mastodon.posts == {}
    with time_machine.travel(lift + timedelta(minutes=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "sent" and len(mastodon.posts) == 1


def test_429_waits_as_told_then_the_sweep_sends(xapp, telegram, make_post, publish, add_account):
    add_account("telegram", telegram)
    telegram.faults.append("429")
    start = now()
    with time_machine.travel(start, tick=False):
        post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "retry" and row.next_attempt_at == start + timedelta(seconds=7)
    assert "Too Many Requests" in row.last_error
    with time_machine.travel(start + timedelta(seconds=8), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 2 and len(telegram.posts) == 1


def test_backoff_grows_and_gives_up_after_max_attempts(xapp, mastodon, make_post, publish, add_account):
    xapp.config["CROSSPOST_MAX_ATTEMPTS"] = 3
    add_account("mastodon", mastodon)
    mastodon.faults.extend(["500", "500", "500"])
    start = now()
    with time_machine.travel(start, tick=False):
        post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    first_wait = (row.next_attempt_at - start).total_seconds()
    assert 27 <= first_wait <= 33
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    second_wait = (row.next_attempt_at - now()).total_seconds()
    assert row.status == "retry" and second_wait >= 54 - 40
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "failed" and "3 percobaan" in row.last_error and mastodon.posts == {}


def test_wrong_token_holds_the_delivery_without_retries(xapp, mastodon, make_post, publish, add_account):
    """A refused token is a person's job: no retries hit the network, the delivery waits for it."""
    account = add_account("mastodon", mastodon)
    from plugins.crosspost import accounts

    accounts.save(account, "mastodon", account.name, {"base_url": mastodon.url, "access_token": "salah"})
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "pending" and row.attempts == 1 and "Periksa token" in row.last_error
    assert account.reconnect_since is not None
    calls = len(mastodon.requests)
    with time_machine.travel(now() + timedelta(days=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.attempts == 1 and row.status == "pending" and len(mastodon.requests) == calls
    accounts.save(account, "mastodon", account.name, {"base_url": mastodon.url, "access_token": mastodon.token})
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 2 and len(mastodon.posts) == 1


def test_timeout_on_network_without_idempotency_is_unknown_and_not_resent(xapp, xfake, make_post, publish, add_account):
    add_account("x", xfake)
    xfake.faults.append("timeout-after-save")
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "unknown" and "periksa" in row.last_error
    with time_machine.travel(now() + timedelta(days=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "unknown" and len(xfake.posts) == 1


def test_claim_lets_only_one_worker_send(xapp, mastodon, make_post, add_account):
    add_account("mastodon", mastodon)
    post = make_post(status="published", published_at=now() + timedelta(hours=1))
    outbox.on_published(post)  # scheduled for later: nothing ran inline
    (row,) = deliveries(post_id=post.id)
    with time_machine.travel(now() + timedelta(hours=2), tick=False):
        assert delivery.claim(row.id, now()) is True
        assert delivery.claim(row.id, now()) is False  # the second worker loses
        assert delivery.deliver(row.id) == "not-claimed"
    assert mastodon.posts == {}


def test_post_deleted_before_delivery_cancels_it(xapp, mastodon, make_post, add_account):
    add_account("mastodon", mastodon)
    post = make_post(status="published", published_at=now() + timedelta(minutes=5))
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    db.session.delete(post)
    db.session.commit()
    with time_machine.travel(now() + timedelta(minutes=6), tick=False):
        assert delivery.deliver(row.id) == "cancelled"
    db.session.refresh(row)
    assert "dihapus" in row.last_error and mastodon.posts == {}


def test_crosspost_on_post_updated(xapp, mastodon, xfake, make_post, publish, add_account, editor):
    add_account("mastodon", mastodon)
    add_account("x", xfake)
    post = publish(make_post())
    post.title = "Ralat: pendaftaran beasiswa diperpanjang"
    post.version += 1
    db.session.commit()
    notify("cms_post_updated", post=post)
    updates = deliveries(post_id=post.id, action="update")
    by_channel = {r.account.channel: r for r in updates}
    assert by_channel["mastodon"].status == "sent"
    assert list(mastodon.posts.values())[0]["text"].startswith("Ralat:")
    assert by_channel["x"].status == "skipped" and "manual" in by_channel["x"].last_error
    assert len(xfake.posts) == 1


def test_crosspost_on_post_unpublished(xapp, mastodon, facebook, make_post, publish, add_account):
    add_account("mastodon", mastodon)
    add_account("facebook", facebook)
    post = publish(make_post())
    pending_post = make_post(status="published", published_at=now() + timedelta(hours=1))
    outbox.on_published(pending_post)
    post.status = pending_post.status = "unpublished"
    db.session.commit()
    notify("cms_post_unpublished", post=post)
    notify("cms_post_unpublished", post=pending_post)
    assert mastodon.posts == {} and facebook.posts == {}
    assert {r.status for r in deliveries(post_id=post.id, action="delete")} == {"sent"}
    assert {r.status for r in deliveries(post_id=pending_post.id)} == {"cancelled"}


def test_crosspost_on_serta_merta_published(xapp, telegram, mastodon, add_account):
    add_account("telegram", telegram, share_serta_merta=True)
    add_account("mastodon", mastodon)  # not opted in
    notify(
        "cms_serta_merta_published",
        title="Peringatan dini banjir Kali Bekasi",
        summary="Warga bantaran diminta mengungsi.",
        url="https://warta.test/ppid/dip/serta-merta/12",
    )
    (row,) = deliveries(source="serta-merta")
    assert row.status == "sent" and row.account.channel == "telegram"
    assert "Peringatan dini banjir" in list(telegram.posts.values())[0]["text"]
    assert mastodon.posts == {}


def test_sweep_writes_rows_for_a_publication_the_handler_missed(xapp, mastodon, make_post, add_account):
    with time_machine.travel(now() - timedelta(hours=1), tick=False):
        add_account("mastodon", mastodon)
    post = make_post(status="published", published_at=now() - timedelta(minutes=3))  # no event fired
    result = outbox.sweep()
    assert result["created"] == 1
    assert deliveries(post_id=post.id)[0].status == "sent" and len(mastodon.posts) == 1


def test_stale_sending_rows_retry_only_where_idempotent(xapp, mastodon, telegram, make_post, add_account):
    add_account("mastodon", mastodon)
    add_account("telegram", telegram)
    post = make_post(status="published", published_at=now() + timedelta(minutes=1))
    outbox.on_published(post)
    rows = deliveries(post_id=post.id)
    later = now() + timedelta(minutes=2)
    for row in rows:
        assert delivery.claim(row.id, later)  # a worker took them and died
    with time_machine.travel(later + timedelta(minutes=10), tick=False):
        outbox.sweep()
    states = {r.account.channel: (db.session.refresh(r) or r.status) for r in rows}
    assert states == {"mastodon": "sent", "telegram": "unknown"}
    assert telegram.posts == {}


def test_idempotency_key_depends_on_post_account_revision(xapp):
    a = outbox_rows.idempotency_key("post:1", 1, 2, "create")
    assert a == outbox_rows.idempotency_key("post:1", 1, 2, "create")
    assert (
        len(
            {
                a,
                outbox_rows.idempotency_key("post:1", 1, 3, "create"),
                outbox_rows.idempotency_key("post:1", 2, 2, "create"),
                outbox_rows.idempotency_key("post:2", 1, 2, "create"),
            }
        )
        == 4
    )
    assert db.session.query(CrosspostDelivery).count() == 0


def test_mastodon_retry_after_its_one_hour_key_memory_becomes_unknown(xapp, mastodon, make_post, publish, add_account):
    """Mastodon forgets an Idempotency-Key after an hour: a retry later could double post."""
    xapp.config["CROSSPOST_BACKOFF_BASE"] = 4000
    add_account("mastodon", mastodon)
    mastodon.faults.append("500-after-save")
    post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "unknown" and "60 menit" in row.last_error
    assert len(mastodon.posts) == 1


def test_mastodon_short_backoff_after_500_retries_within_the_hour(xapp, mastodon, make_post, publish, add_account):
    add_account("mastodon", mastodon)
    mastodon.faults.append("500-after-save")
    start = now()
    with time_machine.travel(start, tick=False):
        post = publish(make_post())
    (row,) = deliveries(post_id=post.id)
    assert row.status == "retry" and row.payload["maybe_sent_at"]
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "sent" and len(mastodon.posts) == 1


def test_stale_sending_row_past_the_key_window_is_unknown(xapp, mastodon, make_post, add_account):
    add_account("mastodon", mastodon)
    post = make_post(status="published", published_at=now() + timedelta(minutes=1))
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    later = now() + timedelta(minutes=2)
    assert delivery.claim(row.id, later)
    with time_machine.travel(later + timedelta(hours=2), tick=False):  # the sweep was down too
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "unknown" and mastodon.posts == {}


def test_store_falls_back_row_by_row_when_a_key_already_exists(xapp, mastodon, telegram, add_account):
    """A racing writer (here: the same key twice in one batch) loses quietly; the rest is stored."""
    from plugins.crosspost.story import Story

    m, t = add_account("mastodon", mastodon), add_account("telegram", telegram)
    story = Story(ref="serta-merta:abc", title="Judul", url="https://warta.test/x")
    rows = [
        outbox_rows.new_row(story, m, action="create", revision=1, source="serta-merta"),
        outbox_rows.new_row(story, m, action="create", revision=1, source="serta-merta"),
        outbox_rows.new_row(story, t, action="create", revision=1, source="serta-merta"),
    ]
    stored = outbox_rows.store(rows)
    db.session.commit()
    assert len(stored) == 2
    assert sorted(r.account_id for r in deliveries(source="serta-merta")) == sorted([m.id, t.id])


def test_republished_post_is_posted_again_and_later_corrections_edit_the_new_post(
    xapp, mastodon, make_post, publish, add_account, editor
):
    from cms.newsroom import publishing

    add_account("mastodon", mastodon)
    post = publish(make_post())
    first_id = deliveries(post_id=post.id, action="create")[0].remote_id
    publishing.unpublish(post, editor, "salah tanggal")
    assert mastodon.posts == {}  # withdrawn from the network too
    db.session.refresh(post)
    publish(post)
    creates = deliveries(post_id=post.id, action="create")
    assert [r.status for r in creates] == ["sent", "sent"] and len(mastodon.posts) == 1
    second_id = creates[1].remote_id
    assert second_id != first_id
    post.title, post.version = "Ralat: tanggal pendaftaran", post.version + 1
    db.session.commit()
    notify("cms_post_updated", post=post)
    assert mastodon.posts[second_id]["text"].startswith("Ralat:")


def test_a_newer_correction_replaces_one_still_waiting(xapp, mastodon, make_post, publish, add_account):
    add_account("mastodon", mastodon)
    post = publish(make_post())
    mastodon.faults.append("429")  # the first correction has to wait
    for title in ("Ralat 1", "Ralat 2"):
        post.title, post.version = title, post.version + 1
        db.session.commit()
        notify("cms_post_updated", post=post)
    first, second = deliveries(post_id=post.id, action="update")
    assert first.status == "cancelled" and "Digantikan" in first.last_error
    assert second.status == "sent"
    assert list(mastodon.posts.values())[0]["text"].startswith("Ralat 2")
