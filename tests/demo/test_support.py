"""The demo team (about twelve staff, some on two sites, full and part time) shares the work
of its sites, has a year of clinical supervision, and the dashboard shows a few signals."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from demo.accounts import DEMO_TEAM
from demo.activity import seed_activity
from demo.households import seed_demo
from demo.support import WITHOUT_RECENT_SUPPORT, seed_support
from ema.accounts.models import Role, User
from interventions.models import Intervention
from reports.selectors.workload import workload_signals
from support.models import SupervisionSession, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    seed_demo()
    seed_activity(days=60)
    return seed_support()


def test_the_team_has_about_twelve_staff_over_the_three_sites(seeded):
    staff = User.objects.exclude(role="").exclude(role=Role.RESEARCH)
    assert 12 <= staff.count() <= 15
    intervenants = staff.filter(role=Role.INTERVENANT).annotate(n=Count("sites"))
    assert intervenants.filter(n=2).exists()
    sites = {name for member in DEMO_TEAM for name in member.sites}
    assert sites == {"Saint-Sulpice", "André-Grasset", "Meunier-Tolhurst"}
    # The colleagues added to the team do not log in: no published password.
    for member in DEMO_TEAM:
        assert not User.objects.get(username=member.username).has_usable_password()


def test_everyone_but_the_admin_has_planned_hours_full_or_part_time(seeded):
    plans = WorkPlan.objects.values_list("user__role", "hours_per_week")
    assert {role for role, _ in plans} == {Role.INTERVENANT, Role.COORDINATION, Role.DIRECTION}
    hours = {float(h) for _, h in plans}
    assert 35 in hours and min(hours) < 30


def test_each_intervenant_logs_work_on_their_own_sites(seeded):
    for user in User.objects.filter(role=Role.INTERVENANT).prefetch_related("sites"):
        sites = set(
            Intervention.objects.filter(author=user).values_list("site", flat=True).distinct()
        )
        assert sites, user.username
        assert sites <= {site.pk for site in user.sites.all()}


def test_a_year_of_monthly_and_group_supervision(seeded):
    assert seeded > 100
    sessions = SupervisionSession.objects.all()
    today = timezone.localdate()
    assert not sessions.filter(date__gte=today).exists()
    assert sessions.filter(date__lt=today - timedelta(days=300)).exists()
    assert sessions.filter(kind=SupervisionSession.Kind.GROUP).count() >= 5
    assert sessions.exclude(external_supervisor="").exists()
    for session in sessions.filter(kind=SupervisionSession.Kind.INDIVIDUAL)[:50]:
        assert session.supervised.count() == 1
        session.full_clean()
    assert seed_support() == 0  # safe to run again


def test_the_dashboard_shows_a_few_signals_over_threshold(seeded):
    direction = User.objects.get(username="direction")
    rows = workload_signals(user=direction)
    over = [row for row in rows if row.over]
    assert 1 <= len(over) < len(rows)
    samuel = next(row for row in rows if row.name.startswith("Samuel"))
    assert WITHOUT_RECENT_SUPPORT == "samuel.joseph"
    assert any(s.kind == "supervision" and s.over for s in samuel.signals)
