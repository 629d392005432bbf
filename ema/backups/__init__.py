"""Backups of the PostgreSQL database: dump, restore, and the proof that a dump restores.

- `services.py`: `backup_create`, `backup_restore`, `backup_create_verified` (the commands'
  work), running `pg_dump` and `pg_restore`;
- `encryption.py`: the encrypted file format;
- `databases.py`: connection parameters, scratch databases, row counts and checksums.

Connection parameters come from the Django database settings, read at call time. The
password reaches `pg_dump` and `pg_restore` through the PGPASSWORD environment variable, never
on a command line that `ps` would show. Nothing here prints or logs a row of data.
"""


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator."""
