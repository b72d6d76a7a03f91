"""A feed opened in a browser: a plain HTML page, not XML.

Chromium is removing XSLT, so the XSL stylesheet can no longer make a feed
readable in a browser.  When the request asks for HTML the way browsers do
(``text/html`` before any ``xml`` in ``Accept``: ``views.accepts_html``), the
feed URL answers with a page saying what a feed is, how to subscribe, and
the items with their dates in Indonesian.  Feed readers (``*/*``, no
``Accept``, feedparser's list of feed types) still get the XML.

The same URL answers both, with ``Vary: Accept``; every cache in front keeps
them apart: the nginx site reduces ``Accept`` to ``text/html`` or ``*/*``
and keys its micro-cache on it, and serves page files only to ``*/*``
(``deploy/nginx/warta.conf``); the page-file writer asks with ``*/*``; the
worker cache keys on the raw header; and the feed store keeps only the XML.
A separate URL would need a redirect for browsers, which varies on
``Accept`` just the same.

The page's ETag is the XML rendering's plus ``-html-<language>``, so a
revalidation is answered (304) without rendering anything.
"""

from __future__ import annotations

import time

from flask import current_app, render_template, request

from cms.content_version import share
from cms.feeds import build as feeds
from cms.feeds import rendering
from cms.feeds.items import Scope, feed_url, load_posts, resolve, to_item
from cms.i18n import current_language, to_wib
from cms.letterforms import tanggal
from cms.newsroom.public import public_view

FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def indonesian_date(moment) -> str:
    """``6 Desember 2026, 10.00 WIB``."""
    wib = to_wib(moment)
    return f"{tanggal(wib)}, {wib:%H.%M} WIB"


def respond(scope: Scope, fmt: str, rendered: rendering.Rendered):
    etag = f"{rendered.etag}-html-{current_language()}"
    max_age = int(current_app.config.get("FEEDS_MAX_AGE", 300))
    if rendered.expires:
        max_age = max(0, min(max_age, int(rendered.expires - time.time())))
    headers = [
        ("Vary", "Accept, Accept-Encoding"),
        ("ETag", f'"{etag}"'),
        ("Last-Modified", rendered.last_modified_header),
        ("Cache-Control", f"public, max-age={max_age}"),
    ]
    if rendering.not_modified(
        etag, rendered.last_modified, request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
    ):
        return current_app.response_class(b"", status=304, headers=headers)
    stmt, title, home = resolve(scope)
    items = [to_item(post) for post in load_posts(stmt, int(current_app.config.get("FEEDS_ITEMS", 50)))]
    body = render_template(
        "feeds/browser.html",
        title=title,
        home=home,
        fmt=fmt,
        format_label=FORMAT_LABELS[fmt],
        self_url=feed_url(scope, fmt),
        urls={f: feed_url(scope, f) for f in feeds.FORMATS},
        labels=FORMAT_LABELS,
        mimetypes=feeds.MIMETYPES,
        items=[(item, indonesian_date(item.published)) for item in items],
    )
    if rendered.expires is None and public_view():
        share(rendered.counter)  # the same page for every anonymous browser (worker cache)
    response = current_app.response_class(body, status=200, headers=headers, mimetype="text/html")
    return response
