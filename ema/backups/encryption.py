"""The encrypted backup file: a `pg_dump` archive in Fernet-encrypted frames.

    EMA-BACKUP-FERNET-1\\n                                  magic line
    [4-byte big-endian length][Fernet token, raw bytes]    one frame per 1 MiB of the dump
    ...

Each token encrypts `index (8 bytes) + final flag (1 byte) + data`, so that a missing,
repeated, reordered or cut-off frame is detected, not only a changed byte (Fernet
authenticates each token; the index and the final flag authenticate their order and the
end). Fernet encrypts whole messages, hence the frames: at most one frame is in memory at a
time, whatever the size of the database, and the dump streams from `pg_dump` through the
encryption into the file, and back from the file through the decryption into `pg_restore`,
so that no unencrypted copy of the families' data ever reaches the disk. The price: an
archive written to a pipe has no table of data offsets, so `pg_restore` reads it in order,
in one job (no `--jobs`), which is what EMA's restore does anyway. Tokens are stored as raw
bytes rather than Fernet's base64 text, a third smaller.

The key is BACKUP_ENCRYPTION_KEY; during a rotation it holds the new key then the old ones,
separated by commas: the first encrypts, any of them decrypts.
"""

import base64
import struct
from typing import IO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.utils.translation import gettext as _

from ema.backups import BackupError

MAGIC = b"EMA-BACKUP-FERNET-1\n"
CHUNK_SIZE = 1024 * 1024
FRAME_HEADER = struct.Struct(">QB")  # frame index, final flag
FRAME_LENGTH = struct.Struct(">I")
# A frame's token: the chunk, its header, and Fernet's version, time, IV, padding and HMAC.
MAX_FRAME = CHUNK_SIZE + 1024


def fernet_from_key(key: str) -> MultiFernet:
    """The key, or several separated by commas during a rotation: the first encrypts."""
    try:
        return MultiFernet([Fernet(part.strip()) for part in key.split(",") if part.strip()])
    except ValueError as error:
        raise BackupError(
            _("BACKUP_ENCRYPTION_KEY is not a valid key (32 url-safe base64-encoded bytes).")
        ) from error


def encrypt_stream(
    source: IO[bytes],
    sink: IO[bytes],
    fernet: Fernet | MultiFernet,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> None:
    """Encrypt `source` into `sink` frame by frame (see the module's docstring)."""
    sink.write(MAGIC)
    index = 0
    while True:
        data = _read_exactly(source, chunk_size)
        final = len(data) < chunk_size
        token = fernet.encrypt(FRAME_HEADER.pack(index, final) + data)
        raw = base64.urlsafe_b64decode(token)
        sink.write(FRAME_LENGTH.pack(len(raw)) + raw)
        if final:
            return
        index += 1


def decrypt_stream(source: IO[bytes], sink: IO[bytes], fernet: Fernet | MultiFernet) -> None:
    """Decrypt what `encrypt_stream` wrote; refuses a changed, cut or reordered file."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError(_("This file is not an encrypted backup."))
    index = 0
    while True:
        data, final = read_frame(source, fernet, index=index)
        sink.write(data)
        if final:
            if source.read(1):
                raise BackupError(_damaged())
            return
        index += 1


def read_frame(
    source: IO[bytes], fernet: Fernet | MultiFernet, *, index: int
) -> tuple[bytes, bool]:
    """The data of the next frame, which must be the `index`-th, and whether it is the last."""
    length = _read_exactly(source, FRAME_LENGTH.size)
    if len(length) < FRAME_LENGTH.size:
        raise BackupError(_damaged())
    (size,) = FRAME_LENGTH.unpack(length)
    if size > MAX_FRAME:
        raise BackupError(_damaged())
    raw = _read_exactly(source, size)
    if len(raw) < size:
        raise BackupError(_damaged())
    try:
        plain = fernet.decrypt(base64.urlsafe_b64encode(raw))
    except InvalidToken as error:
        raise BackupError(
            _(
                "This backup cannot be decrypted: BACKUP_ENCRYPTION_KEY is not the key it was "
                "made with, or the file is damaged."
            )
        ) from error
    found, final = FRAME_HEADER.unpack_from(plain)
    if found != index:
        raise BackupError(_damaged())
    return plain[FRAME_HEADER.size :], bool(final)


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end (a pipe gives what it has)."""
    parts, missing = [], size
    while missing:
        part = source.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _damaged() -> str:
    return _("This backup is damaged or incomplete.")
