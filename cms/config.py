"""Configuration: defaults, then ``instance/config.py``, then the environment.

Every key can be set in the instance file or as an environment variable of
the same name (``DATABASE_URL``, ``CMS_PLUGINS``…) or with the ``FLASK_``
prefix.  Values are read at call time through ``current_app.config``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(__file__).resolve().parent


def core_folder(name: str) -> Path:
    """The core's ``templates`` or ``migrations`` folder.

    A checkout keeps them at its top; a built wheel carries them inside the
    ``cms`` package (setup.py copies them), so an installed Warta needs no
    checkout.  The package's copy wins: next to an installed ``cms`` the
    parent folder is site-packages, not Warta's."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else ROOT / name


def default_instance_path() -> str | None:
    """``instance/`` of the checkout; for an installed Warta, Flask's default
    (``<venv>/var/cms-instance``) rather than a folder inside site-packages."""
    if (PACKAGE / "templates").is_dir():
        return None
    return str(ROOT / "instance")


BUNDLED_PLUGINS = ["inbox", "dip", "crosspost", "monev"]

# Environment variables read without the FLASK_ prefix (README "Configuration").
PLAIN_ENV_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "CMS_PLUGINS",
    "CMS_ENV",
    "CMS_SAFE_MODE",
    "CMS_DATA_KEY",
    "CMS_HASH_KEY",
    "CMS_PROXY_COUNT",
    "CMS_METRICS_TOKEN",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_DEFAULT_SENDER",
)


class DefaultConfig:
    CMS_ENV = "development"  # "production" refuses to start without SECRET_KEY
    CMS_SITE_TITLE = "Warta"
    CMS_INSTITUTION = "Pemerintah Kota"
    # Press releases (cms.newsroom.release_format): the number given at first
    # publication ({seq}, {year}, {month}, {month_roman}, {day}; yearly
    # sequence) and the city of the dateline ("BEKASI —") and the kop.
    CMS_RELEASE_NUMBER_PATTERN = "{seq:03d}/HUMAS/{month_roman}/{year}"
    CMS_RELEASE_CITY = ""
    # Identity (admin → Identitas situs overrides): accent colour of the header
    # and buttons (white text on it must reach 4.5:1), lambang upload limit.
    CMS_IDENTITY_ACCENT = "#0b5394"
    CMS_IDENTITY_LOGO_MAX_KB = 512
    CMS_PLUGINS = list(BUNDLED_PLUGINS)
    CMS_SAFE_MODE = False
    CMS_TRACE_HOOKS = False
    # Sign-in (docs/deploy.md "Sessions and sign-in").  Failed sign-ins are
    # counted per e-mail and per address within the window; reaching either
    # limit refuses sign-in for that e-mail / from that address until enough
    # failures leave the window.  Successful sign-ins never count.
    CMS_LOGIN_ACCOUNT_FAILURES = 10
    CMS_LOGIN_IP_FAILURES = 50  # one office behind NAT shares an address
    CMS_LOGIN_FAILURE_WINDOW = 30 * 60  # seconds
    # A flood guard per address on every sign-in POST, good ones included.
    CMS_LOGIN_RATE_LIMIT = "60 per minute"
    # "Lupa kata sandi?" (docs/deploy.md): a link lasts this many hours; an
    # account gets at most so many links per window; each address may ask so often.
    CMS_PASSWORD_RESET_HOURS = 2
    CMS_PASSWORD_RESET_PER_ACCOUNT = 3
    CMS_PASSWORD_RESET_WINDOW = 60 * 60  # seconds
    CMS_PASSWORD_RESET_RATE_LIMIT = "5 per 15 minutes"
    CMS_REMEMBER_DAYS = 30  # "Ingat saya"; without it PERMANENT_SESSION_LIFETIME
    CMS_SESSION_TOUCH_SECONDS = 60  # how often a session's "last seen" is written
    CMS_SESSION_HISTORY_DAYS = 90  # expired session records kept this long
    CMS_PAGE_SIZE = 20
    # Anonymous pages and feeds answered from worker memory before Flask runs
    # (cms.cache.shared_cache); the byte budget is per worker.
    CMS_SHARED_CACHE = True
    CMS_SHARED_CACHE_BYTES = 24 * 1024 * 1024
    CMS_SEARCH_CACHE_BYTES = 8 * 1024 * 1024  # search pages kept per worker, ~450 (cms.cache.pages)
    # ... and as files every worker of the machine reads (cms.cache.query_page_files):
    # pages per content version (~18 KB each; 0: memory only), and where.
    CMS_SEARCH_CACHE_FILES = 5000
    CMS_QUERY_PAGES_DIR = None  # None = instance/query-pages/
    # The newest item pages `flask cms page-files` also keeps as files for
    # nginx (cms.cache.page_files); 0 keeps only the home page, lists and feeds.
    CMS_PAGE_FILES_ITEMS = 1000
    # Public uploads (served under /media/) and private files (never served
    # directly: identity documents, attachments of requests).  None = instance/.
    CMS_MEDIA_DIR = None
    CMS_PRIVATE_DIR = None

    SITE_URL = "http://127.0.0.1:5000"
    DATABASE_URL = None
    REDIS_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "warta@localhost"

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    CMS_LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True automatically when SITE_URL is https
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: long drafts stay valid
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    # Static URLs carry a content hash (cms/assets.py), so a year is safe.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    HUEY_IMMEDIATE = False
    # A running job whose heartbeat is older than this (seconds) lost its worker.
    JOB_STALE_AFTER = 300
    # Key prefix in Redis (feeds cache, rate limits): lets sites share one Redis.
    CMS_CACHE_PREFIX = "warta"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True


def _coerce(raw: str):
    """Environment values are strings; accept JSON for lists, bools and numbers."""
    try:
        return json.loads(raw)
    except ValueError:
        if "," in raw and not raw.strip().startswith(("postgres", "sqlite", "redis", "http")):
            return [part.strip() for part in raw.split(",") if part.strip()]
        return raw


_RAW_KEYS = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "MAIL_PASSWORD",
    "MAIL_USERNAME",
    "CMS_DATA_KEY",
    "CMS_HASH_KEY",
    "CMS_METRICS_TOKEN",
}


def load_environment(config) -> None:
    for key in PLAIN_ENV_KEYS:
        if key in os.environ:
            value = os.environ[key]
            config[key] = _coerce(value) if key not in _RAW_KEYS else value
    if isinstance(config.get("CMS_PLUGINS"), str):
        config["CMS_PLUGINS"] = [p.strip() for p in config["CMS_PLUGINS"].split(",") if p.strip()]


def ensure_secret_key(app) -> None:
    """Use the configured key; otherwise generate one into ``instance/`` once.

    In production mode a missing key is an error, not something to invent.
    """
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("CMS_ENV") == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. In production set the SECRET_KEY environment "
            "variable or put SECRET_KEY in instance/config.py."
        )
    from cms.keyfile import read_or_create

    key_file = Path(app.instance_path) / "secret_key"
    app.config["SECRET_KEY"] = read_or_create(key_file, lambda: secrets.token_hex(32).encode()).decode()


def database_uri(app) -> str:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "warta.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
