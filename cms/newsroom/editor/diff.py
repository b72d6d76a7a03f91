"""Readable differences between two revision snapshots (words marked
``<ins>``/``<del>``), for reviewers and for choosing a revision to restore."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from cms.sanitize import clean_text

FIELDS = [
    ("title", "Judul"),
    ("kind", "Jenis"),
    ("slug", "Slug"),
    ("dateline", "Dateline"),
    ("summary", "Ringkasan"),
    ("body_html", "Isi naskah"),
    ("categories", "Kategori"),
    ("tags", "Tag"),
    ("contact_name", "Nama narahubung"),
    ("contact_role", "Jabatan narahubung"),
    ("contact_phone", "Telepon narahubung"),
    ("contact_email", "E-mail narahubung"),
    ("featured_image_id", "Gambar utama"),
    ("attachment_ids", "Lampiran"),
    ("status", "Status"),
]
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    label: str
    html: Markup


def _text(snapshot: dict, key: str) -> str:
    value = snapshot.get(key, "")
    if key == "body_html":
        return clean_text(re.sub(r"</(p|h\d|li|blockquote|tr)>", "\n\n", value or "", flags=re.I))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def inline_diff(old: str, new: str) -> Markup:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))


def compare(old: dict | None, new: dict) -> list[FieldDiff]:
    """Fields that changed between two snapshots (``old=None``: all of ``new``)."""
    old = old or {}
    changes = []
    for key, label in FIELDS:
        before, after = _text(old, key), _text(new, key)
        if before != after:
            changes.append(FieldDiff(label, inline_diff(before, after)))
    return changes
