"""`manage.py apply_retention [--dry-run] [--today YYYY-MM-DD]`: list the households whose
file is due for anonymisation (Law 25), then anonymise them, each in its own transaction."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.retention import anonymise_household, households_due_for_retention, retention_cutoff


def _date_argument(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "List the households with no activity for RETENTION_MONTHS months, then anonymise "
        "them: names, dates of birth (the birth year stays), contacts, free text and "
        "restricted notes, their copies in the audit history included. Figures and reports "
        "stay the same. Safe to run again: anonymised households are skipped. The list shows "
        "numbers, sites and dates, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due; change nothing."
        )
        parser.add_argument(
            "--today",
            type=_date_argument,
            default=None,
            help="The day to count from (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, dry_run: bool, today: date | None, **options):
        today = today or timezone.localdate()
        due = list(households_due_for_retention(today=today))
        cutoff = retention_cutoff(today)
        self.stdout.write(
            f"Retention: {settings.RETENTION_MONTHS} months. Households with no activity "
            f"since before {cutoff.isoformat()}: {len(due)}."
        )
        for household in due:
            self.stdout.write(
                f"  household {household.pk} · {household.site.name} · "
                f"{household.get_status_display()} · last activity "
                f"{household.last_activity.isoformat()} · {household.member_count} resident(s)"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        done = skipped = residents = 0
        for household in due:
            try:
                anonymise_household(household=household, today=today)
            except ValidationError:
                # Something happened on the file since the list was made.
                skipped += 1
                self.stdout.write(f"  household {household.pk}: no longer due, skipped.")
            else:
                done += 1
                residents += household.member_count
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {done} household(s) and {residents} resident(s); skipped {skipped}."
            )
        )
