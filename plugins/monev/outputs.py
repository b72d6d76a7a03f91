"""The Monev report (PDF and XLSX: the ranking, then one sheet per unit) and
the letter of results per unit.  Official documents: Indonesian templates."""

from __future__ import annotations

import io

from flask import render_template
from flask_babel import force_locale

from cms.api import html_to_pdf, tanggal, to_wib, utcnow
from plugins.monev.catalogue import CATEGORIES
from plugins.monev.letter import Head
from plugins.monev.models import MonevLetter
from plugins.monev.scoring import Result, Scorecard, UnitCard


def shown(result: Result) -> str:
    """A value as the pages and documents print it: "tidak tersedia", "87,5 %",
    or, for a figure without a denominator, what that means for its score
    ("tidak ada keberatan (nilai penuh)", "tidak ada unggahan (nilai 0)")."""
    if not result.available:
        return "tidak tersedia"
    if result.empty or result.value is None:
        spec = result.spec.empty
        return spec.text if spec else "tidak ada data"
    number = f"{result.value:g}".replace(".", ",")
    return f"{number} {result.spec.unit}".strip() if result.spec.unit != "%" else f"{number} %"


def fmt(score: float | None) -> str:
    return "tidak tersedia" if score is None else f"{score:g}".replace(".", ",")


def report_pdf(card: Scorecard) -> bytes:
    chart = [(c.name, c.total or 0) for c in card.cards]
    with force_locale("id"):  # an official document: Indonesian numbers whatever the viewer's language
        html = render_template(
            "monev/print/report.html",
            card=card,
            chart=chart,
            categories=CATEGORIES,
            shown=shown,
            fmt=fmt,
            today=_today(),
        )
    return html_to_pdf(html)


def letter_pdf(card: Scorecard, unit_card: UnitCard, head: Head, issued: MonevLetter) -> bytes:
    with force_locale("id"):
        html = render_template(
            "monev/print/letter.html",
            card=card,
            uc=unit_card,
            categories=CATEGORIES,
            shown=shown,
            fmt=fmt,
            kop=head.kop,
            signer=head.signer,
            tembusan=head.tembusan,
            number=issued.number,
            place_date=f"{head.kop['place']}, {tanggal(issued.issued_on)}",
        )
    return html_to_pdf(html)


def _today() -> str:
    return tanggal(to_wib(utcnow()).date())


def _sheet_title(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Unit"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]} ({n})", n + 1
    used.add(title)
    return title


def report_xlsx(card: Scorecard) -> bytes:
    from openpyxl import Workbook  # 12 MB resident: only when a report is written
    from openpyxl.styles import Font

    book = Workbook()
    ranking = book.worksheets[0]
    ranking.title = "Peringkat"
    bold = Font(bold=True)
    ranking.append([f"Hasil Monev PPID Pembantu — {card.period.label}"])
    ranking["A1"].font = bold
    ranking.append(
        ["Peringkat", "Unit", *CATEGORIES.values(), "Nilai total", "Kualifikasi", "Periode sebelumnya", "Perubahan"]
    )
    for cell in ranking[2]:
        cell.font = bold
    for uc in card.cards:
        ranking.append(
            [
                uc.rank,
                uc.name,
                *(uc.categories[c] for c in CATEGORIES),
                uc.total,
                uc.qualification,
                uc.previous,
                uc.trend,
            ]
        )
    if not card.has_data:
        ranking.append(["Tidak ada data pada periode ini; semua angka bernilai nol."])
    used = {"Peringkat"}
    for uc in card.cards:
        sheet = book.create_sheet(_sheet_title(uc.name, used))
        sheet.append([uc.name])
        sheet["A1"].font = bold
        sheet.append(["Nilai total", uc.total, uc.qualification])
        sheet.append(["Kategori", "Indikator", "Nilai indikator", "Skor", "Sumber"])
        for cell in sheet[3]:
            cell.font = bold
        for r in uc.results:
            sheet.append([CATEGORIES[r.spec.category], r.spec.label, shown(r), r.score, r.spec.source_name])
        sheet.append([])
        sheet.append(["Angka mentah", "Nilai"])
        for fig in card.raw.values():
            sheet.append([fig.get("label") or fig["key"], fig["values"].get(uc.unit_id)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
