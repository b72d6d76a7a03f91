"""Does every encrypted column and file decrypt with the keys in force?

Used after a restore (and before it, on the archive, to refuse a restore
that would leave the data unreadable) and at the end of a key rotation.
Each declared column/file kind (``cms.crypto.registered``) gets a line such
as ``NIK: 72/72 terbaca``; a kind with a keyed-hash sibling also proves the
hash key (``hash 72/72 cocok``), which tracking codes and look-ups rely on.
"""

from __future__ import annotations

import json
import random
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.fernet import InvalidToken, MultiFernet
from sqlalchemy import func, inspect, select

from cms import crypto
from cms.extensions import db
from cms.storage import private_dir


@dataclass
class Check:
    label: str
    total: int = 0  # values present
    checked: int = 0  # values tried (a sample when there are many)
    readable: int = 0
    hash_checked: int = 0
    hash_ok: int = 0

    @property
    def ok(self) -> bool:
        return self.readable == self.checked and self.hash_ok == self.hash_checked

    def line(self) -> str:
        text = f"{self.label}: {self.readable}/{self.checked} terbaca"
        if self.checked < self.total:
            text += f" (sampel dari {self.total})"
        if self.hash_checked:
            text += f"; hash {self.hash_ok}/{self.hash_checked} cocok"
        return text


def member_bytes(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    """A file member's bytes; a link or directory where a file belongs makes
    the archive unreadable."""
    data = tar.extractfile(member)
    if data is None:
        raise tarfile.ReadError(f"{member} is not a file")
    return data.read()


def _try(fernet: MultiFernet, token: bytes) -> bytes | None:
    try:
        return fernet.decrypt(token)
    except (InvalidToken, TypeError, ValueError):
        return None


def _tally(check: Check, spec, fernet, hkey: bytes, rows: Iterable[tuple], read: Callable | None = None):
    for row in rows:
        check.checked += 1
        raw = read(row[0]) if read else row[0]
        plain = None if raw is None else _try(fernet, raw if isinstance(raw, bytes) else raw.encode())
        if plain is None:
            continue
        check.readable += 1
        if getattr(spec, "hash_column", None) and len(row) > 1 and row[1]:
            check.hash_checked += 1
            value = plain.decode("utf-8")
            value = spec.normalise(value) if spec.normalise else value
            check.hash_ok += crypto.keyed_hash(value, spec.hash_purpose, key=hkey) == row[1]


def check_database(
    keys: list[bytes] | None = None, hkey: bytes | None = None, sample: int | None = 1000
) -> list[Check]:
    """Check the installation's data with ``keys`` (default: those in force)."""
    fernet = crypto.fernet_for(keys or crypto.data_keys())
    hkey = hkey or crypto.hash_key()
    existing = set(inspect(db.engine).get_table_names())
    results = []
    for spec in crypto.registered():
        check = Check(spec.label)
        results.append(check)
        if spec.table not in existing:
            continue
        table = db.metadata.tables[spec.table]
        col = table.c[spec.column]
        wanted = [col]
        if isinstance(spec, crypto.EncryptedColumn) and spec.hash_column:
            wanted.append(table.c[spec.hash_column])
        present = col.isnot(None) & (col != "")
        check.total = db.session.scalar(select(func.count()).select_from(table).where(present)) or 0
        query = select(*wanted).where(present)
        sampled = sample is not None and check.total > sample
        if sampled:
            query = query.order_by(func.random()).limit(sample)
        rows = db.session.execute(query).all()
        if isinstance(spec, crypto.EncryptedFiles):
            folder = private_dir(*spec.directory)
            rows = [r for r in rows if (folder / r[0]).is_file()]
            if not sampled:
                check.total = len(rows)  # rows whose file was purged have nothing to read
            _tally(check, spec, fernet, hkey, rows, read=lambda name, folder=folder: (folder / name).read_bytes())
        else:
            _tally(check, spec, fernet, hkey, rows)
    return results


def check_archive(tar: tarfile.TarFile, keys: list[bytes], hkey: bytes, sample: int | None = 1000) -> list[Check]:
    """The same check on an archive's rows and files, before anything is loaded."""
    fernet = crypto.fernet_for(keys)
    members = {m.name: m for m in tar.getmembers() if m.isfile()}
    tables: dict[str, list[dict]] = {}
    results = []
    for spec in crypto.registered():
        check = Check(spec.label)
        results.append(check)
        member = members.get(f"db/{spec.table}.json")
        if member is None:
            continue
        if spec.table not in tables:
            tables[spec.table] = json.loads(member_bytes(tar, member))
        hash_column = getattr(spec, "hash_column", None)
        rows = [
            (r.get(spec.column), r.get(hash_column) if hash_column else None)
            for r in tables[spec.table]
            if r.get(spec.column)
        ]
        if isinstance(spec, crypto.EncryptedFiles):
            prefix = "private/" + "/".join(spec.directory) + "/"
            rows = [r for r in rows if prefix + str(r[0]) in members]

            def read(name, prefix=prefix):
                return member_bytes(tar, members[prefix + name])

        else:
            read = None  # type: ignore[assignment]  # the def above fixes its type; _tally takes None
        check.total = len(rows)
        if sample is not None and len(rows) > sample:
            rows = random.sample(rows, sample)
        _tally(check, spec, fernet, hkey, rows, read=read)
    return results


def failed(results: list[Check]) -> list[Check]:
    return [c for c in results if not c.ok]
