"""The pages the benchmark measures, who opens them, and their logged-in test clients.

Every page is opened by the role that uses it, with parameters read from the data set: the
intervenant of Saint-Sulpice for "Ma journée" and a household page, the intervenant of
André-Grasset for the quick log (so that their entries do not change the first one's day),
the coordinator for the queue, the filtered list over every site and the unfiltered export of
every intervention (XLSX), the director for the last complete fiscal year over every site, the
intervenant of Saint-Sulpice again for "Mes suivis" and the team meetings (the list and the
page of a meeting she attended), the research team for the practice journal and the research
data set of the last complete fiscal year (zip), and the admin for the Django admin's
changelist.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db.models import Count, Max, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.report import ADMIN, EXPORT, FLOOR, LAYOUT, RESEARCH_EXPORT, SITE_DASHBOARD
from demo.accounts import DEMO_ACCOUNTS
from demo.catalogues.activity import ROOM
from ema.accounts.models import User
from ema.periods import fiscal_year_of
from ema.submissions import FIELD, new_token
from interventions.models import (
    HEADCOUNT_FIELDS,
    Intervention,
    InterventionType,
    Participation,
    Place,
    Theme,
)
from interventions.summaries import Bucket, summaries_refresh
from residents.models import Site
from team.models import AgendaItem, Meeting

EXPORT_SLOW_SECONDS = 30
# A download of every row is timed in this many rounds at most: its median is as telling, and
# the CI smoke stays near a minute.
DOWNLOAD_RUNS = 5
# Demo accounts (demo.accounts.DEMO_ACCOUNTS), which every data set has.
INTERVENANT, WRITER = "intervenant.ss", "intervenant.ag"
COORDINATION, DIRECTION, ADMINISTRATOR = "coordination", "direction", "admin"
RESEARCH = "recherche"
FILTER_THEME = "Logement"
QUICK_LOG_TYPE = "Présence informelle"


@dataclass(frozen=True)
class Page:
    """One request to measure: who sends it, where, and the status it must answer."""

    key: str
    title: str
    username: str
    path: str
    method: str = "GET"
    data: dict = field(default_factory=dict)
    # A create form's one-time token (ema.submissions): each request sends a new one, so that
    # every run saves, instead of being led to the entry the first run made.
    one_time: bool = False
    status: int = 200
    # Seconds beyond which one request is enough (the run's --slow when None).
    slow: float | None = None
    # Rounds in which it is timed, at most (every round when None).
    max_runs: int | None = None

    def request_data(self) -> dict:
        """What one request sends: the page's data, with a new one-time token if it needs one."""
        return {**self.data, FIELD: new_token()} if self.one_time else self.data


