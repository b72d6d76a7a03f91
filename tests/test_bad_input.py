"""One check per kind of hostile value (cms.inputs): ids in URLs, query
integers, JSON bodies, forms posted empty.  A 4xx that says what is wrong,
never a 500."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from cms.extensions import db
from tests.conftest import csrf_token_from


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["cms", "demo"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


def test_int_converter_matches_only_ids_the_database_holds(app):
    urls = app.url_map.bind("warta.test")
    assert urls.match("/admin/posts/2147483647")[1] == {"post_id": 2**31 - 1}
    for bad in ("0", "2147483648", str(2**63), "9" * 20):
        with pytest.raises(NotFound):
            urls.match(f"/admin/posts/{bad}")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/dip/99999999999999999999",
        "/ppid/dip/2147483648",
        "/admin/dip/99999999999999999999",
        "/admin/posts/0/preview",
        "/admin/inbox/99999999999999999999",
        "/admin/users/9223372036854775808",
    ],
)
def test_ids_outside_the_integer_column_are_404(client, demo, admin, url):
    resp = client.get(url)
    assert resp.status_code == 404
    assert "tidak ditemukan" in resp.text.lower()


def test_dik_with_a_huge_year_lists_every_year(client, demo):
    everything = client.get("/ppid/dik").text
    resp = client.get("/ppid/dik", query_string={"tahun": "9" * 30})
    assert resp.status_code == 200 and resp.text == everything


@pytest.mark.parametrize(
    "url",
    [
        "/admin/posts?page=99999999999999999999",
        "/admin/audit?page=10001",
        "/admin/dip/?page=99999999999999999999",
        "/admin/crosspost/?page=10001",
        "/siaran-pers/?page=99999999999999999999",
    ],
)
def test_a_page_past_the_limit_is_404(client, demo, admin, url):
    assert client.get(url).status_code == 404


def test_query_ids_out_of_range_are_ignored(client, demo, admin):
    client.get("/admin/")  # takes the sign-in flash
    first = client.get("/admin/posts/1/revisions").text
    assert client.get("/admin/posts/1/revisions?rev=99999999999999999999").text == first
    assert client.get("/admin/crosspost/?account=99999999999999999999").status_code == 200
    assert client.get("/admin/feeds/embargo?post=99999999999999999999").status_code == 200


@pytest.mark.parametrize("body", [[], "x", 5, 1.5, {"email": {"a": [1]}}, [[[[[[[[]]]]]]]]])
@pytest.mark.parametrize("url", ["/login", "/feeds/langganan"])
def test_json_posted_to_a_form_is_refused_with_a_message(client, url, body):
    resp = client.post(url, json=body)
    assert resp.status_code == 415
    assert "menerima formulir" in resp.text and "bukan JSON" in resp.text


def test_json_refused_after_a_valid_csrf_token_too(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token_from(client.get("/login").text)
    resp = client.post("/login", json=["x"], headers={"X-CSRFToken": token})
    assert resp.status_code == 415 and "bukan JSON" in resp.text


@pytest.fixture
def draft(app, demo, admin):
    from cms.models import Post

    return db.session.scalar(db.select(Post).where(Post.status == "draft").limit(1)) or db.session.get(Post, 1)


@pytest.mark.parametrize(
    "body, field",
    [([], None), ("x", None), (7, None), ({"title": {"a": 1}}, "title"), ({"body_html": ["<p>x</p>"]}, "body_html")],
)
def test_autosave_answers_400_for_json_of_the_wrong_shape(client, draft, body, field):
    resp = client.post(f"/admin/posts/{draft.id}/autosave", json=body)
    assert resp.status_code == 400
    detail = resp.get_json()["error"]
    assert (f"'{field}'" in detail) if field else "objek JSON" in detail


def test_autosave_still_saves_an_object(client, draft):
    resp = client.post(f"/admin/posts/{draft.id}/autosave", json={"title": "Judul sementara"})
    assert resp.status_code == 200 and resp.get_json()["ok"] is True
    db.session.refresh(draft)
    assert draft.autosave_data["title"] == "Judul sementara"


def test_crosspost_counter_answers_400_for_json_of_the_wrong_shape(client, demo, admin):
    for body in ([], "x", 5, {"channel": ["mastodon"]}):
        resp = client.post("/admin/crosspost/count", json=body)
        assert resp.status_code == 400, body
    assert "'channel'" in client.post("/admin/crosspost/count", json={"channel": 1}).get_json()["error"]


@pytest.mark.parametrize("path", ["/admin/posts/1", "/admin/dip/1", "/admin/users/new", "/admin/dip/dik/baru"])
def test_an_edit_form_posted_with_only_its_csrf_token_gets_form_errors(make_app, make_user, path):
    app = make_app(enabled=["inbox", "dip", "crosspost"], WTF_CSRF_ENABLED=True)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["cms", "demo"]).exit_code == 0
        user = make_user("admin")
        client = app.test_client()
        token = csrf_token_from(client.get("/login").text)
        client.post("/login", data={"email": user.email, "password": "kata-sandi-rahasia-123", "csrf_token": token})
        token = csrf_token_from(client.get(path).text)
        resp = client.post(path, data={"csrf_token": token})
        assert resp.status_code in (200, 400)  # the DIP admin re-renders with 200
        assert "wajib diisi" in resp.text


@pytest.mark.parametrize("token", ["99999999999999999999.abc", "².abc", "-1.abc"])
def test_unsubscribe_token_with_an_impossible_id_is_just_invalid(client, token):
    valid_looking = client.get("/feeds/langganan/berhenti/1.abc")
    resp = client.get(f"/feeds/langganan/berhenti/{token}")
    assert resp.status_code == valid_looking.status_code < 500
    assert resp.text == valid_looking.text


@pytest.mark.parametrize("page", ["²", "٣", "-1", "0", "9" * 20])
def test_api_page_that_is_no_number_is_400_naming_it(client, page):
    resp = client.get("/api/v1/dip", query_string={"page": page})
    assert resp.status_code == 400 and "'page'" in resp.get_json()["error"]


@pytest.mark.parametrize("path", ["/berita/%00", "/siaran-pers/a%00b", "/kategori/%00/", "/tag/%00/", "/unit/%00/"])
def test_a_nul_in_a_path_is_no_page(client, path):
    """PostgreSQL cannot compare text with a NUL: such a slug is a 404 before any query."""
    resp = client.get(path)
    assert resp.status_code == 404
