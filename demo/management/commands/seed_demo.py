"""`manage.py seed_demo`: fill the database with invented demo data."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.activity import DAYS, seed_activity
from demo.at_hand import seed_at_hand
from demo.concertation import seed_concertation
from demo.households import seed_demo
from demo.network import seed_network


class Command(BaseCommand):
    help = (
        "Create demo sites, households, residents, consents, one account per role, a year "
        "of interventions and group activities, and the partner network with a year of "
        "referrals and of concertation meetings. Deterministic, and safe to run again: sites "
        "that already hold households, interventions or referrals are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the households (about 360 each) and add three sites per step.",
        )
        parser.add_argument("--seed", type=int, default=2018, help="Random seed.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (a throw-away database, such as the benchmark's).",
        )

    def handle(self, *args, scale: int, seed: int, force: bool, **options):
        if not (settings.DEBUG or force):
            # The demo accounts have a published password: never on a real database by mistake.
            raise CommandError(
                "seed_demo runs only with DEBUG on; use --force on a throw-away database."
            )
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        summary = seed_demo(scale=scale, seed=seed)
        if summary.sites_filled:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {summary.households:,} households, {summary.residents:,} residents "
                    f"and {summary.consents:,} consents on {summary.sites_filled} of "
                    f"{summary.sites} demo sites."
                )
            )
        else:
            self.stdout.write(
                f"The {summary.sites} demo sites already hold households: nothing added."
            )
        activity = seed_activity(scale=scale, seed=seed)
        if activity.sites_filled:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Logged {activity.interventions:,} interventions over {DAYS} days, "
                    f"{activity.sessions:,} of them sessions of {activity.activities} group "
                    f"activities, with {activity.participations:,} named participations, on "
                    f"{activity.sites_filled} sites."
                )
            )
        else:
            self.stdout.write("The demo sites already hold interventions: no activity added.")
        network = seed_network(scale=scale, seed=seed)
        if network.sites_filled:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {network.organisations} partner organisations, "
                    f"{network.memberships} committee memberships and {network.referrals:,} "
                    f"referrals ({network.overdue} overdue) with {network.steps:,} steps and "
                    f"{network.consents} new consents to share, on {network.sites_filled} sites."
                )
            )
        else:
            self.stdout.write("The demo sites already hold referrals: no referrals added.")
        concertation = seed_concertation(scale=scale, seed=seed)
        if concertation.meetings:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recorded {concertation.meetings} concertation meetings with "
                    f"{concertation.commitments} commitments ({concertation.late} late)."
                )
            )
        else:
            self.stdout.write("The concertation tables already hold meetings: none added.")
        kept = seed_at_hand()
        if kept:
            self.stdout.write(
                self.style.SUCCESS(f"Kept {kept} residents at hand for the demo intervenants.")
            )
        usernames = ", ".join(account.username for account in DEMO_ACCOUNTS)
        self.stdout.write(
            f"Demo accounts ({summary.accounts_created} new): {usernames}; password {DEMO_PASSWORD}"
        )
