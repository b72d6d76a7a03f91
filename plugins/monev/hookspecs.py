"""Hooks the monev plugin offers (inbox, dip and crosspost implement the first).

Added by ``hooks.cms_add_hookspecs``; rendered in docs/reference/plugin-hooks.md like core's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cms.api import hookspec


@hookspec
def cms_monev_indicators(start: date, end: date, unit_ids: list[int]) -> list[dict[str, Any]]:
    """Raw Monev figures per PPID Pembantu for the period ``[start, end]``.

    Each plugin reports what only it knows (requests, DIP items, crossposts);
    Monev scores them.  A figure whose plugin is disabled is simply absent,
    and Monev shows it as "tidak tersedia".

    :param start: first day of the period (inclusive).
    :param end: last day of the period (inclusive).
    :param unit_ids: the units being evaluated.
    :returns: a list of dicts ``{"key": "inbox.received", "label": str,
        "category": "ppid" | "pengaduan" | "medsos", "values": {unit_id: number | None},
        "link": URL with ``{unit}`` for the unit id or None, "detail": optional
        {unit_id: {label: number or text}}}``; keys are ``<plugin>.<figure>``.
    """


@hookspec
def cms_monev_scored(period_label: str, scores: dict[int, float]) -> None:
    """The PPID Utama published the Monev results of a period.

    Fired after the commit; a plugin may announce them (e.g. crosspost).

    :param period_label: the period, e.g. "Tahun 2026".
    :param scores: total score per unit id (0–100).
    :returns: nothing.
    """


@hookspec
def cms_monev_evidence(year: int) -> list[dict[str, Any]]:
    """Documents this plugin can print as e-Monev evidence for ``year``.

    The e-Monev questionnaire names them by key (``data/emonev-<year>.json``,
    ``evidence.generated``); a key no enabled plugin offers is shown as
    "tidak tersedia" and the PPID Utama uploads the evidence instead.

    :param year: the questionnaire's year (the evidence covers that year).
    :returns: a list of dicts ``{"key": "<plugin>.<name>", "title": str,
        "make": callable() -> bytes}`` where ``make`` returns a PDF; it is
        called only when the evidence is built (in the worker).
    """


@hookspec
def cms_monev_letterhead() -> dict[str, Any] | None:
    """The PPID Utama's kop surat and signer, from the plugin that keeps the
    letter settings, so Monev's letter of results matches the other letters.

    The first answer that is not ``None`` is used; with none, Monev prints the
    site identity's kop with ``MONEV_LETTER_PLACE`` and ``MONEV_LETTER_SIGNER``.

    :returns: ``{"kop": {"instansi", "unit_name", "unit_code", "address",
        "phone", "email", "website", "place", "logo_uri", "tembusan": [str]},
        "signer": {"name", "position", "nip"} | None,
        "where": text naming where an officer sets them}`` or ``None``.
    """
