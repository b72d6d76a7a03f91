"""The withheld parts of a partial grant: read from the answer form, checked,
stored, summarised for the register and counted for the report.

The form posts ``withheld-<n>-<field>`` inputs (``what``, ``exemptions``
(checkboxes a–j), ``other_law``, ``consequence_test``); a row left wholly
empty is no row.  Only a partial grant keeps them (UU KIP Pasal 22(7)(e)).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from flask_babel import gettext as _

from plugins.inbox import law
from plugins.inbox.errors import InboxError
from plugins.inbox.withheld_models import WithheldPart

PARTIAL = "dikabulkan_sebagian"
MAX_ROWS = 30
_KEY = re.compile(r"^withheld-(\d{1,2})-(what|exemptions|other_law|consequence_test)$")
_MESSAGES = {
    "what": lambda: _("Sebutkan bagian informasi yang dikecualikan."),
    "exemptions": lambda: _("Sebutkan Pasal 17 huruf dan/atau pasal undang-undang lain untuk bagian ini."),
    "consequence_test": lambda: _("Isi hasil uji konsekuensi untuk bagian ini."),
}


def rows_from_form(form) -> list[dict]:
    """The rows as typed, in order, without wholly empty ones."""
    found: dict[int, dict] = {}
    for key in form:
        m = _KEY.match(key)
        if not m:
            continue
        row = found.setdefault(int(m.group(1)), {"what": "", "exemptions": [], "other_law": "", "consequence_test": ""})
        if m.group(2) == "exemptions":
            row["exemptions"] = law.lawful_exemptions(form.getlist(key))
        else:
            row[m.group(2)] = (form.get(key) or "").strip()
    rows = [found[i] for i in sorted(found)]
    return [r for r in rows if r["what"] or r["exemptions"] or r["other_law"] or r["consequence_test"]][:MAX_ROWS]


def rows_for_form(form, req, add: bool = False) -> list[dict]:
    """Rows to show: as typed (kept on an error), else as stored; one more
    empty row when asked, and at least one."""
    rows = rows_from_form(form) if form else [as_dict(p) for p in req.withheld_parts]
    if add or not rows:
        rows.append({"what": "", "exemptions": [], "other_law": "", "consequence_test": ""})
    return rows


def as_dict(part: WithheldPart) -> dict:
    return {
        "what": part.what,
        "exemptions": list(part.exemptions or []),
        "other_law": part.other_law,
        "consequence_test": part.consequence_test,
    }


def check(outcome: str | None, rows: list[dict]) -> list[dict]:
    """The rows the answer keeps; ``InboxError`` naming ``withheld-<n>-<field>``."""
    if outcome != PARTIAL:
        return []
    gap = law.withheld_gap(rows)
    if gap is not None:
        index, field = gap
        raise InboxError(_MESSAGES[field](), f"withheld-{index}-{field}")
    for i, row in enumerate(rows):
        if len(row["what"]) > 2000 or len(row["consequence_test"]) > 5000 or len(row["other_law"]) > 300:
            raise InboxError(_("Isian terlalu panjang."), f"withheld-{i}-what")
    return rows


def store(req, rows: list[dict]) -> None:
    req.withheld_parts[:] = [
        WithheldPart(
            position=i,
            what=row["what"],
            exemptions=law.lawful_exemptions(row["exemptions"]),
            other_law=row["other_law"],
            consequence_test=row["consequence_test"],
        )
        for i, row in enumerate(rows)
    ]


def basis(part: WithheldPart) -> str:
    """``Pasal 17 huruf h UU KIP; Pasal 54 UU 11/2012``."""
    parts = [_("Pasal 17 huruf %(h)s UU KIP", h=h) for h in part.exemptions or []]
    if part.other_law:
        parts.append(part.other_law)
    return "; ".join(parts)


def summary(req) -> str:
    """The register's cell: each withheld part with its grounds."""
    return "; ".join(f"{p.what} ({basis(p)})" for p in req.withheld_parts)


def counts(requests: Iterable) -> dict[str, int]:
    """Withheld parts of partial grants by Pasal 17 huruf, plus "uu_lain"
    (parts resting on another law) and "total", for the laporan layanan."""
    found: Counter = Counter()
    total = 0
    for req in requests:
        for part in req.withheld_parts:
            total += 1
            found.update(part.exemptions or [])
            if part.other_law:
                found["uu_lain"] += 1
    return {**{h: found.get(h, 0) for h in law.PASAL17}, "uu_lain": found.get("uu_lain", 0), "total": total}
