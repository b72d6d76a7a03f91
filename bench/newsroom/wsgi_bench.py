"""gunicorn target for the benchmark: Warta on the seeded SQLite file, plus a
bare Flask app at ``/_minimal`` (a constant 20 KB page) as the framework's
ceiling, served by the same gunicorn workers."""

import os

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from cms import create_app

warta = create_app(
    {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.environ["BENCH_DB"],
        "SECRET_KEY": "bench-secret",
        "CMS_PLUGINS": [],
        "SITE_URL": "http://127.0.0.1",
        "CMS_MEDIA_DIR": os.environ.get("BENCH_MEDIA", "/tmp"),
        "NEWSROOM_PAGE_CACHE": os.environ.get("BENCH_PAGE_CACHE", "1") == "1",
        "CMS_SHARED_CACHE": os.environ.get("BENCH_PAGE_CACHE", "1") == "1",
    }
)
minimal = Flask("minimal")
PAGE = "<!doctype html><html><body>" + "x" * (20480 - 42) + "</body></html>"


@minimal.route("/")
def page():
    return PAGE


# Keep ``app`` a Flask object (the project's gunicorn.conf.py expects one).
warta.wsgi_app = DispatcherMiddleware(warta.wsgi_app, {"/_minimal": minimal})
app = warta
