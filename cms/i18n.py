"""Language and date formatting: Indonesian first, English available."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_babel import format_date as _babel_date
from flask_babel import format_datetime as _babel_datetime

WIB = ZoneInfo("Asia/Jakarta")


def select_locale() -> str:
    languages = current_app.config["CMS_LANGUAGES"]
    if has_request_context():
        lang = request.args.get("lang") or session.get("lang")
        if lang in languages:
            return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return select_locale()


def to_wib(value: datetime) -> datetime:
    """Stored datetimes are naive UTC; show them in WIB."""
    if value.tzinfo is None:
        from datetime import timezone

        value = value.replace(tzinfo=timezone.utc)
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
