"""e-Monev evidence pack for the Monev bench data set (target: < 60 s in the worker).

    .venv/bin/python bench/monev/bench_evidence_pack.py [--requests 20000] [--dip 1400] [--deliveries 5000]

Seeds exactly what ``bench_scorecard.py`` seeds (44 units, the requests moved
into the questionnaire's year, the DIP items of that year, crosspost
deliveries, posts, a Monev period), answers every question, then times the
evidence pack: every generated evidence rebuilt (DIP, DIK, informasi
berkala/serta merta/setiap saat, service statistics, register summary, the
Monev report, the public /ppid/ pages printed) and the ZIP with its index
written — the job the worker runs, started through the page (jobs run
immediately here), and its progress page read back.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.monev.bench_scorecard import PASSWORD, UNITS, make_app, seed_outbox, squeeze_into  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--dip", type=int, default=1_400)
    parser.add_argument("--deliveries", type=int, default=5_000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="emonev-bench-")
    app = make_app(workdir)
    started = time.perf_counter()
    with app.app_context():
        from sqlalchemy import update

        from bench.scale.seed_ppid import seed_dip, seed_requests
        from bench.scale.textgen import Text
        from cms import accounts
        from cms.extensions import db
        from plugins.dip.models import DipEntry
        from plugins.monev.models import MonevPeriod
        from plugins.monev.questionnaire import loader
        from plugins.monev.questionnaire.models import EmonevAnswer

        year = loader.default_year()
        gen = Text()
        units = [accounts.get_or_create_unit(f"Perangkat Daerah {i + 1:02d}") for i in range(UNITS)]
        seed_requests(gen, args.requests)
        squeeze_into(year)
        seed_dip(gen, args.dip)
        db.session.execute(update(DipEntry).values(year=year))
        seed_outbox(year, args.deliveries, [u.id for u in units])
        user = accounts.create_user("bench-utama@warta.test", "ppid", PASSWORD)
        db.session.add(MonevPeriod(year=year, kind="year"))
        for q in loader.load(year).questions:
            db.session.add(EmonevAnswer(year=year, question=q.key, option=q.best.key, note="", updated_by_id=user.id))
        db.session.commit()
    sizes = f"{UNITS} units, {args.requests} requests, {args.dip} DIP items, {args.deliveries} deliveries"
    print(f"seeded {sizes} in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    client.post("/login", data={"email": "bench-utama@warta.test", "password": PASSWORD})
    t0 = time.perf_counter()
    resp = client.post(f"/admin/monev/emonev/{year}/paket")
    elapsed = time.perf_counter() - t0
    assert resp.status_code == 303, resp.status_code
    page = client.get(f"/admin/monev/emonev/{year}/paket").get_data(as_text=True)
    assert 'data-state="done"' in page, page[-2000:]
    body = client.get(f"/admin/monev/emonev/{year}/paket.zip").data
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        infos = [i for i in zf.infolist() if i.filename.endswith(".pdf") and "/" in i.filename]
        biggest = max((i.file_size for i in infos), default=0)
    print(
        f"evidence pack ({year}): {elapsed:.1f} s (target < 60 s); ZIP {len(body) / 1024 / 1024:.1f} MB, "
        f"{len(infos)} evidence files, largest {biggest / 1024:.0f} KB (limit 2048 KB)"
    )
    with app.app_context():
        from plugins.monev.questionnaire import pack

        slow = sorted(pack.run_of(year).cursor.get("seconds", {}).items(), key=lambda kv: -kv[1])[:8]
        print("slowest sources:", ", ".join(f"{k} {v:.1f} s" for k, v in slow))
    if "masalah" in page:
        print("problems:", page[page.index('id="masalah"') : page.index("</ul>", page.index('id="masalah"'))])


if __name__ == "__main__":
    main()
