"""The demo collective issues: on the three sites, with households, interventions at the three
levels, partners and responses; lawful rows, deterministic, safe to rerun."""

import pytest
from django.db.models import Count

from collective.models import Category, CollectiveIssue, IssueResponse, IssueStatusChange
from demo.activity import seed_activity
from demo.collective import ISSUES, seed_collective
from demo.households import seed_demo
from demo.network import seed_network
from interventions.models import Level

pytestmark = pytest.mark.django_db

SHORT = 120  # days of activity, enough to link interventions of every level


@pytest.fixture
def issues(db):
    seed_demo()
    seed_activity(days=SHORT)
    seed_network()
    return seed_collective()


def test_the_demo_opens_issues_on_the_three_sites(issues):
    assert issues == len(ISSUES) == CollectiveIssue.objects.count()
    assert 6 <= issues <= 10
    by_site = dict(
        CollectiveIssue.objects.values_list("site__name").annotate(n=Count("pk")).order_by()
    )
    assert set(by_site) == {"Saint-Sulpice", "André-Grasset", "Meunier-Tolhurst"}
    vermin = CollectiveIssue.objects.get(site__name="Saint-Sulpice", title__startswith="Punaises")
    assert vermin.category == Category.VERMIN
    assert vermin.responses.filter(organisation__name="OMHM").count() >= 2
    assert vermin.status_changes.count() == 3


def test_the_demo_issues_have_households_interventions_partners_and_responses(issues):
    for issue in CollectiveIssue.objects.all():
        assert issue.households.exists(), issue
        assert issue.partners.exists(), issue
        assert not issue.households.exclude(site=issue.site).exists()
        assert not issue.interventions.exclude(site=issue.site).exists()
        assert issue.status_changes.order_by("changed_on", "pk").first().status == "open"
    levels = set(
        CollectiveIssue.interventions.through.objects.values_list("intervention__level", flat=True)
    )
    assert levels == set(Level.values)
    assert IssueResponse.objects.count() >= 10


def test_every_demo_row_is_valid(issues):
    for row in [
        *CollectiveIssue.objects.all(),
        *IssueStatusChange.objects.all(),
        *IssueResponse.objects.all(),
    ]:
        row.full_clean()


def test_running_it_again_adds_nothing(issues):
    assert seed_collective() == 0
    assert CollectiveIssue.objects.count() == len(ISSUES)
