"""Re-encrypt every declared column and file under a new data key.

Resumable and safe to interrupt at any point:

1. the hash key is pinned (``instance/hash_key``) so keyed hashes stay valid;
2. the old key goes to ``instance/data_key.old`` and a new ``data_key`` is
   written; from then on every process writes with the new key and still
   reads the old one (``MultiFernet``);
3. values are re-encrypted batch by batch, each batch committed and recorded
   in ``instance/data_key.progress``; a value already readable with the new
   key is skipped, and a row changed meanwhile is left alone (compare-and-set);
4. when everything reads with the new key alone, the old key file and the
   progress file are removed.

Running the command again after an interruption resumes at step 3.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import func, inspect, select, update

from cms import crypto
from cms.encryption_check import check_database, failed
from cms.extensions import db
from cms.keyfile import read_or_create, write_private
from cms.storage import private_dir

PROGRESS_FILE = "data_key.progress"


class RotationError(RuntimeError):
    pass


def in_progress() -> bool:
    return (crypto.instance_dir() / crypto.OLD_KEYS_FILE).exists()


def _start() -> tuple[bytes, list[bytes], bool]:
    """Return ``(new key, old keys, resumed)``, writing the key files as needed."""
    instance = crypto.instance_dir()
    old_path = instance / crypto.OLD_KEYS_FILE
    current = read_or_create(instance / crypto.DATA_KEY_FILE, Fernet.generate_key)
    resumed = old_path.exists()
    if not resumed:
        (instance / PROGRESS_FILE).unlink(missing_ok=True)  # left by a run stopped while finishing
        if not current_app.config.get("CMS_HASH_KEY") and not (instance / crypto.HASH_KEY_FILE).exists():
            write_private(instance / crypto.HASH_KEY_FILE, crypto.hash_key() + b"\n")
        write_private(old_path, b"\n".join(crypto.data_keys()) + b"\n")
    old = [k for k in old_path.read_bytes().split() if k]
    if current in old:  # fresh start, or stopped before the new key was written
        write_private(instance / crypto.DATA_KEY_FILE, Fernet.generate_key() + b"\n")
    return crypto.data_keys()[0], old, resumed


def _load_progress() -> dict:
    path = crypto.instance_dir() / PROGRESS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def _save_progress(progress: dict) -> None:
    write_private(crypto.instance_dir() / PROGRESS_FILE, json.dumps(progress).encode())


def _rotate_token(token: bytes, new: Fernet, keys) -> bytes | None:
    """The token under the new key, or None when it already is."""
    try:
        new.decrypt(token)
        return None
    except InvalidToken:
        return keys.rotate(token)


def rotate(
    report: Callable[[str, int, int], None] = lambda label, done, total: None,
    batch: int = 200,
    say: Callable[[str], None] = lambda msg: None,
):
    """Run or resume a rotation; returns the final check (``encryption_check.Check`` list)."""
    if crypto.configured_in_environment():
        raise RotationError(
            "kunci data diatur lewat CMS_DATA_KEY; rotasi mengganti berkas instance/data_key. "
            "Pindahkan kunci ke instance/data_key (dan hapus CMS_DATA_KEY), lalu ulangi; lihat docs/deploy.md."
        )
    new_key, old_keys, resumed = _start()
    say(
        f"{'Melanjutkan' if resumed else 'Memulai'} rotasi kunci data: kunci baru {crypto.fingerprint(new_key)}, "
        f"kunci lama {', '.join(crypto.fingerprint(k) for k in old_keys)}."
    )
    new, keys = Fernet(new_key), crypto.fernet_for([new_key] + old_keys)
    progress = _load_progress()
    existing = set(inspect(db.engine).get_table_names())
    for spec in crypto.registered():
        if spec.table not in existing:
            continue
        name = f"{spec.table}.{spec.column}"
        table = db.metadata.tables[spec.table]
        (pk,) = table.primary_key.columns
        col = table.c[spec.column]
        present = col.isnot(None) & (col != "")
        total = db.session.scalar(select(func.count()).select_from(table).where(present)) or 0
        last = progress.get(name, {}).get("last")
        done = progress.get(name, {}).get("done", 0)
        folder = private_dir(*spec.directory) if isinstance(spec, crypto.EncryptedFiles) else None
        while True:
            query = select(pk, col).where(present).order_by(pk).limit(batch)
            if last is not None:
                query = query.where(pk > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for key, value in rows:
                try:
                    if folder is None:
                        rotated = _rotate_token(value.encode(), new, keys)
                        if rotated is not None:
                            db.session.execute(
                                update(table).where(pk == key, col == value).values({spec.column: rotated.decode()})
                            )
                    elif (folder / value).is_file():
                        rotated = _rotate_token((folder / value).read_bytes(), new, keys)
                        if rotated is not None:
                            write_private(folder / value, rotated)
                except InvalidToken:
                    db.session.rollback()
                    raise RotationError(
                        f"{spec.label} (id {key}) tidak terbaca dengan kunci mana pun; "
                        "rotasi berhenti, kunci lama tetap tersimpan"
                    ) from None
            db.session.commit()
            last, done = rows[-1][0], done + len(rows)
            progress[name] = {"last": last, "done": done}
            _save_progress(progress)
            report(spec.label, min(done, total), total)
    results = check_database(keys=[new_key], sample=None)
    if failed(results):
        raise RotationError(
            "setelah rotasi masih ada data yang tidak terbaca dengan kunci baru: "
            + "; ".join(c.line() for c in failed(results))
            + ". Kunci lama tetap tersimpan."
        )
    (crypto.instance_dir() / crypto.OLD_KEYS_FILE).unlink()
    (crypto.instance_dir() / PROGRESS_FILE).unlink(missing_ok=True)
    return results
