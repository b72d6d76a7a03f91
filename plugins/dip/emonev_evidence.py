"""The DIP's e-Monev evidence (``cms_monev_evidence``): the year's DIP, the
informasi berkala, serta merta and setiap saat published (with their dates
and URLs) and the DIK, each printed as a dated PDF table."""

from __future__ import annotations

import io
from datetime import datetime

from markupsafe import escape
from sqlalchemy import select

from cms.api import db, html_to_pdf, tanggal, to_wib, utcnow
from plugins.dip.models import DikEntry, DipEntry
from plugins.dip.services import public_url

KINDS = {
    "berkala": "Informasi yang wajib disediakan dan diumumkan secara berkala",
    "serta_merta": "Informasi yang wajib diumumkan secara serta merta",
    "setiap_saat": "Informasi yang wajib tersedia setiap saat",
}
STYLE = """@page { size: A4 landscape; margin: 15mm; @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } h1 { font-size: 13pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #000; padding: 1.5pt 3pt; vertical-align: top; }
th { background: #e6e6e6; text-align: left; }"""


def documents(year: int) -> list[dict]:
    printed: dict[str, bytes] = {}  # one build: each category list printed once, the whole DIP joins them
    docs = [
        {"key": "dip.dip", "title": f"Daftar Informasi Publik {year}", "make": lambda: dip_list(year, None, printed)},
        {"key": "dip.dik", "title": f"Daftar Informasi yang Dikecualikan {year}", "make": lambda: dik_list(year)},
    ]
    for kind, label in KINDS.items():
        docs.append(
            {"key": f"dip.{kind}", "title": f"{label} ({year})", "make": lambda k=kind: dip_list(year, k, printed)}
        )
    return docs


def _date(value) -> str:
    if value is None:
        return "—"
    return tanggal(to_wib(value).date() if isinstance(value, datetime) else value)


def table(title: str, head: list[str], rows: list[list]) -> bytes:
    today = tanggal(to_wib(utcnow()).date())
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(head)}">Tidak ada data.</td></tr>'
    html = (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>Dicetak dari Warta pada {escape(today)}. Jumlah baris: {len(rows)}.</p>"
        "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )
    return html_to_pdf(html)


def dip_list(year: int, kind: str | None = None, printed: dict[str, bytes] | None = None) -> bytes:
    """The published entries of ``year`` (of one category, or all three one after the other).

    One block per entry, not a table row: WeasyPrint lays out a paragraph
    about four times faster than a table cell, which keeps 1,400 entries
    to seconds.  The whole DIP is the three category lists joined, each
    printed once per build (``printed``, from ``documents``)."""
    if kind is None:
        from pypdf import PdfWriter  # 16 MB: at first use, not in every web worker

        writer = PdfWriter()
        for each in KINDS:
            writer.append(io.BytesIO(dip_list(year, each, printed)))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    if printed is not None and kind in printed:
        return printed[kind]
    where = (DipEntry.year == year, DipEntry.published_at.is_not(None), DipEntry.category == kind)
    stmt = select(DipEntry).where(*where).order_by(DipEntry.published_at, DipEntry.id)
    blocks = []
    for n, e in enumerate(db.session.scalars(stmt), start=1):
        unit = e.unit.name if e.unit else "PPID Utama"
        blocks.append(
            f"<p><b>{n}. {escape(e.title)}</b><br>{escape(unit)} · pejabat: {escape(e.official or '—')} · "
            f"dibuat {escape(_date(e.made_on))} · diumumkan {escape(_date(e.published_at))}<br>"
            f"<span class=u>{escape(public_url(e))}</span></p>"
        )
    body = "".join(blocks) or "<p>Tidak ada data.</p>"
    title = f"{KINDS[kind]} — {year}"
    today = tanggal(to_wib(utcnow()).date())
    html = (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE} p {{ margin: 0 0 3pt; }} .u {{ color: #333; }}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>Dicetak dari Warta pada {escape(today)}. Jumlah informasi: {len(blocks)}.</p>{body}</body></html>"
    )
    pdf = html_to_pdf(html)
    if printed is not None:
        printed[kind] = pdf
    return pdf


def dik_list(year: int) -> bytes:
    stmt = select(DikEntry).where(DikEntry.year == year, DikEntry.published.is_(True)).order_by(DikEntry.id)
    rows = [
        [n, d.information, f"Pasal 17 huruf {d.pasal17}" if d.pasal17 else d.other_law, d.period_text, d.sk_number]
        for n, d in enumerate(db.session.scalars(stmt), start=1)
    ]
    head = ["No", "Informasi yang dikecualikan", "Dasar hukum", "Jangka waktu", "Nomor SK"]
    return table(f"Daftar Informasi yang Dikecualikan {year}", head, rows)
