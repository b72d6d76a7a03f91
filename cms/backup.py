"""Full backup and restore: database rows as JSON (portable between SQLite
and PostgreSQL), media, private files and the instance configuration, in one
``.tar.gz``.  Restore goes into an empty installation: it migrates to heads,
then loads rows table by table in dependency order.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
import time
from datetime import date, datetime, time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from flask import current_app
from sqlalchemy import func, insert, inspect, select, text

from cms import storage
from cms.extensions import db

FORMAT = "warta-backup/1"
INSTANCE_FILES = ("config.py", "secret_key", "data_key")
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
        (key, raw), = value.items()
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


def create_backup(path: str | Path, progress: Callable[[str], None] = lambda msg: None) -> dict:
    """Write a backup archive; returns counts per table."""
    counts: dict[str, int] = {}
    existing = set(inspect(db.engine).get_table_names())
    with tarfile.open(path, "w:gz") as tar:
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
        manifest = {"format": FORMAT, "created": datetime.utcnow().isoformat(timespec="seconds"),
                    "dialect": db.engine.dialect.name, "tables": counts}
        _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    return counts


def _is_empty() -> bool:
    """No accounts yet: a fresh installation (migrations may seed lookup rows)."""
    from cms.models import User

    return not db.session.scalar(select(func.count()).select_from(User))


def read_manifest(path: str | Path) -> dict:
    """Check that ``path`` is a Warta backup and return its manifest."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise RestoreError(f"not a Warta backup archive: {exc}") from exc
    except (KeyError, AttributeError, ValueError) as exc:
        raise RestoreError("archive has no valid manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def restore_backup(path: str | Path, progress: Callable[[str], None] = lambda msg: None) -> dict:
    """Load an archive into an empty, migrated installation."""
    read_manifest(path)
    existing = set(inspect(db.engine).get_table_names())
    with tarfile.open(path, "r:gz") as tar:
        missing = [n[3:-5] for n in tar.getnames() if n.startswith("db/") and n[3:-5] not in existing]
        if missing:
            raise RestoreError(f"tables missing in this installation (enable their plugins): {', '.join(missing)}")
        if not _is_empty():
            raise RestoreError("the database is not empty; restore needs a fresh installation")
        counts: dict[str, int] = {}
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
                db.session.execute(insert(table), rows[start:start + BATCH])
            counts[table.name] = len(rows)
            progress(f"{table.name}: {len(rows)}")
        db.session.commit()
        _reset_sequences()
        targets = {"media": storage.media_dir(), "private": storage.private_dir(),
                   "instance": Path(current_app.instance_path)}
        for member in tar.getmembers():
            top, _, rest = member.name.partition("/")
            if top not in targets or not rest or not (member.isfile() or member.isdir()):
                continue
            dest = (targets[top] / rest).resolve()
            if not str(dest).startswith(str(targets[top].resolve())):
                raise RestoreError(f"unsafe path in archive: {member.name}")
            if member.isdir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            if top == "instance" and dest.exists():
                continue  # never overwrite the target's own keys or config
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(tar.extractfile(member).read())
    return counts


def _reset_sequences() -> None:
    """PostgreSQL: move each serial sequence past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
            f"COALESCE((SELECT MAX({pk[0].name}) FROM \"{table.name}\"), 0) + 1, false) "
            f"WHERE pg_get_serial_sequence('{table.name}', '{pk[0].name}') IS NOT NULL"))
    db.session.commit()
