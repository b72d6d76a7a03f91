"""Passphrase encryption of a whole backup archive, streamed in chunks.

Format: ``MAGIC | salt(16) | log2(n)(1) | nonce prefix(7)``, then chunks of
``flag(1) | length(4) | AES-256-GCM ciphertext``.  The key comes from the
passphrase through scrypt; each chunk's nonce is the prefix, its counter and
the "last chunk" flag, and the header is authenticated with every chunk, so
reordered, altered or truncated archives are refused, not half-restored.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"WARTA-ENC\x01"
CHUNK = 1 << 20
LOG2_N = 15  # scrypt cost: 32 MiB of memory, a fraction of a second
HEADER = len(MAGIC) + 16 + 1 + 7


class PassphraseError(ValueError):
    """Wrong passphrase, or an archive altered or cut short."""


def _key(passphrase: bytes, salt: bytes, log2_n: int) -> bytes:
    if not 10 <= log2_n <= 22:
        raise PassphraseError("header arsip terenkripsi rusak")
    return Scrypt(salt=salt, length=32, n=1 << log2_n, r=8, p=1).derive(passphrase)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def is_encrypted(fh: BinaryIO) -> bool:
    start = fh.tell()
    head = fh.read(len(MAGIC))
    fh.seek(start)
    return head == MAGIC


class EncryptingWriter:
    """A write-only file object: ``close()`` writes the last chunk."""

    def __init__(self, out: BinaryIO, passphrase: bytes):
        salt, prefix = os.urandom(16), os.urandom(7)
        self._header = MAGIC + salt + bytes([LOG2_N]) + prefix
        self._aead = AESGCM(_key(passphrase, salt, LOG2_N))
        self._prefix, self._out, self._buf, self._counter = prefix, out, bytearray(), 0
        self.closed = False
        out.write(self._header)

    def _emit(self, data: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), data, self._header)
        self._out.write(struct.pack(">BI", int(last), len(sealed)) + sealed)
        self._counter += 1

    def write(self, data) -> int:
        self._buf += data
        while len(self._buf) > CHUNK:
            self._emit(bytes(self._buf[:CHUNK]), False)
            del self._buf[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buf), True)
            self._buf.clear()
            self.closed = True
            self._out.flush()


def decrypt_stream(src: BinaryIO, dst: BinaryIO, passphrase: bytes) -> None:
    """Write the plain archive of ``src`` to ``dst``; ``PassphraseError`` if it cannot."""
    header = src.read(HEADER)
    if len(header) < HEADER or not header.startswith(MAGIC):
        raise PassphraseError("bukan arsip cadangan terenkripsi")
    salt, log2_n, prefix = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16], header[-7:]
    aead = AESGCM(_key(passphrase, salt, log2_n))
    counter = 0
    while True:
        frame = src.read(5)
        if len(frame) < 5:
            raise PassphraseError("arsip terenkripsi terpotong (bagian akhir hilang)")
        last, size = struct.unpack(">BI", frame)
        sealed = src.read(size)
        try:
            dst.write(aead.decrypt(_nonce(prefix, counter, bool(last)), sealed, header))
        except InvalidTag:
            if counter == 0:
                raise PassphraseError("kata sandi salah, atau arsip rusak") from None
            raise PassphraseError(f"arsip terenkripsi rusak pada bagian {counter + 1}") from None
        counter += 1
        if last:
            if src.read(1):
                raise PassphraseError("data tak dikenal setelah akhir arsip terenkripsi")
            return
