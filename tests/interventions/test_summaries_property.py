"""The monthly summaries say what the interventions say, whatever is written: random writes,
edits, moves between sites and months, deletions, group sessions and retention runs through
the services, then every figure of the dashboard, "Mon mois", the annual report (the
residents' ladder included) and the research data set computed from the summaries equals the
same figure computed from the raw rows, and `summaries check` finds nothing to mend."""

import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import asdict
from datetime import date, timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collective.selectors import collective_work_share
from ema.periods import Period, fiscal_year_of, month_of, quarter_of
from empowerment import selectors as empowerment
from evaluation import dataset
from interventions.models import Intervention, Level, Participation
from interventions.services import (
    Participant,
    activity_session_create,
    intervention_counts_update,
    intervention_delete,
    intervention_save,
)
from interventions.summaries import summaries_differences
from privacy.retention import anonymise_household
from reports.selectors.activity import activity_figures
from reports.selectors.balance import balance_figures
from reports.selectors.participation import participation_figures
from reports.selectors.reach import reach_figures
from reports.selectors.themes import top_themes
from reports.selectors.workload import workload_figures
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PlaceFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Days on both sides of month, quarter and fiscal-year ends, within the last four months.
DAYS = sorted(
    {
        TODAY,
        TODAY.replace(day=1),
        TODAY.replace(day=1) - timedelta(days=1),
        *(TODAY.replace(day=1) - timedelta(days=d) for d in (15, 31, 32, 62, 95, 110)),
    }
)


@pytest.fixture
def cast(site_ss, site_ag, intervenant_ss, intervenant_ag, direction):
    """Two sites, their intervenants, residents who may be named on each, types, themes and a
    group activity per site."""
    residents = {
        site.pk: [
            ConsentedResidentFactory(
                household=HouseholdFactory(site=site, label=f"Famille {site.pk}-{n}"),
                birth_year=1950 + 17 * n,
                consent__given_on=date(2020, 1, 1),
            )
            for n in range(4)
        ]
        for site in (site_ss, site_ag)
    }
    return {
        "sites": [site_ss, site_ag],
        "staff": [intervenant_ss, intervenant_ag, direction],
        "residents": residents,
        "types": [
            InterventionTypeFactory(name="Écoute", default_level=Level.INDIVIDUAL),
            InterventionTypeFactory(name="Atelier", default_level=Level.GROUP, is_crisis=True),
        ],
        "themes": [ThemeFactory(name=name) for name in ("Logement", "Santé", "Loisirs")],
        "place": PlaceFactory(),
        "activities": {site.pk: GroupActivityFactory(site=site) for site in (site_ss, site_ag)},
        "direction": direction,
    }


# One step: (what, numbers that pick its choices).
step = st.tuples(
    st.sampled_from(["create", "create", "edit", "move", "counts", "delete", "session", "retain"]),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=8, max_size=8),
)


def _pick(items, number):
    return items[number % len(items)]


def _subset(items, number):
    return [item for index, item in enumerate(items) if number >> index & 1]


def _named(cast, site, number):
    """Some of the site's residents, each in a role (participant, volunteer, organiser)."""
    residents = _subset(cast["residents"][site.pk], number)
    roles = Participation.Role.values
    return [
        Participant(resident=r, role=roles[(number >> i) % len(roles)])
        for i, r in enumerate(residents)
    ]


def _apply(cast, what, n):
    interventions = list(Intervention.objects.order_by("pk"))
    if what in ("edit", "move", "counts", "delete") and not interventions:
        what = "create"
    if what == "create":
        site = _pick(cast["sites"], n[0])
        kind = _pick(cast["types"], n[1])
        intervention_save(
            intervention=Intervention(
                level=_pick(Level.values, n[2]),
                type=kind,
                place=cast["place"],
                site=site,
                date=_pick(DAYS, n[3]),
                duration_minutes=15 + n[4] % 240,
                count_6_12=n[5] % 4,
                count_26_64=n[6] % 3,
            ),
            by=_pick(cast["staff"], n[7]),
            themes=_subset(cast["themes"], n[5]),
            co_intervenants=_subset(cast["staff"], n[6]),
            participants=_named(cast, site, n[4]),
        )
    elif what in ("edit", "move"):
        intervention = Intervention.objects.get(pk=_pick(interventions, n[0]).pk)
        if what == "move":  # another site (its people stay behind) or another month
            intervention.site = _pick(cast["sites"], n[1])
            named = _named(cast, intervention.site, n[2] if intervention.site else 0)
        else:
            intervention.level = _pick(Level.values, n[1])
            named = _named(cast, intervention.site, n[2])
        intervention.date = _pick(DAYS, n[3])
        intervention.type = _pick(cast["types"], n[4])
        intervention_save(
            intervention=intervention,
            by=cast["direction"],
            themes=_subset(cast["themes"], n[5]),
            co_intervenants=_subset(cast["staff"], n[6]),
            participants=named,
            expected_version=intervention.version,
        )
    elif what == "counts":
        intervention = Intervention.objects.get(pk=_pick(interventions, n[0]).pk)
        intervention_counts_update(
            intervention=intervention,
            expected_version=intervention.version,
            duration_minutes=1 + n[1] % 300,
            count_0_5=n[2] % 5,
            count_65_plus=n[3] % 2,
        )
    elif what == "delete":
        intervention_delete(intervention=_pick(interventions, n[0]))
    elif what == "session":
        site = _pick(cast["sites"], n[0])
        activity_session_create(
            activity=cast["activities"][site.pk],
            by=_pick(cast["staff"], n[1]),
            date=_pick(DAYS, n[2]),
            start_time=None,
            duration_minutes=30 + n[3] % 120,
            present=_subset(cast["residents"][site.pk], n[4]),
            count_6_12=n[5] % 6,
        )
    else:  # a retention run, years from now: anonymising changes no figure
        household = _pick([r.household for rs in cast["residents"].values() for r in rs], n[0])
        anonymise_household(household=household, today=TODAY + timedelta(days=365 * 9))


