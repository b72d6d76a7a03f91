"""Hostile input, checked at one place per kind of value.

- ids in URLs: the ``int`` URL converter (``IdConverter``) matches 1..DB_INT_MAX
  only, so an id the database cannot hold is a 404 before any view runs (an
  out-of-range value raises OverflowError on SQLite, DataError on PostgreSQL);
- integers in query strings: ``query_int`` / ``query_page`` / ``query_year``
  (a wrong value is ignored); in the JSON API ``query_int_or_400`` (a wrong
  value is a 400 naming the parameter);
- dates and integers in forms: ``LawfulDate`` and ``bounded_int``;
- JSON: form endpoints refuse a JSON body (``refuse_json_on_forms``); JSON
  endpoints say so with ``@accepts_json`` and read it with ``json_object``;
  every untrusted JSON text (request bodies through ``BoundedJSONProvider``,
  uploaded files through ``load_json``) is parsed by ``load_json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, NoReturn, overload

from flask import abort, current_app, jsonify, make_response, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms.validators import NumberRange, ValidationError

# Every id column is INTEGER (PostgreSQL int4); BigInteger would allow 2**63-1.
DB_INT_MAX = 2**31 - 1
PAGE_MAX = 10_000
# One name a line: the reference docs (griffe) read each constant on its own.
YEAR_MIN = 1945
"""The earliest year a form or query accepts."""
YEAR_MAX = 2200  # the DIP forms take years up to 2200
"""The latest year a form or query accepts."""
# Anything the public-information law deals with happened after independence
# and is at most a year ahead (schedules, deadlines).
LAW_FIRST_DAY = date(1945, 8, 17)


class IdConverter(IntegerConverter):
    """``<int:...>`` with the database's range as default bounds: 0, negative
    and 20-digit ids do not match the rule (404)."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, 1 if min is None else min, DB_INT_MAX if max is None else max, signed)


def valid_id(value: Any) -> int | None:
    """``value`` as an id the database can hold, else None (ids from forms,
    JSON and query strings before a ``session.get``)."""
    return int_in(value, low=1, high=DB_INT_MAX)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 100:
        return None
    return int(text)


# ------------------------------------------------------------ query strings


def int_in(value: Any, default: int | None = None, *, low: int, high: int) -> int | None:
    """``value`` (text or int) as an integer within [low, high], else ``default``."""
    number = _as_int(value)
    return number if number is not None and low <= number <= high else default


def query_int(name: str, default: int | None = None, *, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high].  A value that is not
    one is ignored (the default applies), as filters on these pages always
    were: a hand-edited URL still shows a page."""
    return int_in(request.args.get(name), default, low=low, high=high)


def query_page(name: str = "page") -> int:
    """The page number; one past PAGE_MAX is no page at all (404)."""
    number = page_number(request.args.get(name))
    if number is None:
        abort(404)
    return number


def page_number(value: Any) -> int | None:
    """``value`` as ``query_page`` reads it: 1 when absent or not a number,
    ``None`` (no such page) past ``PAGE_MAX``."""
    number = _as_int(value)
    if number is not None and number > PAGE_MAX:
        return None
    return number if number is not None and number >= 1 else 1


def query_year(name: str = "year", default: int | None = None) -> int | None:
    """The query argument ``name`` as a year in ``YEAR_MIN..YEAR_MAX``; any other value gives ``default``."""
    return query_int(name, default, low=YEAR_MIN, high=YEAR_MAX)


def query_id(name: str) -> int | None:
    """The query argument ``name`` as a possible row id, else ``None`` (absent, not a number, out of range)."""
    return query_int(name, None, low=1, high=DB_INT_MAX)


@overload
def query_int_or_400(name: str, default: int, *, low: int, high: int) -> int: ...
@overload
def query_int_or_400(name: str, default: None = None, *, low: int, high: int) -> int | None: ...
def query_int_or_400(name: str, default: int | None = None, *, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high], ``default`` when absent;
    anything else is a 400 naming the parameter (for JSON APIs, which report a
    wrong value instead of ignoring it as ``query_int`` does)."""
    value = request.args.get(name)
    if value is None:
        return default
    value = value.strip()
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        abort(400, description=f"Parameter '{name}' harus bilangan {low}–{high}.")
    return int(value)


# ------------------------------------------------------------------- forms


def bounded_int(low: int = 0, high: int = DB_INT_MAX) -> NumberRange:
    """An IntegerField's range: within what the database column holds."""
    return NumberRange(min=low, max=high, message=_l("Isi bilangan %(low)s–%(high)s.", low=low, high=high))


class LawfulDate:
    """A date (or datetime) between 17 August 1945 and a year from today:
    0001-01-01 or 9999-12-31 is a typing error, and deadline arithmetic on it
    would overflow."""

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        last = date.today() + timedelta(days=366)
        if not LAW_FIRST_DAY <= day <= last:
            raise ValidationError(_l("Tanggal harus antara 17-08-1945 dan %(last)s.", last=last.strftime("%d-%m-%Y")))


# -------------------------------------------------------------------- JSON


class JSONTooDeep(ValueError):
    """JSON nested deeper than the parser can follow."""


def load_json(text: str | bytes, **kwargs: Any) -> Any:
    """Untrusted JSON text as Python values.  The standard parser recurses
    once per level of nesting, so ``[[[[…`` a few thousand deep raises
    RecursionError (not ValueError) and escapes every ``except ValueError``:
    here it is a ValueError like any other malformed JSON."""
    if _nesting(text) > JSON_MAX_DEPTH:
        raise JSONTooDeep("JSON nested too deeply")
    try:
        return json.loads(text, **kwargs)
    except RecursionError:  # a lower recursion limit than the depth cap assumes
        raise JSONTooDeep("JSON nested too deeply") from None


# Deeper than any form or API body Warta reads; checked before parsing, as
# whether the parser itself gives up depends on the interpreter's recursion
# limit (which test tools and threads change).
JSON_MAX_DEPTH = 256
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings skipped)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if text.count("[") + text.count("{") <= JSON_MAX_DEPTH:
        return 0  # cannot be deeper than the cap: the common case costs two counts
    depth = deepest = 0
    for token in _JSON_TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    """The app's JSON provider: ``request.get_json`` parses with ``load_json``,
    so a too-deep body is a 400 (or None with ``silent=True``), not a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return load_json(s, **kwargs)


def accepts_json(view: Callable) -> Callable:
    """Mark a view that reads a JSON body (the guard lets it through)."""
    view.accepts_json = True  # type: ignore[attr-defined]  # a marker, read with getattr
    return view


def refuse_json_on_forms():
    """Form endpoints read form data only.  Flask-WTF would turn a JSON body
    into form data and fields would get lists, numbers or dicts; refuse it
    with 415 and say what to send instead."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.is_json:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "accepts_json", False):
        return None
    abort(
        415,
        _l("Halaman ini menerima formulir (application/x-www-form-urlencoded atau multipart/form-data), bukan JSON."),
    )


def json_object(fields: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    """The request's JSON body as an object with only ``fields``, each of the
    given type; a form post is read the same way.  Anything else is a JSON
    400 naming the field."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            _refuse(_l("Isi kiriman harus objek JSON."))
    else:
        data = request.form.to_dict()
    clean: dict[str, Any] = {}
    for name, kinds in fields.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
            _refuse(_l("Isian '%(name)s' bertipe salah.", name=name))
        clean[name] = value
    return clean


def _refuse(message: object) -> NoReturn:
    """JSON endpoints answer errors in JSON (``ok``/``error``, as autosave does)."""
    abort(make_response(jsonify(ok=False, error=str(message)), 400))


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)
