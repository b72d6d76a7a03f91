"""A search result as the page shows it (``Hit``), made by ``HitMaker``
with the labels of the page's language looked up once a search."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from flask_babel import get_locale, gettext
from markupsafe import Markup

from cms.i18n import format_date, to_wib
from cms.models.content import POST_KINDS


def _published_label(published_at: datetime | None, locale: str) -> str:
    """``format_datetime(published_at)``, the day part formatted once per day
    and locale: Babel (and even asking it for the locale) is the costliest
    part of showing a result."""
    if published_at is None:
        return ""
    local = to_wib(published_at)
    return f"{_day_label(locale, local.date())} {local.hour:02d}.{local.minute:02d} WIB"


@lru_cache(maxsize=4096)
def _day_label(locale: str, day: date) -> str:
    # format_date() uses the request's locale, ``locale``: in the key so each
    # language keeps its own labels (its name: Babel compares Locale objects
    # field by field, in Python).
    return format_date(day)


class Hit(NamedTuple):
    """One result as the page shows it, so the template only prints fields."""

    id: int
    kind: str
    kind_label: str  # in the page's language
    path: str  # the item's URL path (publishing.public_path)
    title: str
    published_label: str  # format_datetime(published_at), see _published_label
    snippet: Markup


class HitMaker:
    """Makes the hits: the page's locale and each kind's name in it are
    looked up once a search."""

    def __init__(self) -> None:
        from cms.newsroom.publishing import public_path

        self.locale = str(get_locale())
        self._kinds: dict[str, str] = {}
        self._path = public_path

    def kind(self, kind: str) -> str:
        label = self._kinds.get(kind)
        if label is None:
            label = self._kinds[kind] = gettext(POST_KINDS.get(kind, kind))
        return label

    def hit(self, row, snippet: Markup) -> Hit:
        return Hit(
            row.id,
            row.kind,
            self.kind(row.kind),
            self._path(row),
            row.title,
            _published_label(row.published_at, self.locale),
            snippet,
        )
