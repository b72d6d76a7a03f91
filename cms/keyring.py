"""The key files of an installation, as a backup carries them and a restore
installs them.

A backup holds the keys its data needs (``instance/data_key`` and, when
present, ``hash_key`` and ``data_key.old``), also when the keys come from
the environment.  A restore installs them in place of the target's own,
which are kept aside as ``NAME.before-restore-<time>``, never deleted.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from flask import current_app

from cms import crypto
from cms.keyfile import write_private

KEY_FILES = (crypto.DATA_KEY_FILE, crypto.OLD_KEYS_FILE, crypto.HASH_KEY_FILE)


def current_files() -> dict[str, bytes]:
    """The keys in force, by file name."""
    keys = crypto.data_keys()
    files = {crypto.DATA_KEY_FILE: keys[0]}
    if len(keys) > 1:
        files[crypto.OLD_KEYS_FILE] = b"\n".join(keys[1:])
    hkey = crypto.hash_key()
    if hkey != keys[0]:
        files[crypto.HASH_KEY_FILE] = hkey
    return files


def keys_of(files: dict[str, bytes]) -> tuple[list[bytes], bytes]:
    """``(data keys, hash key)`` that ``files`` stand for."""
    data = [files[crypto.DATA_KEY_FILE].strip()]
    if crypto.OLD_KEYS_FILE in files:
        data += [k for k in files[crypto.OLD_KEYS_FILE].split() if k not in data]
    return data, files.get(crypto.HASH_KEY_FILE, data[0]).strip()


def install(files: dict[str, bytes]) -> list[str]:
    """Make ``files`` the installation's key files; returns what was done."""
    instance = Path(current_app.instance_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    done = []
    for name in KEY_FILES:
        path, wanted = instance / name, files.get(name)
        have = path.read_bytes().strip() if path.exists() else None
        if have == (wanted.strip() if wanted else None):
            continue
        if have is not None:
            aside = instance / f"{name}.before-restore-{stamp}"
            os.replace(path, aside)
            done.append(f"kunci lama instance/{name} disimpan sebagai {aside}")
        if wanted:
            write_private(path, wanted.strip() + b"\n")
            done.append(f"instance/{name} dipasang dari cadangan")
    return done
