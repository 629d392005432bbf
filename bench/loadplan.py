"""The load test's plan, from the data set: who logs in, which pages they open.

    python -m bench.loadplan --scale 1 --out plan.json     # before the load test
    python -m bench.loadplan --cleanup plan.json           # after it

Runs with DATABASE_URL pointing at the scale's database: migrates, builds or reuses the data
set, gives each simulated director an account of their own with an authenticator app whose
key the plan holds (a code is accepted once, so two people cannot share a device), removes any
device from the intervenants' and coordinators' shared accounts (they log in with a password,
several at once), lifts any login lock left by an earlier run, and writes the URLs and ids
the simulated people use.
The cleanup removes the interventions the load test logged.
"""

import argparse
import json
from datetime import timedelta

import django

DIRECTOR_ACCOUNTS = "bench.direction.{}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--directors", type=int, default=2)
    parser.add_argument("--coordinators", type=int, default=3)
    parser.add_argument("--out", help="where to write the plan (JSON)")
    parser.add_argument("--cleanup", metavar="PLAN", help="undo what the load test logged")
    args = parser.parse_args(argv)
    django.setup()
    if args.cleanup:
        with open(args.cleanup, encoding="utf-8") as plan_file:
            cleanup(json.load(plan_file))
        return
    if not args.out:
        parser.error("--out is required")
    from django.core.management import call_command

    from bench import data

    call_command("migrate", verbosity=0, interactive=False)
    data.ensure(scale=args.scale, log=lambda line: print(line, flush=True))
    plan = make_plan(directors=args.directors, coordinators=args.coordinators)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(plan, out, indent=2)


def make_plan(*, directors: int, coordinators: int) -> dict:
    """Accounts, URLs and ids for the simulated people."""
    from axes.utils import reset
    from django.contrib.auth.hashers import make_password
    from django.db.models import Max
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import FILTER_THEME, QUICK_LOG_TYPE
    from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
    from demo.catalogues.activity import ROOM
    from ema.accounts.models import Role, User
    from ema.periods import fiscal_year_of
    from interventions.models import Intervention, InterventionType, Place, Theme
    from partners.models import Referral
    from residents.models import Household

    reset()  # no account stays locked by the failures of an earlier run
    shared = [a.username for a in DEMO_ACCOUNTS if a.role in (Role.INTERVENANT, Role.COORDINATION)]
    _remove_devices(User.objects.filter(username__in=shared))
    password = make_password(DEMO_PASSWORD)
    presence = InterventionType.objects.get(name=QUICK_LOG_TYPE)
    room = Place.objects.get(name=ROOM)
    intervenants = []
    for account in DEMO_ACCOUNTS:
        if account.role != Role.INTERVENANT:
            continue
        user = User.objects.get(username=account.username)
        site = user.sites.get()
        households = Household.objects.filter(site=site).order_by("pk")
        intervenants.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "households": list(households.values_list("pk", flat=True)[:80]),
                "quick_log": {
                    "type": presence.pk,
                    "place": room.pk,
                    "site": site.pk,
                    "duration_minutes": 30,
                    "summary": "Présence au local; quelques jeunes sont passés.",
                    "count_6_12": 4,
                    "count_13_17": 2,
                },
            }
        )
    coordination = [
        {"username": a.username, "password": DEMO_PASSWORD}
        for a in DEMO_ACCOUNTS
        if a.role == Role.COORDINATION
    ]
    last_year = fiscal_year_of(fiscal_year_of(timezone.localdate()).start - timedelta(days=1))
    theme = Theme.objects.get(name=FILTER_THEME)
    dashboard = reverse("dashboard")
    report = reverse("annual_report")
    return {
        "mix": {"directors": directors, "coordinators": coordinators},
        "intervenants": intervenants,
        "coordinators": coordination,
        "directors": [
            _director(n, password=password, clear=DEMO_PASSWORD) for n in range(1, directors + 1)
        ],
        "referrals": list(
            Referral.objects.open().order_by("pk").values_list("pk", flat=True)[:100]
        ),
        "last_intervention": Intervention.objects.aggregate(last=Max("pk"))["last"] or 0,
        "urls": {
            "login": reverse("accounts:login"),
            "my_day": reverse("interventions:my_day"),
            "quick_log": reverse("interventions:quick_log"),
            "quick_log_form": reverse("interventions:quick_log") + f"?type={presence.pk}",
            "intervention_list": reverse("interventions:intervention_list")
            + f"?level=individual&theme={theme.pk}",
            "household": reverse("residents:household_detail", args=[0]).replace("/0/", "/{}/"),
            "follow_ups": reverse("interventions:follow_ups"),
            "referral_queue": reverse("partners:referral_queue"),
            "referral": reverse("partners:referral_detail", args=[0]).replace("/0/", "/{}/"),
            "dashboard_year": f"{dashboard}?kind=fiscal_year&day={last_year.start.isoformat()}",
            "dashboard_month": f"{dashboard}?kind=month",
            "annual_report": f"{report}?year={last_year.start.year}",
            "annual_report_xlsx": f"{report}?format=xlsx&year={last_year.start.year}",
        },
    }


def _director(number: int, *, password: str, clear: str) -> dict:
    """A director's account with a confirmed authenticator app; its key goes in the plan."""
    from django.apps import apps

    from ema.accounts.models import Role, User

    username = DIRECTOR_ACCOUNTS.format(number)
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.DIRECTION,
            "first_name": "Direction",
            "last_name": f"{number}",
            "email": f"{username}@example.org",
            "password": password,
        },
    )
    account = {"username": username, "password": clear}
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
        account["totp_key"] = device.key
    return account


def _remove_devices(users) -> None:
    """Password-only logins for these accounts, whatever devices someone set up on them."""
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return
    from django_otp import devices_for_user

    for user in users:
        for device in devices_for_user(user, confirmed=None):
            print(f"  removed the device {device.name!r} of {user.username}", flush=True)
            device.delete()


def cleanup(plan: dict) -> None:
    """Remove the interventions logged during the load test."""
    from interventions.models import Intervention
    from interventions.summaries import Bucket, summaries_refresh

    logged = Intervention.objects.filter(pk__gt=plan["last_intervention"])
    buckets = {Bucket.of(site, day) for site, day in logged.values_list("site", "date")}
    deleted, _ = logged.delete()
    summaries_refresh(buckets=buckets)
    print(f"  removed {deleted} rows logged by the load test", flush=True)


if __name__ == "__main__":
    main()
