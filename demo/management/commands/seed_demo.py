"""`manage.py seed_demo`: fill the database with invented demo data."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.activity import DAYS, seed_activity
from demo.at_hand import seed_at_hand
from demo.collective import seed_collective
from demo.concertation import seed_concertation
from demo.empowerment import seed_empowerment
from demo.evaluation import seed_evaluation
from demo.households import seed_demo
from demo.meetings import seed_team_meetings
from demo.network import seed_network
from demo.support import seed_support


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
        issues = seed_collective(seed=seed)
        if issues:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Opened {issues} collective issues with their households, interventions, "
                    "partners and responses."
                )
            )
        supervision = seed_support(seed=seed)
        if supervision:
            self.stdout.write(
                self.style.SUCCESS(f"Recorded {supervision} clinical supervision sessions.")
            )
        team = seed_team_meetings(seed=seed)
        if team:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {team.meetings} team meetings with {team.items} agenda items and "
                    f"{team.actions} actions ({team.open_actions} open)."
                )
            )
        else:
            self.stdout.write("The demo already holds team meetings: none added.")
        paths = seed_empowerment(scale=scale, seed=seed)
        if paths.roles:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recorded {paths.roles} roles on residents' paths and {paths.memberships} "
                    "new tenant committee members."
                )
            )
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
        evaluation = seed_evaluation(seed=seed)
        if evaluation.research_consents or evaluation.entries:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {evaluation.research_consents:,} research consents and "
                    f"{evaluation.entries} practice journal entries."
                )
            )
        usernames = ", ".join(account.username for account in DEMO_ACCOUNTS)
        self.stdout.write(
            f"Demo accounts ({summary.accounts_created} new): {usernames}; password {DEMO_PASSWORD}"
        )
