"""Building the annual report's PDF and DOCX in the worker, one run at a time.

A report is (year, period, unit); its run is the ``job_run`` row of kind
``inbox.annual_report`` for that subject, so two clicks never build it twice:
``start`` requeues the row with a conditional UPDATE only when it is done,
failed or lost its worker, and ``job_runs.claim`` lets one worker take it.
The run reports ``STEPS`` steps of progress; the page shows them.  The files
are written under ``private_dir("inbox", "laporan")`` and replace the last
build only once both are written.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from cms.api import JobRun, audit, db, enqueue, html_to_pdf, job, job_runs, naive_utc, private_dir, tanggal
from plugins.inbox import annual_document, annual_stats, clock, letterhead, report
from plugins.inbox.annual_models import AnnualReport

JOB = "inbox.annual_report"
STEPS = 5  # requests counted, keberatan and fees, PDF, DOCX, stored
STORE = ("inbox", "laporan")
log = logging.getLogger(__name__)


def subject(year: int, kind: str, unit_id: int | None) -> str:
    return f"{year}/{kind}/{unit_id or 0}"


def record(year: int, kind: str, unit_id: int | None) -> AnnualReport | None:
    return db.session.scalar(
        select(AnnualReport).where(
            AnnualReport.year == year, AnnualReport.period == kind, AnnualReport.unit_key == (unit_id or 0)
        )
    )


def run_of(year: int, kind: str, unit_id: int | None) -> JobRun | None:
    return job_runs.find(JOB, subject(year, kind, unit_id))


def start(year: int, kind: str, unit_id: int | None, user) -> bool:
    """Queue a build; False when this report is already queued or being built."""
    key = subject(year, kind, unit_id)
    run = job_runs.find(JOB, key)
    if run is None:
        run = job_runs.track(JOB, key, total=STEPS)
        db.session.commit()
        queued = run.attempt == 0 and run.done == 0
    elif run.state == "done":
        result = db.session.execute(
            update(JobRun)
            .where(JobRun.id == run.id, JobRun.state == "done", JobRun.attempt == run.attempt)
            .values(state="queued", done=0, total=STEPS, error="", finished_at=None, heartbeat_at=naive_utc())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        queued = result.rowcount == 1  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
    elif job_runs.can_reopen(run):
        queued = job_runs.reopen(run, resume=False)
    else:
        queued = False
    if not queued:
        return False
    row = record(year, kind, unit_id)
    if row is None:
        row = AnnualReport(year=year, period=kind, unit_key=unit_id or 0, figures={})
        db.session.add(row)
    row.requested_by_id = getattr(user, "id", None)
    audit.record("inbox.report.build", "inbox_report", key, {}, user=user)
    db.session.commit()
    enqueue(JOB, year, kind, unit_id or 0)
    return True


@job(JOB)
def build_job(year: int, kind: str, unit_key: int) -> None:
    key = subject(year, kind, unit_key)
    claim = job_runs.claim(JOB, key)
    if claim is None:
        return  # being built by another worker, or not queued
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        claim.beat(done, STEPS)

    try:
        build(year, kind, unit_key or None, step)
    except job_runs.Superseded:
        return  # declared dead and started again elsewhere: that run reports
    except Exception as exc:  # noqa: BLE001 - shown on the report page, never lost
        log.exception("annual report %s failed", key)
        claim.fail(f"laporan gagal disusun: {type(exc).__name__}: {str(exc)[:200]}")
        return
    claim.finish(done=STEPS)


def signer_of(kop) -> dict:
    user = kop.signer
    return {
        "name": (getattr(user, "name", "") or "").strip(),
        "position": (getattr(user, "position", "") or "").strip() or "Pejabat Pengelola Informasi dan Dokumentasi",
        "nip": (getattr(user, "nip", "") or "").strip(),
    }


def render(year: int, kind: str, unit_id: int | None, step=lambda: None) -> tuple[dict, bytes, bytes]:
    """The figures, the PDF and the DOCX of one report (nothing stored)."""
    with force_locale("id"):
        fig = annual_stats.compute(report.Period(year, kind), unit_id, progress=step)
        chapters = annual_document.outline(fig, report.narrative(year, unit_id))
        kop = letterhead.resolve(unit_id)
        signer, today = signer_of(kop), tanggal(clock.today())
        html = render_template(
            "inbox/print/annual_report.html",
            fig=fig,
            chapters=chapters,
            kop=kop,
            today=today,
            signer_name=signer["name"],
            signer_position=signer["position"],
            signer_nip=signer["nip"],
        )
        pdf = html_to_pdf(html)
        step()
        from plugins.inbox import annual_docx  # python-docx: loaded by the worker that builds, not by web workers

        docx = annual_docx.write(fig, chapters, kop, signer, today)
        step()
    return fig, pdf, docx


def build(year: int, kind: str, unit_id: int | None, step=lambda: None) -> AnnualReport:
    fig, pdf, docx = render(year, kind, unit_id, step)
    folder = private_dir(*STORE)
    names = {fmt: f"{secrets.token_hex(16)}.{fmt}" for fmt in ("pdf", "docx")}
    for fmt, body in (("pdf", pdf), ("docx", docx)):
        (folder / names[fmt]).write_bytes(body)
    row = record(year, kind, unit_id)
    if row is None:
        row = AnnualReport(year=year, period=kind, unit_key=unit_id or 0)
        db.session.add(row)
    old = [row.pdf_name, row.docx_name]
    row.pdf_name, row.pdf_sha256, row.pdf_size = names["pdf"], hashlib.sha256(pdf).hexdigest(), len(pdf)
    row.docx_name, row.docx_sha256, row.docx_size = names["docx"], hashlib.sha256(docx).hexdigest(), len(docx)
    row.figures, row.built_at = fig, naive_utc()
    try:
        step()  # the heartbeat commits the new names with the progress
    except Exception:
        for name in names.values():
            (folder / name).unlink(missing_ok=True)
        raise
    for name in old:
        if name:
            (folder / name).unlink(missing_ok=True)
    return row


def file_bytes(row: AnnualReport, fmt: str) -> bytes:
    """A built file, checked against the hash recorded when it was written."""
    name, digest = (row.pdf_name, row.pdf_sha256) if fmt == "pdf" else (row.docx_name, row.docx_sha256)
    body = (private_dir(*STORE) / name).read_bytes()
    if hashlib.sha256(body).hexdigest() != digest:
        raise RuntimeError(f"annual report file {name} differs from its recorded hash")
    return body
