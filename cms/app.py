"""The application factory: a list of small configure steps."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from flask import Flask, g, request, session
from flask_babel import refresh as refresh_babel
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from cms import config as cfg
from cms import (  # noqa: F401 - content_version: its session listeners; plugin_lifecycle: Alembic's plugin folders
    content_version,
    lazy_migrate,
    plugin_clashes,
    plugin_lifecycle,
)
from cms.extensions import babel, csrf, db, limiter, login_manager
from cms.inputs import BoundedJSONProvider


def create_app(test_config: dict[str, Any] | None = None, *, plugins: Iterable[Any] = ()) -> Flask:
    app = Flask(
        "cms",
        template_folder=str(cfg.core_folder("templates")),
        static_folder=str(cfg.PACKAGE / "static"),
        # CMS_INSTANCE_PATH lets one checkout serve several sites (and tests).
        instance_path=os.environ.get("CMS_INSTANCE_PATH") or cfg.default_instance_path(),
        instance_relative_config=True,
    )
    app.json = BoundedJSONProvider(app)  # hostile JSON bodies are 400, never RecursionError
    configure_settings(app, test_config)
    configure_extensions(app)
    configure_plugins(app, plugins)
    configure_blueprints(app)
    configure_templates(app)
    configure_security(app)
    configure_errors(app)
    configure_cli(app)
    configure_wsgi(app)
    app.extensions["cms"].hook.cms_app_ready(app=app)
    plugin_clashes.routes(app, app.extensions["cms_blueprint_owners"])
    return app


def configure_settings(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(cfg.DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    cfg.load_environment(app.config)
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    cfg.ensure_secret_key(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = cfg.database_uri(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if str(app.config.get("SITE_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["CMS_CACHE_PREFIX"])
    if app.config.get("REDIS_URL") and app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]


def configure_extensions(app: Flask) -> None:
    from cms import database, models  # noqa: F401 - SQLite pragmas; core tables

    db.init_app(app)
    lazy_migrate.init_app(app, db, directory=str(cfg.core_folder("migrations")))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    limiter.init_app(app)
    from cms.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def configure_plugins(app: Flask, extra: Iterable[Any]) -> None:
    from cms import jobs, plugins, policy

    pm = plugins.build_manager(app, extra)
    app.extensions["cms"] = pm
    for key, value in plugin_clashes.config_defaults(pm).items():
        app.config.setdefault(key, value)
    plugin_clashes.periodic_tasks(pm)
    app.extensions["cms_policy"] = policy.build_policy(pm)
    app.extensions["cms_jobs"] = jobs.build_queue(app)


def configure_blueprints(app: Flask) -> None:
    from cms.admin import bp as admin_bp
    from cms.auth import bp as auth_bp
    from cms.health import bp as health_bp
    from cms.identity_views import bp as identity_bp
    from cms.inputs import IdConverter
    from cms.newsroom.public import bp as public_bp
    from cms.observability import bp as observability_bp

    app.url_map.converters["int"] = IdConverter  # before any rule: ids in the database's range
    for bp in (public_bp, auth_bp, admin_bp, identity_bp, health_bp, observability_bp):
        app.register_blueprint(bp)
    owners = app.extensions["cms_blueprint_owners"] = {}
    for owner, bp in plugin_clashes.blueprints(app, app.extensions["cms"]):
        app.register_blueprint(bp)
        owners[bp.name] = owner


def configure_templates(app: Flask) -> None:
    from cms import errors, fragments, i18n, plugins, policy, sanitize, url_cache

    url_cache.init_app(app)
    fragments.init_app(app)
    # Stored HTML printed outside the site (e-mails) goes through the one sanitizer.
    app.jinja_env.filters["clean_html"] = sanitize.clean_html_memo
    app.jinja_env.filters["named_error"] = errors.named_error  # {{ label|named_error(message) }}
    app.jinja_env.filters["number"] = i18n.format_number  # {{ 87.5|number }} → 87,5 in Indonesian
    app.jinja_env.globals.update(
        slot=plugins.slot,
        nav_items=plugins.nav_items,
        can=policy.can,
        format_date=i18n.format_date,
        format_datetime=i18n.format_datetime,
        current_locale=i18n.current_language,
    )
    app.context_processor(i18n.template_gettext)
    app.jinja_env.globals.update(plugin_clashes.template_names(app, app.extensions["cms"]))


def configure_security(app: Flask) -> None:
    from cms import assets, observability
    from cms.auth import settle_anonymous
    from cms.inputs import refuse_json_on_forms
    from cms.security import apply_security_headers, refuse_nul_bytes

    observability.init_app(app)
    assets.init_app(app)
    app.before_request(refuse_nul_bytes)
    app.before_request(refuse_json_on_forms)
    app.after_request(apply_security_headers)

    @app.before_request
    def _remember_language():
        # Babel caches the locale on the app context, which tests (and
        # anything else that keeps one pushed) share between requests.
        refresh_babel()
        lang = request.args.get("lang")
        if lang in app.config["CMS_LANGUAGES"]:
            session["lang"] = lang
        settle_anonymous()
        g.user = current_user


def configure_errors(app: Flask) -> None:
    from cms.errors import register_error_pages

    register_error_pages(app)


def configure_wsgi(app: Flask) -> None:
    """Middleware, innermost first: the cache (its WSGI layer and its request
    handlers, after every other) sees the client's real scheme and host
    because ProxyFix wraps it."""
    from cms import cache

    cache.install(app)
    if app.config.get("CMS_PROXY_COUNT"):
        n = int(app.config["CMS_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]  # Flask's documented way


def configure_cli(app: Flask) -> None:
    from cms.cli import cms_group

    app.cli.add_command(cms_group)
    for command in plugin_clashes.cli_commands(app, app.extensions["cms"]):
        app.cli.add_command(command)
