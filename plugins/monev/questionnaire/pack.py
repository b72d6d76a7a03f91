"""The evidence pack: every generated evidence rebuilt, then one ZIP with a
folder per question and an index (CSV and PDF) mapping each question to its
files — ready to upload question by question on the e-Monev portal.

Built by the worker (``cms.api`` jobs) with its progress on the page: one
step per generated source, then one per question written.  One run per
year; asking again while it runs shows the same run.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
import zipfile

from flask import render_template
from sqlalchemy import delete

from cms.api import JobRun, db, enqueue, html_to_pdf, job, job_runs, naive_utc, tanggal, to_wib, utcnow
from plugins.monev.questionnaire import answers as answer_store
from plugins.monev.questionnaire import evidence, loader, readiness, sources

JOB = "monev.emonev_pack"
ACTIVE = ("queued", "running")
INDEX_COLUMNS = ["no", "indikator", "kode", "pertanyaan", "jawaban", "berkas", "ukuran_kb", "tanggal", "sumber", "url"]


def run_of(year: int) -> JobRun | None:
    return job_runs.find(JOB, year)


def start(year: int, user) -> int:
    run = run_of(year)
    if run is not None and run.state in ACTIVE and not job_runs.is_stale(run):
        return run.id
    if run is not None:
        _remove_file(run)
        db.session.execute(
            delete(JobRun)
            .where(JobRun.id == run.id, JobRun.attempt == run.attempt)
            .execution_options(synchronize_session=False)
        )
        db.session.expunge(run)
    questionnaire = loader.load(year)
    run = job_runs.track(JOB, year, total=len(questionnaire.sources) + len(questionnaire.questions))
    run.cursor = {"user_id": user.id}
    db.session.commit()
    run_id = run.id
    enqueue(JOB, year)
    return run_id


def file_path(run: JobRun | None):
    name = (run.cursor or {}).get("file") if run is not None and run.state == "done" else None
    if not name:
        return None
    path = evidence.store_dir() / name
    return path if path.is_file() else None


def _remove_file(run: JobRun) -> None:
    name = (run.cursor or {}).get("file")
    if name:
        (evidence.store_dir() / name).unlink(missing_ok=True)


@job(JOB)
def build_job(year: int) -> None:
    claim = job_runs.claim(JOB, year)
    if claim is None:
        return
    try:
        info = build(year, claim.cursor.get("user_id"), lambda done: claim.beat(done))
    except job_runs.Superseded:
        return
    except Exception as exc:  # noqa: BLE001 - shown on the page, never lost
        claim.fail(f"paket gagal: {type(exc).__name__}: {str(exc)[:200]}")
        raise
    claim.beat(cursor=dict(claim.cursor) | info, commit=False)
    claim.finish()


def build(year: int, user_id: int | None, beat=lambda done: None) -> dict:
    """Rebuild the generated evidence, write the ZIP; what the run keeps (file, counts, problems)."""
    questionnaire = loader.load(year)
    offered = sources.offered(year)
    problems: dict[str, str] = {}
    seconds: dict[str, float] = {}
    done = 0
    for key in questionnaire.sources:
        began = time.perf_counter()
        if sources.available(key, year, offered):
            try:
                evidence.generate(year, key, offered, user_id)
            except evidence.EvidenceError as exc:
                problems[key] = str(exc)
            except Exception as exc:  # noqa: BLE001 - one broken source does not sink the pack
                db.session.rollback()
                problems[key] = f"{key}: {type(exc).__name__}"
        seconds[key] = round(time.perf_counter() - began, 2)
        done += 1
        beat(done)
    state = evidence.status(questionnaire, offered)
    chosen = answer_store.chosen(year)
    score = readiness.compute(questionnaire, chosen, {k: v["complete"] for k, v in state.items()})
    all_files = evidence.files(year)
    name = f"emonev-{year}-{secrets.token_hex(8)}.zip"
    rows: list[list] = []
    with zipfile.ZipFile(evidence.store_dir() / name, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, q in enumerate(questionnaire.questions, start=1):
            folder = f"{n:02d}-{q.key}"
            option = q.option(chosen.get(q.key))
            mine = evidence.of_question(q, all_files)
            for f in mine:
                arc = f"{folder}/{f.file_name}"
                zf.write(evidence.path_of(f), arc, compress_type=zipfile.ZIP_STORED)
                rows.append(_row(n, questionnaire, q, option, arc, f))
            if not mine:
                rows.append(_row(n, questionnaire, q, option, "", None))
            done += 1
            beat(done)
        zf.writestr("indeks.csv", _csv(rows))
        zf.writestr("indeks.pdf", _pdf(questionnaire, rows, score, problems))
    return {
        "file": name,
        "files": len(all_files),
        "problems": problems,
        "seconds": seconds,  # per generated source: where a slow pack spends its time
        "total_score": score.total,
    }


def _row(n, questionnaire, q, option, arc: str, f) -> list:
    indicator = next(i.label for i in questionnaire.indicators if i.key == q.indicator)
    if f is None:
        return [n, indicator, q.key, q.text, option.label if option else "", "", "", "", "", ""]
    return [
        n,
        indicator,
        q.key,
        q.text,
        option.label if option else "",
        arc,
        round(f.size / 1024, 1),
        f.created_at.date().isoformat() if f.created_at else naive_utc().date().isoformat(),
        f.source or "unggahan",
        evidence.file_url(f),
    ]


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INDEX_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _pdf(questionnaire, rows, score, problems) -> bytes:
    html = render_template(
        "monev/emonev/print/index.html",
        q=questionnaire,
        rows=rows,
        score=score,
        problems=problems,
        today=tanggal(to_wib(utcnow()).date()),
    )
    return html_to_pdf(html)


def read_index(data: bytes) -> list[dict]:
    """The CSV index of a pack (tests and the CLI read it back)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read("indeks.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))
