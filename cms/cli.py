"""``flask cms …``: set-up and operations commands.

One module over 300 lines on purpose: it is the ``cms`` click group, a list
of short commands that each call a service, read best side by side.
"""

from __future__ import annotations

import json
import sys
import tarfile
import zlib
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from cms import accounts
from cms.extensions import db


def fail(message: str) -> None:
    """One-line reason on stderr and a non-zero exit."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def missing_table(exc: Exception) -> bool:
    """Whether ``exc`` says a table does not exist (SQLite or PostgreSQL)."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)  # psycopg 3, psycopg2
    return code == "42P01" or "no such table" in str(exc.orig)


class SetUpGroup(click.Group):
    """A click group whose commands, run before ``flask cms init`` (a table is
    missing), exit 1 with one line saying to run it, not a hundred lines of
    SQL traceback.  A plugin's group: ``@click.group("name", cls=SetUpGroup)``."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not missing_table(exc):
                raise
            db.session.rollback()  # PostgreSQL: the failed statement aborted the transaction
            fail("the database is not set up (or a plugin's tables are missing): run `flask cms init` first.")


@click.group("cms", cls=SetUpGroup, help="Warta: set-up and operations.")
def cms_group():
    pass


@cms_group.command("init", help="Apply the migrations of core and the enabled plugins.")
@with_appcontext
def init_command():
    from cms.plugin_lifecycle import PluginStateError, upgrade_enabled

    try:
        upgrade_enabled()  # disabled plugins keep their tables at their revision
    except PluginStateError as exc:
        fail(str(exc))
    click.echo("Database is up to date.")


@cms_group.command("create-user", help="Create a staff account; password read from stdin.")
@click.argument("email")
@click.option("--role", required=True, help="admin, editor, writer, ppid, ppid_unit or atasan")
@click.option("--unit", "unit_name", default=None, help="Unit (OPD) name or slug; required for ppid_unit")
@click.option("--name", default="", help="Display name")
@click.option("--position", default="", help="Jabatan, printed under the signature of official letters")
@click.option("--password-stdin", is_flag=True, help="Read the password as one line from stdin")
@with_appcontext
def create_user_command(email, role, unit_name, name, position, password_stdin):
    if not password_stdin:
        fail("pass --password-stdin and give the password on standard input")
    password = sys.stdin.readline().rstrip("\r\n")
    unit = None
    if unit_name:
        unit = accounts.find_unit(unit_name)
        if unit is None:
            fail(f"unknown unit: {unit_name}")
    try:
        user = accounts.create_user(email, role, password, unit=unit, name=name)
    except accounts.AccountError as exc:
        db.session.rollback()
        fail(str(exc))
    if position.strip():
        user.position = position.strip()[:200]
        db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@cms_group.command("ensure-admin", help="Create the first admin with a generated password, once.")
@click.option("--email", default="admin@warta.local")
@with_appcontext
def ensure_admin_command(email):
    from sqlalchemy import select

    from cms.models import User

    if db.session.scalar(select(User.id).where(User.role == "admin").limit(1)) is not None:
        click.echo("An admin account already exists.")
        return
    password = accounts.generate_password()
    accounts.create_user(email, "admin", password, name="Administrator")
    click.echo("=" * 60)
    click.echo("Admin account created (shown only this once):")
    click.echo(f"  e-mail:    {email}")
    click.echo(f"  password:  {password}")
    click.echo("=" * 60)


@cms_group.command("create-unit", help="Create an organisational unit (OPD).")
@click.argument("name")
@click.option("--short-name", default="")
@with_appcontext
def create_unit_command(name, short_name):
    try:
        unit = accounts.create_unit(name, short_name)
    except accounts.AccountError as exc:
        db.session.rollback()
        fail(str(exc))
    click.echo(f"Created unit {unit.name} ({unit.slug}).")


@cms_group.command("demo", help="Load demo content (idempotent).")
@with_appcontext
def demo_command():
    from cms.plugins import hook

    hook().cms_demo_data()
    click.echo("Demo content loaded.")


@cms_group.command("worker", help="Run the background worker (Ctrl-C stops it).")
@click.option("--workers", type=int, default=None)
@with_appcontext
def worker_command(workers):
    from cms.jobs import run_worker

    run_worker(current_app._get_current_object(), workers)  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask


@cms_group.command("plugins", help="List plugins: name, version, enabled, hooks.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def plugins_command(as_json):
    from cms.plugins import describe_plugins

    rows = describe_plugins(current_app.extensions["cms"], current_app.config.get("CMS_PLUGINS"))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "enabled" if row["enabled"] else "disabled"
        click.echo(f"{row['name']:<12} {row['version']:<8} {state:<9} {', '.join(row['hooks'])}")


from cms.plugin_lifecycle import plugin_group  # noqa: E402 - ``flask cms plugin remove``

cms_group.add_command(plugin_group)
from cms.plugin_new import new_command  # noqa: E402 - ``flask cms plugin new``

plugin_group.add_command(new_command)


@cms_group.command("hooks", help="List every hook with its signature.")
def hooks_command():
    import inspect

    from cms.plugins import hook_specs, manager

    # Core's and those the installed plugins offer (cms_add_hookspecs).
    for name, func in sorted(hook_specs(manager())):
        if name.startswith("cms_"):
            doc = (func.__doc__ or "").strip().splitlines()[0]
            click.echo(f"{name}{inspect.signature(func)}\n    {doc}")


def _read_passphrase(path: str | None) -> bytes | None:
    if path is None:
        return None
    passphrase = Path(path).read_bytes().rstrip(b"\r\n")
    if not passphrase:
        fail(f"berkas kata sandi kosong: {path}")
    return passphrase


PASSPHRASE_HELP = "Encrypt the whole archive with the passphrase in this file (first line); keep the file offline"


@cms_group.command(
    "backup",
    help="Write a full backup (database, media, instance config, data keys) to PATH, readable by its owner only.",
)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False), default=None, help=PASSPHRASE_HELP)
@with_appcontext
def backup_command(path, passphrase_file):
    from cms.backup import create_backup

    passphrase = _read_passphrase(passphrase_file)
    try:
        counts = create_backup(path, progress=lambda msg: click.echo(f"  {msg}"), passphrase=passphrase)
    except OSError as exc:
        fail(f"cadangan tidak dapat ditulis ke {path}: {exc.strerror or exc}")
    click.echo(f"Backup written to {path}: {sum(counts.values())} rows in {len(counts)} tables.")
    if passphrase:
        click.echo("Arsip terenkripsi dengan kata sandi; tanpa berkas kata sandi itu arsip tidak dapat dipulihkan.")
    else:
        click.echo("Arsip memuat kunci data: simpan di tempat aman, atau pakai --passphrase-file.")


@cms_group.command(
    "restore",
    help="Restore a backup into an empty installation (migrates first), "
    "installing the backup's data keys and checking that encrypted data reads.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The passphrase file the backup was made with",
)
@with_appcontext
def restore_command(path, passphrase_file):
    from flask_migrate import upgrade

    from cms.encryption_check import failed
    from cms.restore import RestoreError, open_archive, read_manifest, restore_backup

    try:
        with open_archive(path, _read_passphrase(passphrase_file)) as tar:
            read_manifest(tar)
            upgrade(revision="heads")
            result = restore_backup(tar, progress=lambda msg: click.echo(f"  {msg}"))
    except RestoreError as exc:
        db.session.rollback()
        fail(str(exc))
    except (OSError, EOFError, tarfile.TarError, zlib.error, json.JSONDecodeError) as exc:
        db.session.rollback()
        fail(f"arsip rusak atau tidak terbaca: {exc}")
    click.echo(f"Restored {sum(result.counts.values())} rows in {len(result.counts)} tables from {path}.")
    for action in result.key_actions:
        click.echo(f"Kunci: {action}.")
    click.echo("Pemeriksaan data terenkripsi:")
    for check in result.checks:
        click.echo(f"  {check.line()}")
    if failed(result.checks):
        fail(
            "sebagian data terenkripsi tidak terbaca setelah pemulihan: "
            + "; ".join(c.line() for c in failed(result.checks))
        )


@cms_group.command(
    "rotate-data-key",
    help="Re-encrypt every encrypted column and file with a new data key; safe to interrupt, run it again to resume.",
)
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=200, show_default=True)
@with_appcontext
def rotate_data_key_command(batch_size):
    from cms.key_rotation import RotationError, rotate

    def report(label, done, total):
        click.echo(f"  {label}: {done}/{total}")

    try:
        results = rotate(report=report, batch=batch_size, say=click.echo)
    except RotationError as exc:
        db.session.rollback()
        fail(str(exc))
    click.echo("Pemeriksaan dengan kunci baru saja:")
    for check in results:
        click.echo(f"  {check.line()}")
    click.echo(
        "Rotasi selesai; kunci lama dihapus dari instance/. Buat cadangan baru sekarang "
        "(cadangan lama membawa kunci lama dan tetap dapat dipulihkan)."
    )


@cms_group.command("prerender", help="Render and store the public item pages that have no current copy.")
@click.option("--limit", type=int, default=None, help="At most this many pages")
@with_appcontext
def prerender_command(limit):
    from cms.cache import post_pages

    def progress(done, total):
        if done == total or done % 1000 < 200:
            click.echo(f"  {done:,} / {total:,} pages")

    stored = post_pages.refresh(limit=limit, progress=progress)
    click.echo(f"{stored:,} item pages stored.")


@cms_group.command("reindex", help="Rebuild the search indexes (Indonesian stems) and the did-you-mean vocabulary.")
@with_appcontext
def reindex_command():
    from cms.extensions import db
    from cms.search_terms import reindex

    with db.engine.begin() as connection:
        reindex(connection, click.echo)


@cms_group.command(
    "page-files",
    help="Keep the home page, site feeds, lists and newest items as files in DIR for nginx "
    "(rewritten on every change; removed on exit).",
)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--interval",
    type=click.FloatRange(0.05, 60),
    default=0.5,
    show_default=True,
    help="Seconds between looks at the change counter",
)
@click.option("--clear", "clear_only", is_flag=True, help="Only remove the files (e.g. systemd ExecStopPost)")
@with_appcontext
def page_files_command(directory, interval, clear_only):
    import signal
    import threading

    from cms.cache import page_files

    if clear_only:
        page_files.clear(directory)
        click.echo(f"Page files removed from {directory}.")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask
    app.config["CMS_SHARED_CACHE"] = False  # render through Flask every time: this process only writes
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def report(result):
        parts = [f"change {result.counter}: wrote {len(result.written)}"]
        if result.removed:
            parts.append("removed " + ", ".join(result.removed))
        click.echo("; ".join(parts), err=False)

    click.echo(f"Writing page files to {directory} (every {interval:g} s; Ctrl-C stops and removes them).")
    page_files.watch(app, directory, interval=interval, stop=stop, report=report)
