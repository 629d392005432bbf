"""`manage.py backup`: dump the PostgreSQL database to a file, encrypted when a key is set."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ema.backups import BackupError
from ema.backups.services import backup_create, backup_create_verified


class Command(BaseCommand):
    help = (
        "Dump the database with pg_dump (custom format) to a file readable by its owner only, "
        "encrypted with BACKUP_ENCRYPTION_KEY when it is set. Without --output, the file is "
        "ema-YYYYMMDD-HHMMSS.dump[.enc] in BACKUP_DIR. Prints the file's path and size only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help=(
                "Then restore the backup into a scratch database, compare every table's row "
                "count and the checksums of the key tables with the database, and drop it "
                "(needs a role allowed to create databases)."
            ),
        )

    def handle(self, *args, output: Path | None, verify: bool, **options):
        try:
            if verify:
                backup, restored = backup_create_verified(output=output)
            else:
                backup = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        state = "encrypted" if backup.encrypted else "NOT encrypted"
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {backup.path} ({backup.size:,} bytes, {state}).")
        )
        if not backup.encrypted and not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "BACKUP_ENCRYPTION_KEY is not set: keep this file on encrypted storage "
                    "only, and never copy it off site as it is."
                )
            )
        if verify:
            rows = sum(figures.rows for figures in restored.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Verified: {len(restored)} tables and {rows:,} rows restored into a "
                    "scratch database (now dropped) with the same row counts and key-table "
                    "checksums as the database."
                )
            )
