"""Full backup and restore: database rows as JSON (portable between SQLite
and PostgreSQL), media, private files, the instance configuration and the
data keys, in one ``.tar.gz`` that only its owner can read (0600), optionally
encrypted as a whole with a passphrase (``cms.archive_crypto``).

Restore goes into an empty installation: it migrates to heads, checks that
the archive's encrypted values decrypt with the keys it will use (refusing
before anything is written when they do not), loads rows table by table in
dependency order, installs the backup's keys (the target's own are kept
aside, see ``cms.keyring``) and checks the restored data again.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, inspect, select, text

from cms import crypto, keyring, storage
from cms.archive_crypto import EncryptingWriter, PassphraseError, decrypt_stream, is_encrypted
from cms.encryption_check import Check, check_archive, check_database, failed
from cms.extensions import db
from cms.keyfile import write_private
from cms.timeutil import naive_utc

FORMAT = "warta-backup/1"
INSTANCE_FILES = ("config.py", "secret_key")  # the keys: cms.keyring
# Derived or transient tables are rebuilt, not copied.
SKIP_TABLES = {"alembic_version", "post_page"}  # post_page: rendered copies, rebuilt by prerender
BATCH = 1000


class RestoreError(RuntimeError):
    pass


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, dtime):
        return {"$t": value.isoformat()}
    if isinstance(value, (bytes, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((key, raw),) = value.items()
        if key == "$dt":
            return datetime.fromisoformat(raw)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$t":
            return dtime.fromisoformat(raw)
        if key == "$b":
            return base64.b64decode(raw)
        if key == "$dec":
            return Decimal(raw)
    return value


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in SKIP_TABLES]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def create_backup(
    path: str | Path, progress: Callable[[str], None] = lambda msg: None, passphrase: bytes | None = None
) -> dict:
    """Write a backup archive; returns counts per table.

    The archive is written to a 0600 temporary file beside ``path`` and
    renamed into place, so it is never readable by others, not even while
    being written, and an interrupted backup leaves no partial archive.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw:
            sink = EncryptingWriter(raw, passphrase) if passphrase else raw
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                counts = _write_archive(tar, progress)
            sink.close()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return counts


def _write_archive(tar: tarfile.TarFile, progress: Callable[[str], None]) -> dict:
    counts: dict[str, int] = {}
    existing = set(inspect(db.engine).get_table_names())
    for table in _tables():
        if table.name not in existing:
            continue
        rows = []
        for row in db.session.execute(select(table)).mappings():
            rows.append({k: _encode(v) for k, v in row.items()})
        counts[table.name] = len(rows)
        _add_bytes(tar, f"db/{table.name}.json", json.dumps(rows, ensure_ascii=False).encode())
        progress(f"{table.name}: {len(rows)}")
    for label, folder in (("media", storage.media_dir()), ("private", storage.private_dir())):
        if folder.exists():
            tar.add(str(folder), arcname=label)
    instance = Path(current_app.instance_path)
    for name in INSTANCE_FILES:
        if (instance / name).exists():
            tar.add(str(instance / name), arcname=f"instance/{name}")
    keys = keyring.current_files()
    for name, data in keys.items():
        _add_bytes(tar, f"instance/{name}", data + b"\n")
    data_keys, hash_key = keyring.keys_of(keys)
    manifest = {
        "format": FORMAT,
        "created": naive_utc().isoformat(timespec="seconds"),
        "dialect": db.engine.dialect.name,
        "tables": counts,
        "keys": {"data": [crypto.fingerprint(k) for k in data_keys], "hash": crypto.fingerprint(hash_key)},
    }
    _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    return counts


def _is_empty() -> bool:
    """No accounts yet: a fresh installation (migrations may seed lookup rows)."""
    from cms.models import User

    return not db.session.scalar(select(func.count()).select_from(User))


@contextmanager
def open_archive(path: str | Path, passphrase: bytes | None = None):
    """Yield the archive as a readable ``TarFile``; an encrypted one is
    decrypted into an unnamed temporary file (0600, gone on close)."""
    with open(path, "rb") as fh:
        source = fh
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
        manifest = json.loads(archive.extractfile("manifest.json").read())
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
        name: tar.extractfile(f"instance/{name}").read().strip()
        for name in keyring.KEY_FILES
        if f"instance/{name}" in names
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
    for table in reversed(_tables()):
        if f"db/{table.name}.json" in names:
            db.session.execute(table.delete())
    for table in _tables():
        member = f"db/{table.name}.json"
        if member not in names:
            continue
        rows = json.loads(tar.extractfile(member).read())
        # generated columns are computed by the database, never inserted
        columns = {c.name for c in table.columns if c.computed is None}
        rows = [{k: _decode(v) for k, v in row.items() if k in columns} for row in rows]
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
        data = tar.extractfile(member).read()
        if top == "media":
            dest.write_bytes(data)
        else:  # private files and instance secrets: owner-only, like the originals
            write_private(dest, data)


def _reset_sequences() -> None:
    """PostgreSQL: move each serial sequence past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
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
