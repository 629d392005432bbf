"""`manage.py consent_duties [--on YYYY-MM-DD]`: the daily work on consents
(residents.services.consent_duties), safe to run again on the same day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from residents.models import RENEWAL_NOTICE_DAYS
from residents.services import consent_duties


def _date_argument(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--on: {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Mark the residents who reached the age of consent (14) on a consent a parent or "
        "guardian gave, so that their file asks for their own; clear the mark of those whose "
        "own consent is recorded; count the consents ending soon. Safe to run again. The "
        "output shows counts, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on",
            type=_date_argument,
            default=None,
            help="The day to run for (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, on: date | None, **options):
        duties = consent_duties(on=on or timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Consent duties of {duties.on.isoformat()}: "
                f"{duties.marked_at_fourteen} resident(s) marked to give their own consent, "
                f"{duties.cleared_at_fourteen} mark(s) cleared; "
                f"{duties.ending_soon} consent(s) ending within {RENEWAL_NOTICE_DAYS} days."
            )
        )
