"""gunicorn settings for Warta: `gunicorn -c gunicorn.conf.py wsgi:app`.

Sync workers, one per core (Flask views are CPU-bound and short; feeds and
pages are cached, and nginx in front buffers slow clients).  Override any
value with GUNICORN_* environment variables below.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down.
# Not too often: each recycle is a cold fork (measured: ~2x CPU per request at 2,000).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Build the app once in the master: workers fork with it already imported.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # unset: Warta's own JSON request log
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190


def when_ready(server):
    """Before the first fork: load what every worker would load for itself
    (the stemmer's dictionary, Babel's locale data; ``cms.prefork``; the
    release digest of the stored pages, ~40 ms at each fresh worker's first
    item or search otherwise), drop the start-up garbage, and freeze the
    rest (below), so the workers share these pages instead of each building
    a copy."""
    from cms.cache import post_pages
    from cms.prefork import warm_shared

    app = server.app.wsgi()
    warm_shared(app)
    post_pages.epoch(app)  # kept in app.extensions, which the workers inherit
    gc.collect()
    gc.freeze()


def pre_fork(server, worker):
    """Move the preloaded app's objects out of the collector's sight before
    forking: a full collection no longer walks them (it paused a worker for
    ~70 ms with Warta loaded, the tail of every latency figure), and the
    workers no longer dirty, and so copy, the pages that hold them."""
    gc.freeze()


# A worker's first requests fill its caches (compiled templates, Babel's
# locale data, prepared statements); freezing them too keeps later full
# collections from walking them (a 30-70 ms pause each, the tail of p99).
gc_freeze_after = int(os.environ.get("GUNICORN_GC_FREEZE_AFTER", "500"))


def post_request(worker, req, environ, resp):
    if worker.nr == gc_freeze_after:
        gc.freeze()


def post_fork(server, worker):
    """Each worker gets its own database connections (never share a pool across fork)."""
    from cms.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose()
