"""``flask dip …`` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from cms.api import SetUpGroup


@click.group("dip", cls=SetUpGroup, help="Daftar Informasi Publik (DIP).")
def dip_group():
    pass


class _Progress:
    """click's bar on a terminal; a line every ~10% otherwise (logs, CI)."""

    def __init__(self):
        self.tty = sys.stdout.isatty()
        self.bar = None
        self.last_step = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(length=max(total, 1), label="Mengimpor")
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos)
            return
        step = done * 10 // max(total, 1)
        if step != self.last_step:
            self.last_step = step
            click.echo(f"… {done}/{total} baris")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@dip_group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--year",
    type=click.IntRange(2000, 2200),
    default=None,
    help="Tahun DIP untuk semua baris (bawaan: kolom tahun, lalu tahun tanggal pembuatan).",
)
@with_appcontext
def import_command(path: Path, year: int | None):
    """Import a DIP from CSV, XLSX or the Kota Bekasi JSON export (a folder or one file)."""
    from plugins.dip.importer import Importer

    progress = _Progress()
    try:
        summary = Importer(year=year, progress=progress).run(path)
    finally:
        progress.close()
    for place, reason in summary.file_errors:
        click.echo(f"BERKAS GAGAL {place}: {reason}", err=True)
    for place, reason in summary.errors:
        click.echo(f"GAGAL {place}: {reason}", err=True)
    for place, note in summary.warnings[:50]:
        click.echo(f"PERINGATAN {place}: {note}", err=True)
    click.echo(
        f"Selesai: {summary.created} dibuat, {summary.updated} diperbarui, {summary.skipped} dilewati, "
        f"{summary.failed} gagal; {summary.files} berkas dibaca, {len(summary.file_errors)} berkas gagal."
    )
    if summary.failed or summary.file_errors:
        sys.exit(1)