@contextmanager
def raw_rows():
    """Every figure computed from the interventions themselves, as for a custom period cut
    inside a month."""
    with (
        mock.patch.object(Period, "is_whole_months", property(lambda period: False)),
        mock.patch.object(dataset, "are_whole_months", lambda start, end: False),
        mock.patch.object(empowerment, "are_whole_months", lambda start, end: False),
    ):
        yield


def _figures(cast) -> dict:
    months = {month_of(day) for day in DAYS}
    periods = [*sorted(months, key=lambda p: p.start), quarter_of(TODAY), fiscal_year_of(TODAY)]
    figures = {}
    for user in cast["staff"][::2]:  # an intervenant of one site, the direction
        for period in periods:
            for site in (None, cast["sites"][0]):
                key = f"{user.username} {period.start}–{period.end} {site}"
                figures[key] = [
                    asdict(activity_figures(user=user, period=period, site=site)),
                    asdict(balance_figures(user=user, period=period, site=site)),
                    asdict(reach_figures(user=user, period=period, site=site)),
                    asdict(participation_figures(user=user, period=period, site=site)),
                    top_themes(user=user, period=period, site=site),
                    [asdict(w) for w in workload_figures(user=user, period=period, site=site)],
                    asdict(collective_work_share(user=user, period=period, site=site)),
                ]
            figures[f"{user.username} {period.start} mine"] = asdict(
                activity_figures(user=user, period=period, mine=True)
            )
    year = fiscal_year_of(TODAY)
    for user in cast["staff"][::2]:
        for site in (None, cast["sites"][0]):
            ladder = empowerment.ladder_of(user=user, year=year, site=site)
            figures[f"{user.username} ladder {site}"] = asdict(ladder)
    figures["path steps"] = list(empowerment.path_steps(start=year.start, end=year.end))
    options = dataset.Options(start=year.start, end=year.end, today=TODAY, key="k")
    enums = dataset.Enums()
    for table in (dataset.interventions_table, dataset.headcounts_table):
        figures[table.__name__] = list(table(options, enums).rows)
    return figures


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_every_figure_from_the_summaries_equals_the_figure_from_the_raw_rows(cast, steps):
    with transaction.atomic():  # each example starts from the cast alone
        for what, numbers in steps:
            # A step refused as the application would refuse it (a household not due, a
            # person who may not be named there) leaves nothing: its savepoint is undone.
            with suppress(ValidationError):
                _apply(cast, what, numbers)
        from_summaries = _figures(cast)
        with raw_rows():
            from_raw = _figures(cast)
        assert from_summaries == from_raw
        assert set(summaries_differences().values()) == {0}
        transaction.set_rollback(True)


def test_the_check_finds_rows_written_past_the_services_and_rebuild_mends_them(
    cast, site_ss, intervenant_ss
):
    intervention_save(
        intervention=Intervention(
            level=Level.INDIVIDUAL,
            type=cast["types"][0],
            place=cast["place"],
            site=site_ss,
            date=TODAY,
            duration_minutes=45,
        ),
        by=intervenant_ss,
    )
    call_command("summaries", "check")
    Intervention.objects.update(duration_minutes=90)  # past the services
    with pytest.raises(CommandError, match="monthlywork 2"):
        call_command("summaries", "check")
    call_command("summaries", "rebuild")
    call_command("summaries", "check")
    figures = activity_figures(user=intervenant_ss, period=month_of(TODAY))
    assert figures.total_hours == 1.5


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two writers at once need two database connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_logging_on_one_site_at_once_are_both_counted(site_ss, intervenant_ss):
    """The second writer of a site's month waits for the first to commit, then computes the
    month with both entries (without the wait, its summary rows would clash with the
    first's)."""
    kind, place = InterventionTypeFactory(name="Écoute"), PlaceFactory()
    colleague = UserFactory(sites=[site_ss])
    earlier = Intervention(
        level=Level.INDIVIDUAL,
        type=kind,
        place=place,
        site=site_ss,
        date=TODAY,
        duration_minutes=20,
    )
    intervention_save(intervention=earlier, by=intervenant_ss)  # the month has rows already
    first_saved, errors = threading.Event(), []

    def write(by, *, hold: bool):
        try:
            with transaction.atomic():
                entry = Intervention(
                    level=Level.INDIVIDUAL,
                    type=kind,
                    place=place,
                    site=site_ss,
                    date=TODAY,
                    duration_minutes=30,
                )
                intervention_save(intervention=entry, by=by)
                if hold:
                    first_saved.set()
                    time.sleep(0.5)  # still uncommitted while the other one writes
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=write, args=(intervenant_ss,), kwargs={"hold": True})
    first.start()
    first_saved.wait(10)
    second = threading.Thread(target=write, args=(colleague,), kwargs={"hold": False})
    second.start()
    for thread in (first, second):
        thread.join(20)

    assert errors == []
    assert Intervention.objects.count() == 3
    assert set(summaries_differences().values()) == {0}
