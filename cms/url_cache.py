"""``url_for`` for templates, remembering the URLs every page repeats.

A page builds about fifteen URLs, most of them the same on every page: the
navigation, the home page, stylesheets and scripts.  Flask builds each anew
(about 12 µs: URL defaults, the routing map, quoting).  This keeps the
relative URLs built without arguments, or for a static file by name, per
app and script root; anything else goes to Flask every time.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask import url_for as flask_url_for

_STORE = "cms_url_cache"


def url_for(endpoint: str, **values) -> str:
    if not has_request_context() or current_app.debug or not _plain(endpoint, values):
        return flask_url_for(endpoint, **values)
    known = current_app.extensions.setdefault(_STORE, {})
    key = (endpoint, request.script_root, values.get("filename"))
    url = known.get(key)
    if url is None:
        # Static URLs carry the file's fingerprint (cms.assets), fixed
        # outside debug mode until a deploy restarts the app.
        url = known[key] = flask_url_for(endpoint, **values)
    return url


def _plain(endpoint: str, values: dict) -> bool:
    """No arguments, or only a static file's name: the same URL every time."""
    if not values:
        return not endpoint.startswith(".")  # "." is relative to the request's blueprint
    return len(values) == 1 and "filename" in values and (endpoint == "static" or endpoint.endswith(".static"))


def init_app(app) -> None:
    app.jinja_env.globals["url_for"] = url_for
