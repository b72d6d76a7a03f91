"""Language and date formatting: Indonesian first, English available."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_babel import format_date as _babel_date
from flask_babel import format_datetime as _babel_datetime
from flask_babel import format_decimal as _babel_decimal
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

WIB = ZoneInfo("Asia/Jakarta")
"""Western Indonesian Time, the zone dates are shown and counted in."""


def select_locale() -> str:
    languages = current_app.config["CMS_LANGUAGES"]
    if has_request_context():
        lang = request.args.get("lang") or session.get("lang")
        if lang in languages:
            return str(lang)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return select_locale()


def template_gettext() -> dict:
    """Context processor: ``_()`` in a template bound to the catalogue of
    the moment, looked up once per render.

    Flask-Babel's own template gettext finds the locale and its catalogue
    again for every string (about 15 µs, twenty times a page); a render
    happens inside one locale (``force_locale`` wraps whole renders).  Same
    result as Jinja's "newstyle" gettext: escaped in HTML templates, and
    ``%(name)s`` filled from keyword arguments."""
    lookup = get_translations().ugettext

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        translated = lookup(string)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables

    return {"gettext": gettext}


def to_wib(value: datetime) -> datetime:
    """Stored datetimes are naive UTC; show them in WIB."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB)


def format_date(value: date | datetime | None, style: str = "full") -> str:
    """``Kamis, 3 Maret 2023`` (style ``full``) or ``3 Mar 2023`` (``medium``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_wib(value).date()
    pattern = "EEEE, d MMMM y" if style == "full" else "d MMM y"
    return _babel_date(value, pattern)


def format_datetime(value: datetime | None, style: str = "full") -> str:
    """``Kamis, 3 Maret 2023 10.00 WIB``."""
    if value is None:
        return ""
    local = to_wib(value)
    pattern = "EEEE, d MMMM y HH.mm" if style == "full" else "d MMM y HH.mm"
    return _babel_datetime(local.replace(tzinfo=None), pattern, rebase=False) + " WIB"


def format_number(value, digits: int = 1):
    """``87,5`` and ``1.234`` in Indonesian, ``87.5`` and ``1,234`` in English:
    the current locale's separators, at most ``digits`` decimals, none when
    whole.  Anything not a number (None, "—", a date) is returned as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return _babel_decimal(value, format="#,##0" + ("." + "#" * digits if digits > 0 else ""))
