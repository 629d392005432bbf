"""`manage.py restore PATH`: restore a backup into an empty PostgreSQL database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ema.backups import BackupError
from ema.backups.databases import Database, database_default
from ema.backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a file written by `manage.py backup` into an empty PostgreSQL database: the "
        "application's (DATABASE_URL) or the one given with --database-url. An encrypted "
        "backup is decrypted with BACKUP_ENCRYPTION_KEY. The restore is all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--database-url",
            help="The database to restore into, e.g. postgres://ema@db:5432/ema_restored.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even if the database has tables: the backup's tables replace them.",
        )

    def handle(self, *args, path: Path, database_url: str | None, force: bool, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            target = Database.from_url(database_url) if database_url else database_default()
            backup_restore(path=path, target=target, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into {target}."))
        self.stdout.write(
            "If the application is newer than the backup, run `manage.py migrate` next."
        )
