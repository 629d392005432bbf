"""`manage.py summaries rebuild|check`: the monthly summaries of the figures, computed again
from the interventions, or compared with them."""

from django.core.management.base import BaseCommand, CommandError

from interventions.summaries import summaries_differences, summaries_rebuild


class Command(BaseCommand):
    help = (
        "rebuild: compute every monthly summary of the dashboards and reports again from the "
        "interventions (after a restore, or rows written past the services). check: compare "
        "them with the interventions and fail when a row differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args, action: str, **options):
        if action == "rebuild":
            rows = summaries_rebuild()
            listed = ", ".join(f"{name} {count:,}" for name, count in rows.items())
            self.stdout.write(self.style.SUCCESS(f"Monthly summaries rebuilt: {listed} rows."))
            return
        differences = summaries_differences()
        wrong = {name: count for name, count in differences.items() if count}
        if wrong:
            listed = ", ".join(f"{name} {count:,}" for name, count in wrong.items())
            raise CommandError(
                f"Monthly summaries differ from the interventions ({listed} rows); "
                "run `manage.py summaries rebuild`."
            )
        self.stdout.write(self.style.SUCCESS("Monthly summaries match the interventions."))
