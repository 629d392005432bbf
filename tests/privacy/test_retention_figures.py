"""The key test of retention: the dashboards and the annual report show the same figures
before and after `apply_retention` anonymises the files that are due."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from ema.periods import fiscal_year_of
from interventions.models import Level
from partners.models import CommitteeMembership, Organisation, Referral, ReferralEvent, Status
from privacy.retention import households_due_for_retention
from reports.annual import annual_report
from reports.selectors.activity import activity_figures
from reports.selectors.balance import balance_figures
from reports.selectors.participation import participation_figures
from reports.selectors.reach import households_not_reached, reach_figures
from reports.selectors.referrals import referral_figures
from reports.selectors.themes import top_themes
from reports.selectors.workload import workload_figures
from residents.models import Household, Resident
from tests.factories import (
    GroupActivityFactory,
    InterventionFactory,
    ParticipationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.privacy.families import (
    LONG_AGO,
    RECENTLY,
    TODAY,
    backdate,
    family,
    household_on,
    member_since,
    referral_on,
)


@pytest.fixture
def author(site_ss, site_ag):
    return UserFactory(username="zoe.intervenante", sites=[site_ss, site_ag])


def _world(site_ss, site_ag, author) -> list[Household]:
    """Several years of work on two sites: families due for anonymisation and families
    still followed, named in individual, group and collective work, with referrals."""
    theme = ThemeFactory(name="Logement")
    other = ThemeFactory(name="Scolarité")
    committee = Organisation.objects.create(
        name="Comité des locataires",
        kind=Organisation.Kind.TENANT_COMMITTEE,
        committee_site=site_ss,
    )
    due = []
    for index, site in enumerate([site_ss, site_ag, site_ss]):
        household = family(site, author, moved_out=index != 1)
        due.append(household)
        extra = member_since(
            household,
            first_name="Aïcha",
            last_name="Zwarthoed",
            birth_year=2001,
            date_of_birth=None,
        )
        CommitteeMembership.objects.create(
            committee=committee,
            resident=extra,
            since=LONG_AGO - timedelta(days=300),
            until=LONG_AGO - timedelta(days=30),
        )
    # Named between the family's name and the anonymised label: lists sorted by name change
    # order, which is not a change of figures.
    followed = [
        household_on(site, day=RECENTLY, moved_out=False, label="Nadeau")
        for site in (site_ss, site_ag)
    ]
    for household in followed:
        member_since(household, RECENTLY)
    activity = GroupActivityFactory(site=site_ss)
    people = list(Resident.objects.all())
    for year_back in range(11):
        day = LONG_AGO - timedelta(days=60) + timedelta(days=365 * year_back)
        if day > TODAY:
            break
        for level, named in (
            (Level.INDIVIDUAL, people[:2]),
            (Level.GROUP, people),
            (Level.COLLECTIVE, people[1:4]),
        ):
            intervention = InterventionFactory(
                site=site_ss if year_back % 2 else site_ag,
                author=author,
                date=day,
                level=level,
                duration_minutes=45 + 15 * year_back,
                activity=activity if level == Level.GROUP else None,
                summary=f"Séance {year_back}",
            )
            intervention.themes.set([theme] if year_back % 3 else [theme, other])
            for resident in named:
                if day <= LONG_AGO or resident.household in followed:
                    ParticipationFactory(intervention=intervention, resident=resident)
    for household in [*due, *followed]:
        resident = household.members.first()
        day = LONG_AGO - timedelta(days=100) if household in due else RECENTLY
        referral = referral_on(
            household, resident, author, day, status=Status.COMPLETED, outcome=Referral.Outcome.MET
        )
        for offset, (old, new) in enumerate(
            [
                (Status.DRAFT, Status.SENT),
                (Status.SENT, Status.ACCEPTED),
                (Status.ACCEPTED, Status.COMPLETED),
            ]
        ):
            event = ReferralEvent.objects.create(
                referral=referral, old_status=old, new_status=new, by=author, note=f"Étape {offset}"
            )
            backdate(event, day + timedelta(days=offset * 7))
    return due


def _figures(user, years, sites) -> list:
    figures = []
    for year in years:
        report = annual_report(user=user, year=year)
        # The chart's id numbers each chart drawn; its data is what counts.
        figures += [report.tables, report.chart.categories, report.chart.series]
        for site in (None, *sites):
            figures += [
                activity_figures(user=user, period=year, site=site),
                reach_figures(user=user, period=year, site=site),
                balance_figures(user=user, period=year, site=site),
                participation_figures(user=user, period=year, site=site),
                referral_figures(user=user, period=year, site=site),
                top_themes(user=user, period=year, site=site),
                workload_figures(user=user, period=year, site=site),
                # The households themselves, not their order: the list is sorted by name.
                sorted(
                    households_not_reached(user=user, months=6, site=site).values_list(
                        "pk", "last_seen"
                    )
                ),
            ]
    return figures


def _pages(client, years) -> list:
    pages = []
    for year in years:
        report = client.get(reverse("annual_report"), {"year": year.start.year}).context
        pages.append([(table.title, table.headers, table.rows) for table in report["tables"]])
        dashboard = client.get(
            reverse("dashboard"), {"kind": "fiscal_year", "day": year.start.isoformat()}
        ).context
        pages.append(
            [
                dashboard[name]
                for name in (
                    "activity",
                    "reach",
                    "balance",
                    "participation",
                    "referrals",
                    "themes",
                    "workload",
                    "not_reached_count",
                )
            ]
        )
    return pages


def test_figures_and_reports_are_the_same_before_and_after_anonymising(
    client_as, direction, site_ss, site_ag, author
):
    due = _world(site_ss, site_ag, author)
    years = [fiscal_year_of(date(LONG_AGO.year - 1 + n, 6, 1)) for n in range(4)]
    years.append(fiscal_year_of(TODAY))
    client = client_as(direction)
    sites = [site_ss, site_ag]
    figures, pages = _figures(direction, years, sites), _pages(client, years)
    assert figures[0][0].rows  # the report has figures to compare
    assert set(households_due_for_retention(today=TODAY)) == set(due)

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Anonymised 3 household(s)" in out.getvalue()

    assert _figures(direction, years, sites) == figures
    assert _pages(client, years) == pages
