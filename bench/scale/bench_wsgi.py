"""Warta's WSGI app plus two constant 20 KB pages, never deployed.

``/_bench/20k`` runs through the same Flask app and request hooks (request
id, logging, metrics, security headers) as the real pages, so "page / this"
is what the page itself costs.  ``/_minimal/`` is a bare Flask app in the
same gunicorn workers: the framework's ceiling the issues' targets name.
"""

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wsgi import app

BODY = ("<!doctype html><title>bench</title>" + "x" * 20_480)[:20_480]


def twenty_kb():
    return BODY


app.add_url_rule("/_bench/20k", "bench_20k", twenty_kb)


minimal = Flask("minimal")
minimal.add_url_rule("/", "page", twenty_kb)
app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/_minimal": minimal})
