"""The dashboard's collective issues panel: the issues still open by site, with their age and
latest response, and the share of collective work linked to an issue, on hand-built data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from collective.models import IssueStatus
from collective.selectors import collective_panel, collective_work_share
from ema.periods import custom_period
from interventions.models import Level
from partners.models import Organisation
from tests.collective.factories import CollectiveIssueFactory
from tests.factories import InterventionFactory

DASHBOARD_URL = reverse("dashboard")


@pytest.fixture
def period():
    today = timezone.localdate()
    return custom_period(today - timedelta(days=30), today)


@pytest.fixture
def work(site_ss, site_ag, intervenant_ss, intervenant_ag):
    """On Saint-Sulpice: three collective interventions (60, 90, 30 minutes), two of them linked
    to an issue (one to two issues: counted once), a group one linked (not collective), and a
    linked collective one before the period; on André-Grasset, one collective, not linked."""
    today = timezone.localdate()

    def log(level, minutes, *, site=site_ss, author=intervenant_ss, day=today):
        return InterventionFactory(
            site=site, author=author, level=level, duration_minutes=minutes, date=day
        )

    vermin = CollectiveIssueFactory(site=site_ss, title="Punaises")
    noise = CollectiveIssueFactory(site=site_ss, title="Bruit")
    first, second = log(Level.COLLECTIVE, 60), log(Level.COLLECTIVE, 90)
    log(Level.COLLECTIVE, 30)
    vermin.interventions.add(first, second, log(Level.GROUP, 120))
    noise.interventions.add(first)
    vermin.interventions.add(log(Level.COLLECTIVE, 600, day=today - timedelta(days=90)))
    log(Level.COLLECTIVE, 45, site=site_ag, author=intervenant_ag)
    return vermin, noise


def test_the_share_counts_collective_interventions_linked_to_an_issue(direction, work, period):
    share = collective_work_share(user=direction, period=period, site=None)
    assert (share.linked_count, share.total_count) == (2, 4)
    assert (share.linked_hours, share.total_hours) == (2.5, 3.8)  # 150 and 225 minutes
    assert (share.count_share, share.hours_share) == (50.0, 66.7)


def test_the_share_of_one_site(direction, work, period, site_ss):
    share = collective_work_share(user=direction, period=period, site=site_ss)
    assert (share.linked_count, share.total_count, share.linked_hours) == (2, 3, 2.5)
    assert share.count_share == 66.7


def test_no_collective_work_gives_no_share(direction, period, db):
    share = collective_work_share(user=direction, period=period, site=None)
    assert (share.total_count, share.count_share, share.hours_share) == (0, None, None)


def test_the_panel_lists_the_open_issues_with_their_age_and_latest_response(
    direction, work, period, site_ag
):
    vermin, noise = work
    noise.status = IssueStatus.RESOLVED
    noise.save()
    omhm = Organisation.objects.create(name="OMHM", kind=Organisation.Kind.OMHM)
    for day, answer in [(date(2026, 1, 5), "Inspection"), (timezone.localdate(), "Extermination")]:
        vermin.responses.create(
            organisation=omhm, received_on=day, answer=answer, recorded_by=direction
        )
    CollectiveIssueFactory(site=site_ag, title="Éclairage", status=IssueStatus.MOBILISING)
    panel = collective_panel(user=direction, period=period, site=None)
    assert panel.open_count == 2
    assert [(row.site, row.title) for row in panel.open_issues] == [
        ("André-Grasset", "Éclairage"),
        ("Saint-Sulpice", "Punaises"),
    ]
    row = panel.open_issues[1]
    assert row.age_days == 60
    assert (row.last_response_on, row.last_response_by) == (timezone.localdate(), "OMHM")


def test_the_direction_sees_the_panel_on_the_dashboard(client_as, direction, work):
    response = client_as(direction).get(DASHBOARD_URL)
    assert response.status_code == 200
    assert response.context["collective"].open_count == 2
    assert 'id="collective-title"' in response.content.decode()


def test_coordination_does_not_get_the_panel(client_as, coordination, work):
    response = client_as(coordination).get(DASHBOARD_URL)
    assert "collective" not in response.context
