"""Warta's WSGI app plus two constant 20 KB pages, never deployed.

``/_bench/20k`` runs through the same Flask app and request hooks (request
id, logging, metrics, security headers) as the real pages, so "page / this"
is what the page itself costs.  ``/_minimal/`` is a bare Flask app in the
same gunicorn workers: the framework's ceiling the issues' targets name.
``/_minimal/<bytes>`` is the same bare app sending a constant body of that
size (the feeds are ten times the 20 KB page: their yardstick at equal bytes).
"""

from functools import cache

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wsgi import app

BODY = ("<!doctype html><title>bench</title>" + "x" * 20_480)[:20_480]


def twenty_kb():
    return BODY


app.add_url_rule("/_bench/20k", "bench_20k", twenty_kb)


@cache
def _body(size: int) -> str:
    return ("<!doctype html><title>bench</title>" + "x" * size)[:size]


def sized(size: int):
    return _body(min(size, 4_000_000))


minimal = Flask("minimal")
minimal.add_url_rule("/", "page", twenty_kb)
minimal.add_url_rule("/<int:size>", "sized", sized)
app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/_minimal": minimal})
