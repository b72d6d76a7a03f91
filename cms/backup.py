"""Full backup: database rows as JSON (portable between SQLite and
PostgreSQL), media, private files, the instance configuration and the data
keys, in one ``.tar.gz`` that only its owner can read (0600), optionally
encrypted as a whole with a passphrase (``cms.archive_crypto``).

The archive format (``FORMAT``, ``encode``/``decode`` of column values, the
tables in dependency order) is defined here; ``cms.restore`` reads it back.
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
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select

from cms import crypto, keyring, storage
from cms.archive_crypto import EncryptingWriter
from cms.extensions import db
from cms.timeutil import naive_utc

FORMAT = "warta-backup/1"
INSTANCE_FILES = ("config.py", "secret_key")  # the keys: cms.keyring
# Derived or transient tables are rebuilt, not copied.
SKIP_TABLES = {"alembic_version", "post_page"}  # post_page: rendered copies, rebuilt by prerender
BATCH = 1000


def encode(value: Any) -> Any:
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


def decode(value: Any) -> Any:
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


def tables():
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
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:  # type: ignore[call-overload]  # a stream: only write() is called
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
    for table in tables():
        if table.name not in existing:
            continue
        rows = []
        for row in db.session.execute(select(table)).mappings():
            rows.append({k: encode(v) for k, v in row.items()})
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
