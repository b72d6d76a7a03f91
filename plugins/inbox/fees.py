"""The standar biaya and what a request costs under it.

Information is free; the applicant bears only the real cost of copies,
media and sending (UU KIP Pasal 2(3); research §2.7), at the prices the PPID
Utama sets in this table and publishes at ``/ppid/standar-biaya``.  Until
the table is first edited, the defaults below apply (the per-page price
from ``INBOX_FEE_PER_PAGE``, softcopy from ``INBOX_FEE_SOFTCOPY``, free).

Amounts are whole rupiah (``int``); every price, quantity and total is
bounded so sums stay inside the INTEGER columns.  The fee of a decision is
stored on the request as computed (``Fee.as_json``), so a later price
change never alters a notice already sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import func, select

from cms.api import audit, db
from plugins.inbox.fee_models import FeeItem

MAX_QUANTITY = 100_000
MAX_PRICE = 10_000_000
MAX_RUPIAH = 100_000_000
KINDS = ("salinan", "media", "pengiriman", "lainnya")
QTY_PREFIX = "qty-"
_WHOLE = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+")


class FeeError(ValueError):
    """A refused fee input, naming the form field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FeeLine:
    code: str
    label: str
    unit: str
    quantity: int
    price: int

    @property
    def amount(self) -> int:
        return self.quantity * self.price


@dataclass(frozen=True)
class Fee:
    """The fee of one decision: lines of quantity × unit price, and the total."""

    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def pages(self) -> int:
        return sum(line.quantity for line in self.lines if line.unit == "lembar")

    def as_json(self) -> dict:
        return {
            "lines": [
                {"code": ln.code, "label": ln.label, "unit": ln.unit, "quantity": ln.quantity, "price": ln.price}
                for ln in self.lines
            ],
            "total": self.total,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Fee:
        """The fee stored on a decision (older rows without lines read as Rp0)."""
        lines = (data or {}).get("lines") or []
        return cls(tuple(FeeLine(**{k: ln[k] for k in ("code", "label", "unit", "quantity", "price")}) for ln in lines))


def _defaults() -> list[FeeItem]:
    cfg = current_app.config
    rows = [
        (
            "salinan_lembar",
            "Penggandaan dokumen (fotokopi/cetak) per lembar",
            "lembar",
            "salinan",
            "INBOX_FEE_PER_PAGE",
        ),
        (
            "softcopy",
            "Salinan elektronik (softcopy) melalui e-mail atau unduhan",
            "berkas",
            "salinan",
            "INBOX_FEE_SOFTCOPY",
        ),
        ("cd", "Media CD/DVD", "keping", "media", 5000),
        ("flashdisk", "Media flashdisk", "buah", "media", 50000),
        ("pengiriman", "Pengiriman melalui pos/kurir", "kiriman", "pengiriman", 20000),
    ]
    return [
        FeeItem(
            code=code,
            label=label,
            unit=unit,
            kind=kind,
            price=int(cfg[price]) if isinstance(price, str) else price,
            active=True,
            position=i,
        )
        for i, (code, label, unit, kind, price) in enumerate(rows)
    ]


def table_is_set() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(FeeItem)))


def schedule(*, active_only: bool = True) -> list[FeeItem]:
    """The standar biaya as it stands (the defaults, unsaved, until first edited)."""
    if not table_is_set():
        return _defaults()
    stmt = select(FeeItem).order_by(FeeItem.position, FeeItem.id)
    if active_only:
        stmt = stmt.where(FeeItem.active.is_(True))
    return list(db.session.scalars(stmt))


def materialise() -> None:
    """Write the defaults into the table before the first edit."""
    if not table_is_set():
        db.session.add_all(_defaults())
        db.session.flush()


def whole_number(raw, field: str, high: int) -> int:
    """An integer 0..high from a form value or an int; a named error otherwise."""
    message = _("Isi bilangan %(low)s–%(high)s.", low=0, high=format_number(high))  # 100.000.000
    if isinstance(raw, bool):
        raise FeeError(message, field)
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            return 0
        # Digits, or thousands grouped with dots as Indonesians write them ("3.000").
        if not _WHOLE.fullmatch(text) or len(text) > 16:
            raise FeeError(message, field)
        value = int(text.replace(".", ""))
    if not 0 <= value <= high:
        raise FeeError(message, field)
    return value


def quantities_from_form(form: Mapping) -> dict[str, str]:
    """The ``qty-<code>`` inputs of the answer form, by item code."""
    return {key[len(QTY_PREFIX) :]: form[key] for key in form if key.startswith(QTY_PREFIX)}


def fee_for(request, items: Mapping[str, int | str]) -> Fee:
    """The fee of a decision on ``request``: quantities (by item code) × the
    standar biaya's unit prices.  Refuses unknown or inactive items, bad or
    out-of-range quantities and totals above ``MAX_RUPIAH`` (``FeeError``
    naming the field ``qty-<code>`` or ``fee``)."""
    by_code = {item.code: item for item in schedule()}
    lines = []
    for code, raw in items.items():
        field = f"{QTY_PREFIX}{code}"
        quantity = whole_number(raw, field, MAX_QUANTITY)
        item = by_code.get(code)
        if item is None:
            if quantity:
                raise FeeError(_("Jenis biaya ini tidak ada dalam standar biaya."), field)
            continue
        if quantity:
            lines.append(FeeLine(item.code, item.label, item.unit, quantity, int(item.price)))
    order = list(by_code)
    fee = Fee(tuple(sorted(lines, key=lambda ln: order.index(ln.code))))
    if fee.total > MAX_RUPIAH:
        raise FeeError(_("Jumlah biaya melebihi batas %(max)s.", max=f"Rp{MAX_RUPIAH:,}".replace(",", ".")), "fee")
    return fee


def save_item(data: Mapping, item: FeeItem | None = None, *, actor=None) -> FeeItem:
    """Add or change a line of the standar biaya (PPID Utama), audited."""
    materialise()
    label = (data.get("label") or "").strip()
    unit = (data.get("unit") or "").strip()
    if not label or len(label) > 200:
        raise FeeError(_("Uraian wajib diisi (paling banyak 200 karakter)."), "label")
    if not unit or len(unit) > 40:
        raise FeeError(_("Satuan wajib diisi (paling banyak 40 karakter)."), "unit")
    kind = data.get("kind") or ""
    if kind not in KINDS:
        raise FeeError(_("Pilih jenis biaya."), "kind")
    price = whole_number(data.get("price"), "price", MAX_PRICE)
    before = None
    if item is None:
        code = _new_code(label)
        position = (db.session.scalar(select(func.max(FeeItem.position))) or 0) + 1
        item = FeeItem(code=code, position=position)
        db.session.add(item)
    else:
        before = {"label": item.label, "unit": item.unit, "kind": item.kind, "price": item.price, "active": item.active}
    item.label, item.unit, item.kind, item.price = label, unit, kind, price
    item.active = bool(data.get("active")) if before is not None else True
    db.session.flush()
    audit.record(
        "inbox.fee_item.saved",
        "inbox_fee_item",
        item.code,
        {
            "before": before,
            "after": {"label": label, "unit": unit, "kind": kind, "price": price, "active": item.active},
        },
        user=actor,
    )
    db.session.commit()
    return item


def _new_code(label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "biaya"
    code, n = base, 1
    while db.session.scalar(select(FeeItem.id).where(FeeItem.code == code)) is not None:
        n += 1
        code = f"{base}_{n}"
    return code


def item_by_code(code: str) -> FeeItem | None:
    materialise()
    return db.session.scalar(select(FeeItem).where(FeeItem.code == code))
