"""Where a ``next``, ``return_to``, ``back`` or referrer may send the browser: this site only.

Every view that redirects to an address the request carries goes through
``safe_target`` (or ``redirect_back``), so a crafted link cannot send a
signed-in officer to another host.  Only a path on this site is accepted:
``/admin/dip/3?x=1``.  Anything a browser could read as another host is
refused, in whatever spelling: ``//host``, ``/\\host``, ``https:host``,
``javascript:…``, tabs or newlines that browsers drop (``/\\t/host``) and
percent-encoded slashes (``/%2F%2Fhost``).
"""

from __future__ import annotations

import unicodedata
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

PARAMETERS = ("next", "return_to", "back")
MAX_LENGTH = 2048  # longer than any URL the site builds; a guard against junk


def is_local(target: object) -> TypeGuard[str]:
    """True when ``target`` is a path on this site and nothing a browser
    could resolve to another origin."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return False
    if "\\" in target or any(_invisible(ch) for ch in target):
        return False  # browsers read "\\" as "/" and drop tabs and newlines
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not _rooted(target):
        return False
    decoded = target
    for _ in range(3):  # a proxy or framework that decodes once must not find a host either
        step = unquote(decoded)
        if step == decoded:
            return True
        decoded = step
        if not _rooted("".join(ch for ch in decoded if not _invisible(ch))):
            return False
    return False  # still decoding after three rounds: nobody links like that


def _invisible(ch: str) -> bool:
    """Control characters, spaces and other separators."""
    return unicodedata.category(ch)[0] in "CZ"


def _rooted(path: str) -> bool:
    """Starts with one slash: a path on the current host, not ``//host`` or ``/\\host``."""
    return path.startswith("/") and path[1:2] not in ("/", "\\")


def safe_target(target: object, fallback: str, **values) -> str:
    """``target`` when it is a local path, else ``url_for(fallback, **values)``."""
    return target if is_local(target) else url_for(fallback, **values)


def requested_target(*, referrer: bool = False) -> str | None:
    """The first local path among the request's ``next``/``return_to``/``back``
    (form first, then query string); with ``referrer=True`` the ``Referer``
    header counts too when it names this site."""
    for source in (request.form, request.args):
        for name in PARAMETERS:
            value = source.get(name)
            if is_local(value):
                return value
    if referrer and request.referrer:
        return _same_origin_path(request.referrer)
    return None


def redirect_back(fallback: str, *, referrer: bool = False, **values) -> Response:
    """Redirect to where the request asked to go back to, if that is on this
    site; otherwise to ``fallback`` (an endpoint, built with ``values``)."""
    return redirect(requested_target(referrer=referrer) or url_for(fallback, **values))


def _same_origin_path(url: str) -> str | None:
    parts = urlsplit(url)
    here = urlsplit(request.host_url)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local(path) else None
