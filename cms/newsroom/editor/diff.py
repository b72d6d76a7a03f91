"""Readable differences between two revision snapshots, for reviewers and
for choosing a revision to restore.

Word level (difflib over words and spaces): only the changed words are
marked ``<ins>``/``<del>``, with a few words of context either side; long
unchanged stretches collapse to an ellipsis, so a one-word fix in a long
release is one line to read, not the whole text again."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
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
    ("embargo_proposed_at", "Usulan waktu embargo"),
    ("status", "Status"),
]
_TOKEN = re.compile(r"\s+|[^\s]+")
# Words of unchanged text kept either side of a change.
CONTEXT_WORDS = 6
GAP = "…"

# Revision actions as people say them (the codes stay in the database).
ACTION_LABELS = {
    "create": _l("Dibuat"),
    "save": _l("Disimpan"),
    "correction": _l("Diralat"),
    "submit": _l("Diajukan untuk ditinjau"),
    "request_changes": _l("Dikembalikan ke penulis"),
    "approve": _l("Disetujui"),
    "schedule": _l("Dijadwalkan"),
    "embargo": _l("Dijadwalkan dengan embargo"),
    "unschedule": _l("Jadwal dibatalkan"),
    "publish": _l("Diterbitkan"),
    "scheduled_publish": _l("Terbit sesuai jadwal"),
    "unpublish": _l("Ditarik dari situs"),
    "demo": _l("Contoh"),
}


def action_label(action: str) -> str:
    """The action in the reader's language (codes no one knows stay as they are)."""
    return str(ACTION_LABELS.get(action, action))


@dataclass
class FieldDiff:
    label: str
    html: Markup


def _text(snapshot: dict, key: str) -> str:
    value = snapshot.get(key, "")
    if key == "body_html":
        return clean_text(re.sub(r"</(p|h\d|li|blockquote|tr)>", "\n\n", value or "", flags=re.I))
    if key == "embargo_proposed_at" and value:
        from datetime import datetime

        from cms.i18n import format_datetime

        return format_datetime(datetime.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _context(tokens: list[str], first: bool, last: bool) -> str:
    """Unchanged tokens, cut to CONTEXT_WORDS words next to each change."""
    keep = CONTEXT_WORDS * 2  # words and the spaces between them
    if len(tokens) <= (keep + 1 if first or last else keep * 2 + 1):
        return str(escape("".join(tokens)))
    head = "" if first else str(escape("".join(tokens[:keep])))
    tail = "" if last else str(escape("".join(tokens[-keep:])))
    return f'{head}<span class="gap">{GAP}</span>{tail}' if head or tail else ""


def inline_diff(old: str, new: str) -> Markup:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            out.append(_context(a[i1:i2], first=n == 0, last=n == len(opcodes) - 1))
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
