"""Warta's WSGI app plus one constant 20 KB page, the framework ceiling.

The extra endpoint runs through the same gunicorn, the same Flask app and the
same request hooks (request id, logging, metrics, security headers) as the
real pages, so "page / this" is what the page itself costs.  Never deployed.
"""

from wsgi import app

BODY = ("<!doctype html><title>bench</title>" + "x" * 20_480)[:20_480]


def twenty_kb():
    return BODY


app.add_url_rule("/_bench/20k", "bench_20k", twenty_kb)
