"""Open redirects: every ``next``/``return_to``/``back`` stays on this site.

The walk requests every route of the app (all bundled plugins enabled) as an
admin with hostile targets in the query string and the form, so an endpoint
added later that reads such a parameter is covered without being named here.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from cms.extensions import db
from cms.redirects import is_local, safe_target

HOST = "warta.test"
EVIL = ("https://evil.example/", "//evil.example", "/\\evil.example")
SAFE = "/admin/?kembali=1"
PARAMETERS = ("next", "return_to", "back")

HOSTILE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
    "admin/",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/ /evil.example",
    "/\x00/evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "/%E3%80%80/evil.example",
    "",
    None,
    42,
    ["/admin/"],
    "/" + "a" * 3000,
]
LOCAL = [
    "/",
    "/admin/",
    "/admin/dip/3?tanda=tinjau&page=2",
    "/cari?q=dinas%20kesehatan",
    "/admin/crosspost/?status=failed#baris",
    "/berita/banjir-surut",
    "/ppid/dip?q=a%2Fb",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert not is_local(target)


@pytest.mark.parametrize("target", LOCAL)
def test_paths_on_this_site_are_kept(target):
    assert is_local(target)


def test_safe_target_falls_back_to_the_endpoint(app):
    with app.test_request_context():
        assert safe_target("//evil.example", "dip_admin.edit", entry_id=7) == "/admin/dip/7"
        assert safe_target("/admin/units", "admin.dashboard") == "/admin/units"


def test_dip_review_next_cannot_leave_the_site(app, client, make_user, login):
    """The reported case: ``next=`` on ``/admin/dip/<id>/tinjau``."""
    entry = _dip_entry()
    login(make_user("admin"))
    for target in EVIL:
        response = client.post(f"/admin/dip/{entry.id}/tinjau", data={"next": target})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/admin/dip/{entry.id}"
    response = client.post(f"/admin/dip/{entry.id}/tinjau", data={"next": "/admin/dip/?tanda=tinjau"})
    assert response.headers["Location"] == "/admin/dip/?tanda=tinjau"


def test_login_next_cannot_leave_the_site(app, client, make_user):
    from tests.conftest import PASSWORD

    user = make_user("admin")
    for target in EVIL + ("/%2F%2Fevil.example", "https:evil.example"):
        response = client.post(
            "/login?" + urlencode({"next": target}), data={"email": user.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/admin/"
        client.post("/logout")


def test_every_endpoint_keeps_redirects_on_site(app, client, make_user, login):
    admin = make_user("admin")
    ids = _seed(admin)
    login(admin)
    honoured = set()
    for endpoint, method, path in _requests(app, ids):
        response = _send(client, method, path, SAFE)
        if response.headers.get("Location") == SAFE:
            honoured.add(endpoint)
        for target in EVIL:
            response = _send(client, method, path, target)
            location = response.headers.get("Location")
            assert not _off_site(location), f"{method} {path} (next={target!r}) → {location}"
            if location and urlsplit(location).path == "/login":
                login(admin)  # an action ended the session (logout): sign in again
    # The walk really reached the endpoints that read a return address.
    assert {"auth.login", "dip_admin.act", "crosspost.delivery_action"} <= honoured


def _send(client, method, path, target):
    values = dict.fromkeys(PARAMETERS, target)
    url = f"{path}?{urlencode(values)}"
    if method == "GET":
        return client.get(url)
    return client.post(url, data=values)


def _off_site(location: str | None) -> bool:
    """Resolve ``Location`` as a browser does: backslashes are slashes and
    tabs and newlines vanish."""
    if not location:
        return False
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").replace("\\", "/")
    return urlsplit(urljoin(f"http://{HOST}/admin/", cleaned)).netloc not in (HOST, "localhost")


DESTRUCTIVE = ("hapus", "batal", "cancel", "delete", "remove", "logout", "tutup")


def _requests(app, ids):
    """(endpoint, method, path) for every rule and method, destructive ones last."""
    found = []
    for rule in app.url_map.iter_rules():
        choices = [{}]
        for arg in rule.arguments - set(rule.defaults or {}):
            converter = rule._converters[arg]
            if isinstance(converter, AnyConverter):
                options = sorted(converter.items)
            elif isinstance(converter, IntegerConverter):
                options = [ids.get(arg, 1)]
            else:
                options = [ids.get(arg, "x")]
            choices = [{**c, arg: option} for c in choices for option in options]
        for values in choices:
            path = rule.build(values, append_unknown=False)[1]
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                found.append((rule.endpoint, method, path))
    return sorted(found, key=lambda r: (any(word in r[2] for word in DESTRUCTIVE), r[2], r[1]))


def _dip_entry():
    from cms.timeutil import naive_utc
    from plugins.dip.models import DipEntry

    entry = DipEntry(
        title="Entri",
        category="berkala",
        year=2025,
        jenis="Regulasi",
        description_html="",
        description_text="",
        made_on=date(2025, 1, 10),
        published_at=naive_utc(),
    )
    db.session.add(entry)
    db.session.flush()
    entry.kode = f"T-{entry.id}"
    db.session.commit()
    return entry


def _seed(admin) -> dict:
    """One row for each kind of id the routes take."""
    from cms.accounts import get_or_create_unit
    from cms.models import Post
    from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

    unit = get_or_create_unit("Dinas Kesehatan")
    post = Post(kind="siaran-pers", title="Rilis", slug="rilis", summary="", status="published", body_html="<p>Isi</p>")
    account = CrosspostAccount(channel="mastodon", name="Humas")
    db.session.add_all([post, account])
    db.session.flush()
    delivery = CrosspostDelivery(
        post_id=post.id,
        source_ref=f"post:{post.id}",
        account_id=account.id,
        status="failed",
        idempotency_key="walk-1",
        payload={},
    )
    db.session.add(delivery)
    db.session.commit()
    entry = _dip_entry()
    return {
        "entry_id": entry.id,
        "delivery_id": delivery.id,
        "post_id": post.id,
        "unit_id": unit.id,
        "user_id": admin.id,
        "account_id": account.id,
        "slug": "rilis",
        "channel_key": "mastodon",
        "fmt": "csv",
    }
