"""The scorecard: raw figures from every enabled plugin, scored and ranked.

An indicator whose source plugin is disabled is "tidak tersedia" and drops
out: the weights of the others in its category are scaled up to fill its
place, and a category with nothing available hands its weight to the other
categories the same way, so a unit is never penalised for a missing plugin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from cms.api import Unit, db, results
from plugins.monev import catalogue
from plugins.monev.catalogue import CATEGORIES, INDICATORS, Scored
from plugins.monev.models import MonevPeriod

# Figures describing today's state rather than the period (registered or
# connected accounts, requests overdue *now*, the checklist's size): they do
# not make an empty period one "with data".
STATE_KEYS = frozenset({"monev.self_items", "monev.accounts", "inbox.open_overdue", "crosspost.accounts"})


@dataclass
class Result:
    spec: Scored
    available: bool
    value: float | None = None
    num: float | None = None
    den: float | None = None
    score: float | None = None
    empty: bool = False  # no data in the period: scored with the empty score
    link: str | None = None


@dataclass
class UnitCard:
    unit_id: int
    name: str
    results: list[Result]
    categories: dict[str, float | None]
    total: float | None
    rank: int = 0
    previous: float | None = None

    @property
    def qualification(self) -> str:
        return catalogue.qualification(self.total)

    @property
    def trend(self) -> float | None:
        if self.total is None or self.previous is None:
            return None
        return round(self.total - self.previous, 1)


@dataclass
class Scorecard:
    period: MonevPeriod
    cards: list[UnitCard]
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)
    unavailable: list[Scored] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        """Whether anything happened in the period for the units shown."""
        shown = {c.unit_id for c in self.cards}
        return any(
            fig["values"].get(unit_id) for fig in self.raw.values() if fig["key"] not in STATE_KEYS for unit_id in shown
        )

    def card(self, unit_id: int) -> UnitCard | None:
        return next((c for c in self.cards if c.unit_id == unit_id), None)


def units(unit_ids: set[int] | None = None) -> list[Unit]:
    stmt = select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if unit_ids is not None:
        stmt = stmt.where(Unit.id.in_(unit_ids or {-1}))
    return list(db.session.scalars(stmt))


def collect(period: MonevPeriod, unit_ids: list[int]) -> dict[str, dict[str, Any]]:
    """Every enabled plugin's raw figures, by key; a failing plugin is logged and left out."""
    start, end = period.bounds
    raw: dict[str, dict[str, Any]] = {}
    for _plugin, figures in results("cms_monev_indicators", start=start, end=end, unit_ids=unit_ids):
        for fig in figures or []:
            if isinstance(fig, dict) and isinstance(fig.get("values"), dict) and isinstance(fig.get("key"), str):
                raw[fig["key"]] = fig
    return raw


def build(
    period: MonevPeriod,
    unit_list: list[Unit] | None = None,
    *,
    with_trend: bool = True,
    shown: set[int] | None = None,
) -> Scorecard:
    """Score and rank ``unit_list`` (every active unit by default); with ``shown``,
    keep only those units' cards, each still with its rank among all of them."""
    unit_list = units() if unit_list is None else unit_list
    ids = [u.id for u in unit_list]
    raw = collect(period, ids)
    unavailable = [s for s in INDICATORS if not _available(s, raw)]
    cards = [_card(u, raw) for u in unit_list]
    _rank(cards)
    if shown is not None:
        cards = [c for c in cards if c.unit_id in shown]
        unit_list = [u for u in unit_list if u.id in shown]
    if with_trend:
        _add_trend(period, cards, unit_list)
    return Scorecard(period, cards, raw, unavailable)


def _available(spec: Scored, raw) -> bool:
    return all(k in raw for k in spec.num) and (spec.den is None or spec.den in raw)


def _result(spec: Scored, raw, unit_id: int) -> Result:
    if not _available(spec, raw):
        return Result(spec, available=False)
    values = [raw[k]["values"].get(unit_id) for k in spec.num]
    first = raw[spec.num[0]]
    link = (len(spec.num) > 1 and first.get("group_link")) or first.get("link")
    link = link.replace("{unit}", str(unit_id)) if isinstance(link, str) else None
    if any(k in catalogue.MEDIAN_KEYS for k in spec.num):
        value = values[0]
        if value is None:
            return Result(spec, True, value=None, score=spec.empty_score, empty=True, link=link)
        return Result(spec, True, value=round(float(value), 1), score=catalogue.score(spec, float(value)), link=link)
    num = float(sum(v or 0 for v in values))
    if spec.den is None:
        return Result(spec, True, value=num, num=num, score=catalogue.score(spec, num), link=link)
    den = float(raw[spec.den]["values"].get(unit_id) or 0)
    if den <= 0:
        return Result(spec, True, value=0.0, num=num, den=0.0, score=spec.empty_score, empty=True, link=link)
    value = round(num / den * 100, 1)
    return Result(spec, True, value=value, num=num, den=den, score=catalogue.score(spec, value), link=link)


def weighted(pairs: list[tuple[float, float | None]]) -> float | None:
    """Σ w·s / Σ w over the available (non-None) scores; None when none is."""
    used = [(w, s) for w, s in pairs if s is not None and w > 0]
    total = sum(w for w, _ in used)
    return round(sum(w * s for w, s in used) / total, 1) if total else None


def _card(unit: Unit, raw) -> UnitCard:
    results_ = [_result(spec, raw, unit.id) for spec in INDICATORS]
    categories = {
        cat: weighted([(catalogue.weight(r.spec), r.score) for r in results_ if r.spec.category == cat and r.available])
        for cat in CATEGORIES
    }
    weights = catalogue.category_weights()
    total = weighted([(float(weights.get(cat, 0)), score) for cat, score in categories.items()])
    return UnitCard(unit.id, unit.name, results_, categories, total)


def _rank(cards: list[UnitCard]) -> None:
    cards.sort(key=lambda c: (-(c.total if c.total is not None else -1), c.name))
    rank, last = 0, object()
    for i, card in enumerate(cards, start=1):
        if card.total != last:
            rank, last = i, card.total
        card.rank = rank


def previous_period(period: MonevPeriod) -> MonevPeriod:
    """The period before (a transient object when never created: its data still exists)."""
    year, kind = period.previous_key()
    found = db.session.scalar(select(MonevPeriod).where(MonevPeriod.year == year, MonevPeriod.kind == kind))
    return found or MonevPeriod(year=year, kind=kind)


def _add_trend(period: MonevPeriod, cards: list[UnitCard], unit_list: list[Unit]) -> None:
    before = build(previous_period(period), unit_list, with_trend=False)
    if not before.has_data:  # nothing recorded then: no trend rather than a made-up one
        return
    totals = {c.unit_id: c.total for c in before.cards}
    for card in cards:
        card.previous = totals.get(card.unit_id)
