"""The newsroom's anonymous pages, as the cache serves them.

Registered by :func:`cms.cache.install` around the public views, which know
nothing of caching.  Before the view: the content version is read (before
rendering, so a change committed meanwhile only expires the page), and an
item page is answered from its stored copy (layer 2, ``post_pages``) when
one is exact.  After it: a 200 gets its ETag (a digest of the bytes, so
every worker and machine agrees), ``Vary: Cookie``, a 304 when the client
has it, and the mark that lets layer 1 (``shared_cache``) keep it under the
version it was rendered for.

Signed-in users, flashed messages and previews are served live and unmarked.

Search pages (``/cari``) are kept too, with a trade-off: a results page is
the same for every anonymous reader while the content counter holds, so a
repeated search (a popular word, a link shared on social media, the pager)
costs a memory lookup instead of two FTS passes and a render; but queries
vary without end, so they live in a room of their own bounded by
``CMS_SEARCH_CACHE_BYTES`` (a crawler trying words evicts only other
searches, never the home or item pages), under a key normalised by
``search.search_key`` (white space, parameter order, ``page=1``) that keeps
the letter case: the page repeats the query as typed.  Each page is also written
as a file every worker of the machine reads (``CMS_SEARCH_CACHE_FILES``,
``cms.cache.query_page_files``), so a recycled worker does not render every
query again.  Any publication
empties it (the counter moves), and an entry never outlives the next
embargo lifting (``search.visible_until``).
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request

from cms.cache import post_pages, shared_cache
from cms.content_version import current_version, share
from cms.extensions import db
from cms.i18n import select_locale
from cms.newsroom import search
from cms.newsroom.public import public_view

# Endpoints whose anonymous response is the same for everyone while the
# content version holds.  ``public.sitemap`` renders the first chunk itself.
PAGES = frozenset(
    {
        "public.home",
        "public.list_releases",
        "public.list_news",
        "public.release",
        "public.news",
        "public.category",
        "public.unit",
        "public.tag",
        "public.sitemap",
        "public.sitemap_chunk",
        "public.search",
    }
)
# Endpoints whose page also changes by time alone: when, in epoch seconds.
EXPIRES = {"public.search": search.visible_until}
SEARCH_CACHE_BYTES = 8 * 1024 * 1024  # default of CMS_SEARCH_CACHE_BYTES: ~450 result pages (18 KB) a worker
SEARCH_FILES = 5000  # default of CMS_SEARCH_CACHE_FILES: result pages kept as files per version, ~90 MB
ITEMS = {"public.release": "siaran-pers", "public.news": "berita"}
_VERSION = "cms.cache.version"  # request.environ: the version read before the view


def _before():
    endpoint = request.endpoint
    if endpoint not in PAGES or not public_view():
        return None
    if current_app.config.get("NEWSROOM_PAGE_CACHE", True):
        try:
            request.environ[_VERSION] = current_version()
        except Exception:  # noqa: BLE001 - no counter (table missing): render every time
            db.session.rollback()
    kind = ITEMS.get(endpoint)
    if kind is not None and select_locale() == current_app.config["BABEL_DEFAULT_LOCALE"]:
        stored = post_pages.lookup(kind, (request.view_args or {}).get("slug", ""))
        if stored is not None:
            return current_app.response_class(stored, mimetype="text/html")
    return None


def _after(response):
    version = request.environ.pop(_VERSION, None)
    if version is None or response.status_code != 200:
        return response
    until = EXPIRES.get(request.endpoint or "")
    share(version.counter, until() if until else None)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.headers["Vary"] = "Cookie"
    response = response.make_conditional(request)
    del response.headers["Date"]  # the server sends one (gunicorn would send it twice)
    return response


def init_app(app: Flask) -> None:
    """After the app's own request handlers: the visitor is settled first,
    and the response leaves here before the security headers are added."""
    app.before_request(_before)
    app.after_request(_after)
    shared_cache.query_pages(
        "/cari",
        search.search_key,
        "CMS_SEARCH_CACHE_BYTES",
        SEARCH_CACHE_BYTES,
        "CMS_SEARCH_CACHE_FILES",
        SEARCH_FILES,
        post_pages.epoch,
    )
