"""Catalogue exports over ``DIP_EXPORT_JOB_ROWS`` are written by the worker:
a status page with progress, then a download of exactly what the public
list shows; one shared run per filter while the catalogue is unchanged."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from cms.extensions import db
from cms.models import JobRun
from plugins.dip import export_jobs
from plugins.dip.importer import Importer
from plugins.dip.models import DipEntry
from tests.plugins.dip.conftest import FILES


def _runs():
    db.session.expire_all()
    return db.session.scalars(select(JobRun).where(JobRun.kind == export_jobs.JOB).order_by(JobRun.id)).all()


def _queued(client, url):
    resp = client.get(url)
    assert resp.status_code == 302, resp.status_code
    return resp.headers["Location"]


def test_large_csv_export_is_queued_and_serves_the_public_list(client, dip_app):
    Importer().run(FILES / "hostile.csv")
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 2
    status = _queued(client, "/ppid/dip.csv?tahun=2025")
    [run] = _runs()
    assert status.endswith(f"/ppid/dip/ekspor/{run.id}")
    assert (run.state, run.done, run.total, run.cursor["rows"]) == ("done", 4, 4, 4)
    page = client.get(status).get_data(as_text=True)
    assert "Berkas siap." in page and "4 dari 4 baris" in page and 'value="4" max="4"' in page
    got = client.get(f"/ppid/dip/ekspor/{run.id}/unduh")
    assert got.status_code == 200 and "daftar-informasi-publik.csv" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["No", "Kode"] and sorted(r[1] for r in rows[1:]) == ["H-1", "H-11", "H-2", "H-3"]
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows[1:] for cell in row)

    # The same filter again, catalogue unchanged: the export's URL answers with
    # the same file at once (scripts fetching /ppid/dip.csv get a file), no new run.
    direct = client.get("/ppid/dip.csv?tahun=2025")
    assert direct.status_code == 200 and direct.data == got.data and len(_runs()) == 1
    # An entry withdrawn from the public list leaves the next export too.
    entry = db.session.scalar(select(DipEntry).where(DipEntry.kode == "H-2"))
    entry.published_at = None
    db.session.commit()
    again = _queued(client, "/ppid/dip.csv?tahun=2025")  # changed catalogue: written anew
    [run] = _runs()
    assert again.endswith(f"/ppid/dip/ekspor/{run.id}") and run.done == 3
    rows = list(csv.reader(io.StringIO(client.get(f"{again}/unduh").data.decode("utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["H-1", "H-11", "H-3"]


def test_large_xlsx_export_through_the_job_and_small_ones_stay_direct(client, dip_app):
    Importer().run(FILES / "hostile.csv")
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 3
    small = client.get("/ppid/dip.xlsx?kategori=setiap_saat")  # two rows: direct
    assert small.status_code == 200 and small.mimetype.endswith("spreadsheetml.sheet")
    status = _queued(client, "/ppid/dip.xlsx?tahun=2025")
    got = client.get(f"{status}/unduh")
    assert got.headers["Content-Type"].endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(got.data)).active.iter_rows(values_only=True))
    assert rows[0][5] == "Ringkasan Isi Informasi" and sorted(r[1] for r in rows[1:]) == ["H-1", "H-11", "H-2", "H-3"]
    assert next(r for r in rows if r[1] == "H-1")[5].startswith("'=HYPERLINK(")


def test_a_full_queue_answers_503_and_other_runs_are_not_served(client, dip_app):
    Importer().run(FILES / "hostile.csv")
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 1
    dip_app.config["DIP_EXPORT_MAX_ACTIVE"] = 0
    assert client.get("/ppid/dip.csv").status_code == 503
    assert _runs() == []
    other = JobRun(kind="inbox.register_export", subject="1:x", state="done", cursor={"file": "a.csv"})
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/ppid/dip/ekspor/{other.id}").status_code == 404
    assert client.get(f"/ppid/dip/ekspor/{other.id}/unduh").status_code == 404
    assert client.get("/ppid/dip/ekspor/999999/unduh").status_code == 404
