"""The factory: configuration order, secrets, plugins allow-list, start-up."""

from __future__ import annotations

import pytest

from cms import create_app
from cms.plugins import PluginNotInstalled
from tests.conftest import base_config


@pytest.fixture
def instance(tmp_path, monkeypatch):
    path = tmp_path / "instance"
    path.mkdir()
    monkeypatch.setenv("CMS_INSTANCE_PATH", str(path))
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CMS_PLUGINS", "SITE_URL", "CMS_ENV"):
        monkeypatch.delenv(key, raising=False)
    return path


def test_config_order_defaults_then_instance_file_then_environment(instance, monkeypatch):
    (instance / "config.py").write_text(
        "CMS_SITE_TITLE = 'Humas Kota Contoh'\nSITE_URL = 'https://file.example'\nCMS_PAGE_SIZE = 7\n"
    )
    monkeypatch.setenv("SITE_URL", "https://env.example")
    app = create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["CMS_SITE_TITLE"] == "Humas Kota Contoh"  # instance file over default
    assert app.config["SITE_URL"] == "https://env.example"  # environment over instance file
    assert app.config["CMS_PAGE_SIZE"] == 7
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"  # default kept
    assert app.config["SESSION_COOKIE_SECURE"] is True  # https site → secure cookies


def test_secret_key_generated_once_into_instance(instance):
    app1 = create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = instance / "secret_key"
    assert key_file.exists() and len(app1.config["SECRET_KEY"]) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    app2 = create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app2.config["SECRET_KEY"] == app1.config["SECRET_KEY"]


def test_production_without_secret_key_refuses_to_start(instance, monkeypatch):
    monkeypatch.setenv("CMS_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not (instance / "secret_key").exists()


def test_environment_selects_database_and_plugins(instance, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/warta")
    monkeypatch.setenv("CMS_PLUGINS", "dip")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example:5432/warta"
    assert app.config["CMS_PLUGINS"] == ["dip"]
    assert app.extensions["cms"].get_plugin("dip") is not None
    assert app.extensions["cms"].get_plugin("inbox") is None


def test_nothing_touches_the_database_at_start_up(instance):
    # An unreachable server: building the app must not connect.
    app = create_app(
        {
            "SECRET_KEY": "x",
            "CMS_PLUGINS": ["inbox", "dip", "crosspost"],
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    assert "inbox" in app.blueprints


def test_unknown_plugin_in_allow_list_fails_naming_it(tmp_path):
    with pytest.raises(PluginNotInstalled, match="'nonexistent'"):
        create_app(base_config(tmp_path, CMS_PLUGINS=["dip", "nonexistent"]))


def test_bundled_plugins_enabled_by_default(instance):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    pm = app.extensions["cms"]
    for name in ("inbox", "dip", "crosspost"):
        assert pm.get_plugin(name) is not None


def test_safe_mode_loads_no_plugins(make_app):
    app = make_app(enabled=["inbox"], CMS_SAFE_MODE=True)
    assert app.extensions["cms"].get_plugin("inbox") is None


def test_security_headers_and_no_inline_script(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    assert "<script>" not in response.get_data(as_text=True)


def test_hsts_on_https(client):
    response = client.get("/login", base_url="https://warta.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite(client, make_user, login):
    user = make_user("writer")
    response = login(user)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_custom_404_page_in_indonesian(client):
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in body and 'lang="id"' in body


def test_500_page_shows_no_stack_trace(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise ValueError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Terjadi kesalahan" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_language_switch_to_english_and_back(client):
    body = client.get("/login?lang=en").get_data(as_text=True)
    assert 'lang="en"' in body and "Sign in" in body
    body = client.get("/login").get_data(as_text=True)  # remembered in the session
    assert 'lang="en"' in body
    body = client.get("/login?lang=id").get_data(as_text=True)
    assert 'lang="id"' in body and "Masuk" in body


def test_health_reports_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok" and data["checks"]["database"] == "ok"


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    import re

    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/warta\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200 and b"--brand" in response.data
    assert "max-age=31536000" in response.headers["Cache-Control"]


def _make_key(path):
    from pathlib import Path

    from cms.keyfile import read_or_create

    return read_or_create(Path(path), lambda: __import__("secrets").token_hex(32).encode())


def test_concurrent_first_starts_agree_on_one_key(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    path = tmp_path / "instance" / "data_key"
    with ProcessPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(_make_key, [str(path)] * 32))
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert [p.name for p in path.parent.iterdir()] == ["data_key"]  # no temp files left


def test_data_key_from_environment(instance, monkeypatch):
    from cryptography.fernet import Fernet

    from cms import crypto

    key = Fernet.generate_key().decode()
    monkeypatch.setenv("CMS_DATA_KEY", key)
    app = create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        token = crypto.encrypt("3275010101900001")
    assert Fernet(key.encode()).decrypt(token.encode()) == b"3275010101900001"
    assert not (instance / "data_key").exists()


def test_a_token_no_key_opens_raises_cms_crypto_invalid_token(instance, monkeypatch):
    """cms.crypto's own InvalidToken (cryptography is imported at first use),
    chained to cryptography's: callers catch it without importing cryptography."""
    from cryptography.fernet import Fernet
    from cryptography.fernet import InvalidToken as FernetInvalidToken

    from cms import crypto

    monkeypatch.setenv("CMS_DATA_KEY", Fernet.generate_key().decode())
    app = create_app({"CMS_PLUGINS": [], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    other = Fernet(Fernet.generate_key()).encrypt(b"3275010101900001")
    with app.app_context():
        assert crypto.decrypt(crypto.encrypt("rahasia")) == "rahasia"
        with pytest.raises(crypto.InvalidToken) as raised:
            crypto.decrypt(other.decode())
        with pytest.raises(crypto.InvalidToken):
            crypto.decrypt_bytes(b"not a token")
    assert isinstance(raised.value.__cause__, FernetInvalidToken)


def test_nul_bytes_are_cleaned_from_queries_and_refused_in_forms(client):
    assert client.get("/login?next=%00/admin/").status_code == 200
    response = client.post("/login", data={"email": "a\x00@b.id", "password": "x" * 12})
    assert response.status_code == 400
    assert "Isian &#39;email&#39; berisi karakter yang tidak valid" in response.get_data(as_text=True)


def test_fingerprints_are_remembered_until_restart_except_in_debug(app, tmp_path):
    import os

    from cms import assets

    asset = tmp_path / "site.css"
    asset.write_text("body { color: black }")
    first = assets.fingerprint(str(tmp_path), "site.css")
    asset.write_text("body { color: navy }")
    os.utime(asset, (asset.stat().st_atime, asset.stat().st_mtime + 5))
    assert assets.fingerprint(str(tmp_path), "site.css") == first  # no stat() per URL in production
    app.debug = True
    try:
        changed = assets.fingerprint(str(tmp_path), "site.css")
    finally:
        app.debug = False
    assert changed != first and len(changed) == 12
