"""The project's gunicorn settings (``gunicorn.conf.py``)."""

from __future__ import annotations

import gc
import runpy

from tests.livesrv import ROOT


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
