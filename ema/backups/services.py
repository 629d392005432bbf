"""Backing up and restoring the database with `pg_dump` and `pg_restore`.

A backup is a `pg_dump` custom-format archive, encrypted (see `encryption.py`) when
BACKUP_ENCRYPTION_KEY is set. The programs run without a shell; the password reaches them in
their environment only.
"""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.backups import BackupError
from ema.backups.databases import (
    KEY_TABLES,
    Database,
    Figures,
    connection_figures,
    database_default,
    database_figures,
    database_table_count,
    expected_checksums,
    figures_compare,
    one_row,
    scratch_database,
)
from ema.backups.encryption import (
    MAGIC,
    decrypt_stream,
    encrypt_stream,
    fernet_from_key,
    read_frame,
)

PG_DUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class Backup:
    """A backup file that was written."""

    path: Path
    size: int
    encrypted: bool


def backup_path_default(*, encrypted: bool) -> Path:
    """A timestamped file in BACKUP_DIR, e.g. ema-20260412-021500.dump.enc."""
    if not settings.BACKUP_DIR:
        raise BackupError(_("Set BACKUP_DIR, or give the file to write with --output."))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"ema-{stamp}.dump{'.enc' if encrypted else ''}"


def backup_create(
    *,
    output: Path | None = None,
    source: Database | None = None,
    key: str | None = None,
    snapshot: str = "",
) -> Backup:
    """Dump the database to `output` (mode 0600), encrypted when a key is set.

    The file appears at its path only once the dump is complete: a failed dump leaves nothing
    that could be mistaken for a backup. `key` defaults to BACKUP_ENCRYPTION_KEY.
    """
    source = source or database_default()
    key = settings.BACKUP_ENCRYPTION_KEY if key is None else key
    fernet = fernet_from_key(key) if key else None
    output = Path(output) if output else backup_path_default(encrypted=bool(fernet))
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    command = [_program("pg_dump"), "--format=custom", *source.client_args()]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    command.append(f"--dbname={source.name}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    try:
        with open(fd, "wb") as sink, tempfile.TemporaryFile() as errors:
            if fernet is None:
                # A regular file as stdout is seekable: pg_dump writes the data offsets.
                process = subprocess.run(  # noqa: S603 - no shell, fixed program
                    command, stdout=sink, stderr=errors, env=source.client_env(), check=False
                )
                returncode = process.returncode
            else:
                with subprocess.Popen(  # noqa: S603 - no shell, fixed program
                    command, stdout=subprocess.PIPE, stderr=errors, env=source.client_env()
                ) as dump:
                    assert dump.stdout is not None  # stdout=PIPE
                    encrypt_stream(dump.stdout, sink, fernet)
                returncode = dump.returncode
            if returncode != 0:
                raise BackupError(_program_failure("pg_dump", errors))
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Backup(path=output, size=output.stat().st_size, encrypted=fernet is not None)


def backup_is_encrypted(path: Path, *, key: str | None = None) -> bool:
    """Whether the file is an encrypted backup; checks the key on its first frame.

    Raises BackupError when the file is not a backup, or is encrypted and the key is missing
    or wrong, before anything touches a database.
    """
    with open(path, "rb") as source:
        head = source.read(len(MAGIC))
        if head.startswith(PG_DUMP_MAGIC):
            return False
        if head != MAGIC:
            raise BackupError(
                _("%(path)s is not a backup made by manage.py backup.") % {"path": path}
            )
        key = settings.BACKUP_ENCRYPTION_KEY if key is None else key
        if not key:
            raise BackupError(
                _(
                    "This backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was "
                    "made with."
                )
            )
        read_frame(source, fernet_from_key(key), index=0)
    return True


def backup_restore(
    *, path: Path, target: Database | None = None, key: str | None = None, force: bool = False
) -> None:
    """Restore a backup into `target` (by default the application's database).

    The target must be empty unless `force` is given, which drops the objects of the backup
    before restoring them. The restore runs in one transaction: all or nothing.
    """
    target = target or database_default()
    key = settings.BACKUP_ENCRYPTION_KEY if key is None else key
    encrypted = backup_is_encrypted(path, key=key)
    tables = database_table_count(target)
    if tables and not force:
        raise BackupError(
            _(
                "The database %(database)s already has %(count)d tables: restore into a new, "
                "empty database, or give --force to replace the tables of the backup."
            )
            % {"database": target, "count": tables}
        )
    command = [_program("pg_restore"), "--format=custom", "--single-transaction"]
    command += ["--exit-on-error", "--no-owner", "--no-privileges", *target.client_args()]
    if force:
        command += ["--clean", "--if-exists"]
    command.append(f"--dbname={target.name}")
    env = target.client_env()
    with tempfile.TemporaryFile() as errors:
        if not encrypted:
            process = subprocess.run(  # noqa: S603 - no shell, fixed program
                [*command, str(Path(path).absolute())],
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=env,
                check=False,
            )
            returncode = process.returncode
        else:
            restore: subprocess.Popen[bytes] | None = None
            try:
                with (
                    open(path, "rb") as source,
                    subprocess.Popen(  # noqa: S603 - no shell, fixed program
                        command,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.DEVNULL,
                        stderr=errors,
                        env=env,
                    ) as restore,
                ):
                    assert restore.stdin is not None  # stdin=PIPE
                    try:
                        decrypt_stream(source, restore.stdin, fernet_from_key(key))
                    except BackupError:
                        # A damaged file: end pg_restore, whose transaction then rolls back.
                        restore.kill()
                        raise
            except BrokenPipeError:
                pass  # pg_restore stopped early: its own message below says why.
            returncode = restore.returncode if restore else 1
        if returncode != 0:
            raise BackupError(_program_failure("pg_restore", errors))


def backup_verify(*, path: Path, expected: Figures, source: Database | None = None) -> Figures:
    """Restore the backup into a scratch database, compare it with `expected`, drop it.

    Returns the figures of the restored copy; raises BackupError listing the differences.
    """
    source = source or database_default()
    with scratch_database(source) as scratch:
        backup_restore(path=path, target=scratch)
        restored = database_figures(scratch, checksum_tables=expected_checksums(expected))
    differences = figures_compare(expected, restored)
    if differences:
        raise BackupError(
            _("The restored copy differs from the database: %(differences)s")
            % {"differences": "; ".join(differences)}
        )
    return restored


def backup_create_verified(
    *, output: Path | None = None, source: Database | None = None
) -> tuple[Backup, Figures]:
    """Back up, then prove the backup restores: every table's row count and the checksums
    of the key tables, taken in the very snapshot that pg_dump dumps, so that writes made
    meanwhile by the running application cannot make the comparison fail."""
    source = source or database_default()
    with source.connect(autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = one_row(conn.execute("SELECT pg_export_snapshot()"))[0]
        expected = connection_figures(conn, checksum_tables=KEY_TABLES)
        # The snapshot lives as long as this transaction: pg_dump runs inside it.
        backup = backup_create(output=output, source=source, snapshot=snapshot)
        conn.execute("ROLLBACK")
    restored = backup_verify(path=backup.path, expected=expected, source=source)
    return backup, restored


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client tools.") % {"program": name}
        )
    return path


def _program_failure(name: str, errors: BinaryIO) -> str:
    """The program's error lines, without their DETAIL and CONTEXT lines, which may quote
    a row of data."""
    errors.seek(0)
    lines = errors.read().decode("utf-8", "replace").splitlines()
    kept = [line[:300] for line in lines if line.startswith(f"{name}:")][:5]
    return _("%(program)s failed: %(error)s") % {
        "program": name,
        "error": " / ".join(kept) or _("no message"),
    }
