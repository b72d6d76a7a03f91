"""Restore a backup (``cms.backup``) into an empty installation.

It migrates to heads, checks that the archive's encrypted values decrypt
with the keys it will use (refusing before anything is written when they do
not), loads rows table by table in dependency order, installs the backup's
keys (the target's own are kept aside, see ``cms.keyring``) and checks the
restored data again.
"""

from __future__ import annotations

import json
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flask import current_app
from sqlalchemy import func, insert, inspect, select, text

from cms import crypto, keyring, storage
from cms.archive_crypto import PassphraseError, decrypt_stream, is_encrypted
from cms.backup import BATCH, FORMAT, decode, tables
from cms.encryption_check import Check, check_archive, check_database, failed, member_bytes
from cms.extensions import db
from cms.keyfile import write_private


class RestoreError(RuntimeError):
    pass


def _is_empty() -> bool:
    """No accounts yet: a fresh installation (migrations may seed lookup rows)."""
    from cms.models import User

    return not db.session.scalar(select(func.count()).select_from(User))


@contextmanager
def open_archive(path: str | Path, passphrase: bytes | None = None):
    """Yield the archive as a readable ``TarFile``; an encrypted one is
    decrypted into an unnamed temporary file (0600, gone on close)."""
    with open(path, "rb") as fh:
        source: IO[bytes] = fh
        if is_encrypted(fh):
            if not passphrase:
                raise RestoreError("arsip ini terenkripsi dengan kata sandi; berikan --passphrase-file")
            source = tempfile.TemporaryFile()  # noqa: SIM115 -- closed below, or by the tar
            try:
                decrypt_stream(fh, source, passphrase)
            except PassphraseError as exc:
                source.close()
                raise RestoreError(str(exc)) from None
            source.seek(0)
        try:
            try:
                tar = tarfile.open(fileobj=source, mode="r:gz")  # noqa: SIM115 -- entered just below
            except (OSError, tarfile.TarError, EOFError) as exc:
                raise RestoreError(f"not a Warta backup archive: {exc}") from exc
            with tar:
                yield tar
        finally:
            if source is not fh:
                source.close()


def read_manifest(archive: str | Path | tarfile.TarFile, passphrase: bytes | None = None) -> dict:
    """Check that ``archive`` is a Warta backup and return its manifest."""
    if not isinstance(archive, tarfile.TarFile):
        with open_archive(archive, passphrase) as tar:
            return read_manifest(tar)
    try:
        manifest = json.loads(member_bytes(archive, "manifest.json"))
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise RestoreError(f"not a Warta backup archive: {exc}") from exc
    except (KeyError, AttributeError, ValueError) as exc:
        raise RestoreError("archive has no valid manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


@dataclass
class Restored:
    counts: dict[str, int]
    key_actions: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def _archive_keys(tar: tarfile.TarFile) -> dict[str, bytes]:
    names = set(tar.getnames())
    return {
        name: member_bytes(tar, f"instance/{name}").strip() for name in keyring.KEY_FILES if f"instance/{name}" in names
    }


def _keys_after_restore(tar: tarfile.TarFile) -> tuple[dict[str, bytes] | None, list[bytes], bytes, str]:
    """``(key files to install or None, data keys, hash key, where they come from)``."""
    carried = _archive_keys(tar)
    if crypto.configured_in_environment():
        return None, crypto.data_keys(), crypto.hash_key(), "CMS_DATA_KEY instalasi ini"
    if crypto.DATA_KEY_FILE in carried:
        data, hashing = keyring.keys_of(carried)
        return carried, data, hashing, "kunci dalam cadangan"
    return None, crypto.data_keys(), crypto.hash_key(), "kunci instalasi ini (cadangan tidak membawa kunci)"


def restore_backup(
    archive: str | Path | tarfile.TarFile, progress: Callable[[str], None] = lambda msg: None, sample: int | None = 1000
) -> Restored:
    """Load an archive into an empty, migrated installation."""
    if not isinstance(archive, tarfile.TarFile):
        with open_archive(archive) as tar:
            return restore_backup(tar, progress, sample)
    tar = archive
    read_manifest(tar)
    existing = set(inspect(db.engine).get_table_names())
    missing = [n[3:-5] for n in tar.getnames() if n.startswith("db/") and n[3:-5] not in existing]
    if missing:
        raise RestoreError(f"tables missing in this installation (enable their plugins): {', '.join(missing)}")
    if not _is_empty():
        raise RestoreError("the database is not empty; restore needs a fresh installation")
    install, data_keys, hash_key, source = _keys_after_restore(tar)
    unreadable = failed(check_archive(tar, data_keys, hash_key, sample))
    if unreadable:
        raise RestoreError(
            f"data terenkripsi dalam cadangan tidak terbaca dengan {source}: "
            + "; ".join(c.line() for c in unreadable)
            + ". Tidak ada yang dipulihkan. Pasang kunci yang dipakai saat cadangan dibuat "
            "(CMS_DATA_KEY, atau instance/data_key tanpa CMS_DATA_KEY) lalu ulangi; lihat docs/deploy.md."
        )
    result = Restored(counts={})
    if install is not None:  # first: a restore stopped midway is re-run with the same keys
        result.key_actions = keyring.install(install)
    names = set(tar.getnames())
    # Rows seeded by migrations are replaced by the backup's own copies.
    for table in reversed(tables()):
        if f"db/{table.name}.json" in names:
            db.session.execute(table.delete())
    for table in tables():
        member = f"db/{table.name}.json"
        if member not in names:
            continue
        rows = json.loads(member_bytes(tar, member))
        # generated columns are computed by the database, never inserted
        columns = {c.name for c in table.columns if c.computed is None}
        rows = [{k: decode(v) for k, v in row.items() if k in columns} for row in rows]
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start : start + BATCH])
        result.counts[table.name] = len(rows)
        progress(f"{table.name}: {len(rows)}")
    db.session.commit()
    _reset_sequences()
    _extract_files(tar)
    result.checks = check_database(sample=sample)
    return result


def _extract_files(tar: tarfile.TarFile) -> None:
    targets = {
        "media": storage.media_dir(),
        "private": storage.private_dir(),
        "instance": Path(current_app.instance_path),
    }
    for member in tar.getmembers():
        top, _, rest = member.name.partition("/")
        if top not in targets or not rest or not (member.isfile() or member.isdir()):
            continue
        if top == "instance" and rest in keyring.KEY_FILES:
            continue  # installed by cms.keyring, or deliberately not
        dest = (targets[top] / rest).resolve()
        if not str(dest).startswith(str(targets[top].resolve())):
            raise RestoreError(f"unsafe path in archive: {member.name}")
        folder = dest if member.isdir() else dest.parent
        # private folders stay owner-only (0700), as cms.storage creates them
        current = targets[top].resolve()
        for part in folder.relative_to(current).parts:
            current = current / part
            current.mkdir(mode=0o755 if top == "media" else 0o700, exist_ok=True)
        if member.isdir():
            continue
        if top == "instance" and dest.exists():
            continue  # never overwrite the target's own secret key or config
        data = member_bytes(tar, member)
        if top == "media":
            dest.write_bytes(data)
        else:  # private files and instance secrets: owner-only, like the originals
            write_private(dest, data)


def _reset_sequences() -> None:
    """PostgreSQL: move each serial sequence past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f'COALESCE((SELECT MAX({pk[0].name}) FROM "{table.name}"), 0) + 1, false) '
                f"WHERE pg_get_serial_sequence('{table.name}', '{pk[0].name}') IS NOT NULL"
            )
        )
    db.session.commit()
