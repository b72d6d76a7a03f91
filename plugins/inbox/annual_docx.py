"""The annual report as a Word document an officer can finish in a word processor.

Same outline as the PDF (``annual_document``): each chapter a Heading 1,
each sub-part a Heading 2, every table a real Word table (style "Table
Grid"), the per-unit table on a landscape section.  Charts stay in the PDF;
their numbers are the tables beside them.  Unfilled narrative parts carry a
bracketed placeholder so they are easy to find and replace.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from plugins.inbox.annual_document import Chart, Table, Text


def _table(doc, block: Table) -> None:
    doc.add_heading(block.title, level=2)
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in block.rows or [["Tidak ada data."] + [""] * (len(block.header) - 1)]:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(value)
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.wide:
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(7)


def _landscape(doc, on: bool) -> None:
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    width, height = sorted((section.page_width, section.page_height), reverse=on)
    section.page_width, section.page_height = width, height


def write(fig: dict, chapters: list, kop, signer: dict, today: str) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(11)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("LAPORAN LAYANAN INFORMASI PUBLIK")
    run.bold, run.font.size = True, Pt(16)
    for line in (fig["period"]["label"], kop.unit_name, kop.instansi, fig["unit"] and f"PPID Pembantu: {fig['unit']}"):
        if line:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for chapter in chapters:
        doc.add_page_break()
        doc.add_heading(f"Bab {chapter.number}. {chapter.title}", level=1)
        for block in chapter.blocks:
            if isinstance(block, Table):
                if block.wide:
                    _landscape(doc, True)
                _table(doc, block)
                if block.wide:
                    _landscape(doc, False)
            elif isinstance(block, Text):
                if block.heading:
                    doc.add_heading(block.heading, level=2)
                for para in block.text.split("\n\n"):
                    doc.add_paragraph(para.strip())
            elif isinstance(block, Chart):
                continue
    closing = doc.add_paragraph(f"\n{kop.place}, {today}\n{signer['position']}\n\n\n\n{signer['name']}")
    if signer["nip"]:
        closing.add_run(f"\nNIP {signer['nip']}")
    closing.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
