"""The project's gunicorn settings (``gunicorn.conf.py``)."""

from __future__ import annotations

import gc
import runpy
from types import SimpleNamespace

from cms.testing.servers import ROOT


def test_workers_fork_with_the_preloaded_app_out_of_the_collectors_sight(app):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["preload_app"] is True and settings["worker_class"] == "sync"
    tracked = len(gc.get_objects())
    try:
        settings["pre_fork"](server=None, worker=None)
        # A full collection in a worker now walks only what the worker makes,
        # not the app (tens of thousands of objects, a ~70 ms pause).
        assert gc.get_freeze_count() >= tracked - 100
        assert len(gc.get_objects()) < 100
    finally:
        gc.unfreeze()


def test_a_worker_freezes_what_its_first_requests_made(app, monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_FREEZE_AFTER", "3")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    worker = SimpleNamespace(nr=0)
    warm_cache = [{"page": n} for n in range(1000)]  # what early requests leave behind
    try:
        for n in (1, 2):
            worker.nr = n
            settings["post_request"](worker, None, {}, None)
            assert gc.get_freeze_count() == 0
        worker.nr = 3
        settings["post_request"](worker, None, {}, None)
        frozen = gc.get_freeze_count()
        assert frozen >= len(warm_cache)
        worker.nr = 4  # once only: later garbage is still collected
        settings["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_the_master_loads_what_every_worker_needs_before_the_first_fork(app, monkeypatch):
    """``when_ready`` (after the preload, before any fork) loads Babel's data
    for the site's language and the stemmer's dictionary, then freezes them:
    the workers share those pages instead of each loading its own (issue #24)."""
    from babel import localedata

    from cms import stemming

    stemming.stem.cache_clear()
    stemming._stemmer.cache_clear()
    monkeypatch.delitem(localedata._cache, app.config["BABEL_DEFAULT_LOCALE"], raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    try:
        settings["when_ready"](server)
        assert stemming._stemmer.cache_info().currsize == 1
        assert stemming.stem("perizinan") == "izin"
        assert app.config["BABEL_DEFAULT_LOCALE"] in localedata._cache
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
