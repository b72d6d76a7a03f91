"""Issuing an official letter (issue #18): render + PDF + store + commit.

Issues ``--letters`` pemberitahuan tertulis (a partial grant with its
grounds, fees and kop with logo) one after another on a SQLite file (or
``DATABASE_URL``) and prints p50/p95/max; target p95 < 1 s.  The first
letter (WeasyPrint loading its fonts) is reported apart and left out.

Usage: ``.venv/bin/python bench/inbox/bench_letters.py [--letters 50]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import save_results, table  # noqa: E402
from letter_setup import APPLICANT, letter_app  # noqa: E402

PARTIAL = {
    "outcome": "dikabulkan_sebagian",
    "exemptions": ["h"],
    "consequence_test": "Membuka NIK penerima perseorangan mengungkap rahasia pribadi.",
    "redaction_note": "Kolom NIK penerima dihitamkan.",
    "material": "Daftar penerima hibah 2025",
    "fee_items": {"salinan_lembar": 75},
    "payment_method": "Tunai di loket PPID",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=50)
    args = parser.parse_args()
    with letter_app(database_url=os.environ.get("DATABASE_URL")) as (app, _officer, _atasan):
        from cms.api import db
        from plugins.inbox import letter_records, services

        app.config["INBOX_LETTERS_ON_DECISION"] = "off"  # issue below, timed on its own
        reqs = []
        for _ in range(args.letters + 1):
            req, _code = services.create_request(dict(APPLICANT))
            services.answer(req, PARTIAL)
            reqs.append(req)
        timings = []
        for req in reqs:
            start = time.perf_counter()
            letter_records.issue("pemberitahuan", req)
            db.session.commit()
            timings.append(time.perf_counter() - start)
        first, rest = timings[0], sorted(timings[1:])
        p50 = statistics.median(rest)
        p95 = rest[max(0, int(round(0.95 * len(rest))) - 1)]
        load = os.getloadavg()[0]
        print(
            table(
                ["letters", "first (s)", "p50 (s)", "p95 (s)", "max (s)", "load avg", "target p95 < 1 s"],
                [[len(rest), first, p50, p95, rest[-1], load, "met" if p95 < 1 else "MISSED"]],
            )
        )
        path = save_results(
            "inbox-letters",
            {"letters": len(rest), "first": first, "p50": p50, "p95": p95, "max": rest[-1], "load": load},
        )
        print(f"\nraw figures: {path}")


if __name__ == "__main__":
    main()