def pages() -> list[Page]:
    """The two reference pages, the key pages and the admin's changelist, in print order."""
    home = {account.username: account.site for account in DEMO_ACCOUNTS}
    site = Site.objects.get(name=home[INTERVENANT])
    writer_site = Site.objects.get(name=home[WRITER])
    busiest = (
        Participation.objects.filter(resident__household__site=site)
        .values("resident__household")
        .annotate(named=Count("pk"))
        .order_by("-named", "resident__household")
        .first()
    )
    last_year = fiscal_year_of(fiscal_year_of(timezone.localdate()).start - timedelta(days=1))
    theme = Theme.objects.get(name=FILTER_THEME)
    presence = InterventionType.objects.get(name=QUICK_LOG_TYPE)
    room = Place.objects.get(name=ROOM)
    # Her latest meeting among those with the most case discussions (its page records that
    # she read each of them, as it would for her).
    meeting = (
        Meeting.objects.filter(participants__username=INTERVENANT)
        .annotate(cases=Count("items", filter=Q(items__kind=AgendaItem.Kind.CASE)))
        .order_by("-cases", "-held_on", "-pk")
        .first()
    )
    if meeting is None:
        raise RuntimeError(f"{INTERVENANT} attended no team meeting in this data set.")
    fiscal_year = f"?kind=fiscal_year&day={last_year.start.isoformat()}"
    quick_log = {
        "type": presence.pk,
        "place": room.pk,
        "duration_minutes": 45,
        "site": writer_site.pk,
        "summary": "Présence au local après l'école; jeux de société.",
        **dict.fromkeys(HEADCOUNT_FIELDS.values(), 0),
        "count_6_12": 7,
        "count_13_17": 3,
    }
    return [
        Page(FLOOR, "floor (minimal logged-in page)", INTERVENANT, reverse("bench_floor")),
        Page(LAYOUT, "layout only (base.html, empty)", INTERVENANT, reverse("bench_layout")),
        Page("my_day", "Ma journée", INTERVENANT, reverse("interventions:my_day")),
        Page(
            "intervention_list",
            "interventions, filtered (all sites)",
            COORDINATION,
            reverse("interventions:intervention_list") + f"?level=individual&theme={theme.pk}",
        ),
        Page(
            "household",
            "household page with timeline",
            INTERVENANT,
            reverse("residents:household_detail", args=[busiest["resident__household"]]),
        ),
        Page(
            "referral_queue",
            "coordinator's queue",
            COORDINATION,
            reverse("partners:referral_queue"),
        ),
        Page(
            "dashboard",
            "dashboard, fiscal year, all sites",
            DIRECTION,
            reverse("dashboard") + fiscal_year,
        ),
        Page(
            SITE_DASHBOARD,
            f"dashboard, fiscal year, {site.name} (reference)",
            DIRECTION,
            reverse("dashboard") + fiscal_year + f"&site={site.pk}",
        ),
        Page(
            "annual_report",
            "annual report (XLSX)",
            DIRECTION,
            reverse("annual_report") + f"?format=xlsx&year={last_year.start.year}",
        ),
        Page("follow_ups", "Mes suivis", INTERVENANT, reverse("interventions:follow_ups")),
        Page("meeting_list", "team meetings", INTERVENANT, reverse("team:meeting_list")),
        Page(
            "meeting",
            "team meeting page",
            INTERVENANT,
            reverse("team:meeting_detail", args=[meeting.pk]),
        ),
        Page("journal", "practice journal", RESEARCH, reverse("evaluation:journal")),
        Page(
            EXPORT,
            "interventions, full export (XLSX)",
            COORDINATION,
            reverse("interventions:intervention_export") + "?format=xlsx",
            # A file of every intervention takes seconds; it is timed like the pages up to this.
            slow=EXPORT_SLOW_SECONDS,
            max_runs=DOWNLOAD_RUNS,
        ),
        Page(
            RESEARCH_EXPORT,
            "research data set, fiscal year (zip)",
            RESEARCH,
            reverse("evaluation:research_export_download") + fiscal_year,
            slow=EXPORT_SLOW_SECONDS,
            max_runs=DOWNLOAD_RUNS,
        ),
        Page(
            "quick_log",
            "quick log (POST)",
            WRITER,
            reverse("interventions:quick_log"),
            method="POST",
            data=quick_log,
            one_time=True,
            status=302,
        ),
        Page(
            ADMIN,
            "admin changelist (peer)",
            ADMINISTRATOR,
            reverse("admin:interventions_intervention_changelist"),
        ),
    ]


class Clients:
    """One logged-in test client per account, made on first use and checked on the floor."""

    def __init__(self, probe: str) -> None:
        self.probe = probe
        self.clients: dict[str, Client] = {}
        self.notes: list[str] = []

    def __getitem__(self, username: str) -> Client:
        if username not in self.clients:
            self.clients[username] = self._login(username)
        return self.clients[username]

    def _login(self, username: str) -> Client:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        response = client.get(self.probe)
        if response.status_code != 200 and _verify_second_factor(client, user):
            self.notes.append(f"{username}: session marked as verified by a second factor")
            response = client.get(self.probe)
        if response.status_code != 200:
            raise RuntimeError(
                f"{username} cannot open the floor page once logged in: "
                f"{response.status_code} {response.get('Location', '')}"
            )
        return client


def _verify_second_factor(client: Client, user: User) -> bool:
    """Mark the session as verified by one of the person's devices (django-otp), with a
    device made for the benchmark if they have none. False without django-otp."""
    if not apps.is_installed("django_otp"):
        return False
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is None and apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    if device is None:
        return False
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return True


@contextmanager
def todays_work(username: str, count: int = 6) -> Iterator[None]:
    """A few entries already logged today by the person whose day is measured (the data set
    ends yesterday); removed afterwards, with whatever the measured requests added."""
    user = User.objects.get(username=username)
    before = Intervention.objects.aggregate(last=Max("pk"))["last"] or 0
    entries = list(Intervention.objects.filter(author=user).order_by("-date", "-pk")[:count])
    for entry in entries:
        entry.pk = None
        entry._state.adding = True
        entry.date = timezone.localdate()
        entry.restricted_note = ""
        entry.follow_up_due = entry.follow_up_by = entry.follow_up_done_on = None
    Intervention.objects.bulk_create(entries)
    today = [
        Bucket.of(user_site, timezone.localdate()) for user_site in {e.site_id for e in entries}
    ]
    summaries_refresh(buckets=today)
    try:
        yield
    finally:
        added = Intervention.objects.filter(pk__gt=before)
        buckets = {Bucket.of(site, day) for site, day in added.values_list("site", "date")}
        added.delete()
        summaries_refresh(buckets=[*today, *buckets])
