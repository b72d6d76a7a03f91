"""The cache room: what stands between a public request and a render.

One entry point invalidates it all: ``cms.content_version.content_changed``
(called explicitly by services, and by that module's listeners for ORM
writes to public tables) bumps the content counter in the changing
transaction.  Everything kept here is keyed by, or checked against, that
counter; nothing in the newsroom or the feeds calls the cache.  Only the
app factory (``install``) and the CLI (``prerender``, ``page-files``) import it.

At most two layers stand in front of a page:

1. **Worker memory** (``shared_cache``): each worker keeps the anonymous
   responses marked shareable (``content_version.share``; set by ``pages``
   for the newsroom's pages and by the feed views) and answers later
   anonymous ``GET``/``HEAD`` requests before Flask runs, 304s included.
   *Invalidated* by the counter: an entry is used only while the counter
   equals the one it was rendered under (read per request: one raw SQL
   statement, or a one-second copy on a database server, forgotten at once
   by the worker that committed), and never past its ``expires`` (an
   embargo lifting).
2. **Renderings stored outside the worker**, one per change, shared by every
   worker and machine:

   - item pages in the ``post_page`` table (``post_pages``): *invalidated*
     by the post row's ``version``, the code and settings ``epoch``, and
     the rows deleted in the changing transaction (``content_version.on_flush``)
     when a correction, category, tag, medium or unit they show changes; a
     job re-renders after a publish or an update, a periodic task refills;
   - the home page, the site feeds, the lists' first pages and the newest
     item pages as files for nginx (``page_files``):
     rewritten by ``flask cms page-files`` when the counter moves, removed
     while an embargo is due or when the writer stops;
   - search results pages as files every worker of a machine reads
     (``query_page_files``, written by ``shared_cache`` beside its memory
     copy): *invalidated* by a folder per content version (the counter and
     when it moved), and by an entry's ``expires``;
   - feed renderings (``feed_store``; Redis when ``REDIS_URL`` is set,
     otherwise the worker's memory): *invalidated* by keys that name the
     counter, and by a scheduled change's time.

The nginx micro-cache (``deploy/nginx/warta.conf``, one second) sits in
front of Warta for stampedes and is not part of this room.  ``cms.url_cache``
and ``cms.fragments`` are not page layers: they keep pieces of templates
(URLs, the navigation) that change only with a deploy, for signed-in pages
too, and live with the other template helpers in the platform.
"""

from __future__ import annotations

from flask import Flask

from cms.cache import hooks, pages, shared_cache
from cms.cache.feed_store import FeedStore
from cms.feeds import rendering


def install(app: Flask) -> None:
    """Put the cache in front of ``app``: its hooks, the view-level handlers
    of the newsroom's pages, the feed store and the WSGI layer (innermost
    middleware: call before ``ProxyFix`` wraps the app)."""
    pm = app.extensions["cms"]
    if not pm.is_registered(hooks):
        pm.register(hooks, name=hooks.__name__)
    app.extensions[rendering.STORE] = FeedStore(app)
    pages.init_app(app)
    shared_cache.install(app)
