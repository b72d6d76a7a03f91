"""Two people acting on one record at once: one wins, the other is told.

Each pair of requests runs in two real threads with their own test clients
against a database file (or PostgreSQL).  A barrier holds every request at
its first write until both have read the record, so the race happens every
run, not by luck; the database then serialises the writes as it would in
production.  The loser gets a clear conflict message (a 409 page or a flash),
never a 500, and the record shows exactly one action.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, func, select

from cms.extensions import db
from cms.models import AuditLog, Post
from cms.testing.servers import smtp_server
from tests.conftest import PASSWORD, new_post, on_postgres
from tests.plugins.inbox.conftest import Mailbox, form_data

CONFLICT = "baru saja diubah oleh orang lain"
WRITE = re.compile(r'\s*(?:insert\s+into|update|delete\s+from)\s+"?(\w+)', re.I)


@pytest.fixture
def mailbox():
    with smtp_server(Mailbox()) as controller:
        yield controller


@pytest.fixture
def app(make_app, tmp_path, mailbox):
    """Every plugin, on a database that several connections share (the
    in-memory default is one connection); ``make_user`` writes here too."""
    url = None if on_postgres() else f"sqlite:///{tmp_path / 'race.db'}"
    extra = {"SQLALCHEMY_DATABASE_URI": url} if url else {}
    app = make_app(enabled=["inbox", "dip", "crosspost"], MAIL_PORT=mailbox.port, **extra)
    with app.app_context():
        yield app


@pytest.fixture
def race_app(app):
    return app


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-1500:]
    return client


def race(app, requests: list[tuple]) -> list:
    """Run ``(client, url, data)`` requests in parallel threads; each waits at
    its first write until all have got there, so every one has read the record
    before any changes it.  Sign-in bookkeeping (user and session rows) is not
    a write of the action and passes."""
    barrier = threading.Barrier(len(requests), timeout=20)
    waiting: set[int] = set()

    def hold(conn, cursor, statement, parameters, context, executemany):
        me = threading.get_ident()
        write = WRITE.match(statement)
        if me in waiting and write and not write.group(1).startswith(("user", "session")):
            waiting.discard(me)
            barrier.wait()

    results: list = [None] * len(requests)

    def run(index, client, url, data):
        waiting.add(threading.get_ident())
        results[index] = client.post(url, data=data or {}, follow_redirects=True)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=run, args=(i, *req)) for i, req in enumerate(requests)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        event.remove(engine, "before_cursor_execute", hold)
    db.session.expire_all()
    return results


def one_won_one_told(results) -> None:
    assert all(r is not None and r.status_code < 500 for r in results), [r and r.status_code for r in results]
    told = [r for r in results if CONFLICT in r.get_data(as_text=True)]
    assert len(told) == 1, [r.status_code for r in results]
    assert told[0].status_code in (200, 409)


def audit_count(action: str, object_id) -> int:
    return db.session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.action == action, AuditLog.object_id == str(object_id))
    )


@pytest.fixture
def newsroom(race_app, make_user):
    from cms import accounts

    unit = accounts.get_or_create_unit("Dinas Komunikasi dan Informatika")
    writer = make_user("writer", unit=unit)
    editors = [make_user("editor"), make_user("editor")]

    def make_post(status: str) -> Post:
        return new_post(status, via=(writer, editors[0]), title=f"Rilis {status}", body="<p>Isi.</p>")

    return make_post, [signed_in(race_app, e) for e in editors]


@pytest.mark.parametrize(
    ("start", "action", "end", "audit"),
    [
        ("scheduled", "cancel-schedule", "approved", "post.unschedule"),
        ("published", "unpublish", "unpublished", "post.unpublish"),
        ("review", "approve", "approved", "post.approve"),
        ("approved", "publish", "published", "post.publish"),
    ],
)
def test_two_editors_press_the_same_button(race_app, newsroom, start, action, end, audit):
    make_post, clients = newsroom
    post = make_post(start)
    url = f"/admin/posts/{post.id}/{action}"
    one_won_one_told(race(race_app, [(c, url, None) for c in clients]))
    assert db.session.get(Post, post.id).status == end
    assert audit_count(audit, post.id) == 1


def test_two_officers_answer_one_request(race_app, make_user):
    from plugins.inbox import services
    from plugins.inbox.models import InfoRequest

    req, _ = services.create_request(form_data())
    officers = [signed_in(race_app, make_user("ppid")) for _ in range(2)]
    url = f"/admin/inbox/{req.id}/jawab"
    answers = [
        {"outcome": "dikabulkan_seluruhnya", "material": "APBD 2025"},
        {"outcome": "tidak_dikuasai", "held_by": "Kementerian Keuangan"},
    ]
    one_won_one_told(race(race_app, [(c, url, a) for c, a in zip(officers, answers, strict=True)]))
    req = db.session.get(InfoRequest, req.id)
    assert req.status == "dijawab"
    assert (req.outcome == "tidak_dikuasai") == bool(req.held_by)  # one officer's answer, not a mix
    assert audit_count("inbox.request.answered", req.number) == 1


@pytest.mark.parametrize(
    ("action", "audit"), [("tinjau", "dip.review"), ("hapus", "dip.delete"), ("tarik", "dip.unpublish")]
)
def test_two_officers_act_on_one_dip_entry(race_app, make_user, action, audit):
    from cms.timeutil import naive_utc as dip_now
    from plugins.dip.models import DipEntry

    entry = DipEntry(
        title="Laporan keuangan", category="berkala", year=2025, jenis="Laporan", kode="RACE-1", published_at=dip_now()
    )
    db.session.add(entry)
    db.session.commit()
    officers = [signed_in(race_app, make_user("ppid")) for _ in range(2)]
    entry_id = entry.id
    url = f"/admin/dip/{entry_id}/{action}"
    one_won_one_told(race(race_app, [(c, url, None) for c in officers]))
    assert audit_count(audit, entry_id) == 1
    remaining = db.session.get(DipEntry, entry_id)
    assert (remaining is None) == (action == "hapus")


def test_retry_and_cancel_of_one_delivery_at_once(race_app, make_user):
    from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

    account = CrosspostAccount(channel="webhook", name="Kanal uji", active=False)
    db.session.add(account)
    db.session.flush()
    row = CrosspostDelivery(
        source_ref="post:1", account_id=account.id, status="failed", idempotency_key="race-1", payload={}
    )
    db.session.add(row)
    db.session.commit()
    admins = [signed_in(race_app, make_user("admin")) for _ in range(2)]
    base = f"/admin/crosspost/deliveries/{row.id}"
    one_won_one_told(race(race_app, [(admins[0], f"{base}/retry", None), (admins[1], f"{base}/cancel", None)]))
    actions = audit_count("crosspost.delivery.retry", row.id) + audit_count("crosspost.delivery.cancel", row.id)
    assert actions == 1


def test_a_dip_form_loaded_before_another_save_is_refused(race_app, make_user):
    from plugins.dip.models import DipEntry

    entry = DipEntry(title="Profil dinas", category="berkala", year=2025, jenis="Profil", kode="FORM-1")
    db.session.add(entry)
    db.session.commit()
    first, second = (signed_in(race_app, make_user("ppid")) for _ in range(2))
    url = f"/admin/dip/{entry.id}"
    pages = [c.get(url).get_data(as_text=True) for c in (first, second)]
    version = re.search(r'name="version"[^>]*value="(\d+)"', pages[0]).group(1)

    def form(title):
        return {"version": version, "year": "2025", "category": "berkala", "title": title, "unit_id": "0"}

    assert first.post(url, data=form("Profil dinas (revisi A)")).status_code == 302
    stale = second.post(url, data=form("Profil dinas (revisi B)"))
    assert stale.status_code == 409 and "baru saja diubah oleh orang lain" in stale.get_data(as_text=True)
    assert "revisi B" in stale.get_data(as_text=True)  # the officer's text is still there to copy
    db.session.expire_all()
    assert db.session.get(DipEntry, entry.id).title == "Profil dinas (revisi A)"
