"""What the direction sets and sees of clinical support: the team's sessions by person (no
notes), the planned hours, the workload thresholds; the signals on the dashboard and on each
person's month."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from support.models import WorkloadThresholds, WorkPlan
from tests.factories import InterventionFactory, UserFactory
from tests.helpers import french, max_data_queries, page_text
from tests.support.factories import SupervisionSessionFactory, WorkPlanFactory, theme

NOTES = "NOTES-DE-SUPERVISION-3310"


@pytest.mark.parametrize("size", [1, 20])
def test_the_team_page_counts_each_persons_sessions_without_notes(
    client_as, direction, intervenant_ss, size
):
    today = timezone.localdate()
    for days in range(size):
        SupervisionSessionFactory(
            supervised=[intervenant_ss],
            date=today - timedelta(days=7 + days),
            notes=NOTES,
            themes=[theme("Fatigue de compassion")],
        )
    SupervisionSessionFactory(supervised=[intervenant_ss], date=today - timedelta(days=400))
    WorkPlanFactory(user=intervenant_ss, hours_per_week=28)
    client = client_as(direction)
    client.get(reverse("support:thresholds"))
    with max_data_queries(10):
        response = client.get(reverse("support:team"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.user == intervenant_ss)
    assert (row.sessions, row.minutes, row.planned_hours) == (size, 60 * size, 28.0)
    assert row.last_date == today - timedelta(days=7) and row.weeks_since == 1
    text = page_text(response)
    assert NOTES not in text and "Fatigue de compassion" not in text


@pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "admin_user"])
def test_only_the_direction_sets_planned_hours_and_thresholds(request, client_as, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)
    target = UserFactory(role=Role.INTERVENANT)
    url = reverse("support:work_plan_update", args=[target.pk])
    assert client.post(url, {"hours_per_week": "21"}).status_code == 403
    response = client.post(reverse("support:thresholds"), {"evening_hours": "3"})
    assert response.status_code == 403
    assert not WorkPlan.objects.exists()
    assert not WorkloadThresholds.objects.filter(evening_hours=3).exists()


def test_the_direction_sets_a_persons_planned_hours(client_as, direction, intervenant_ss):
    client = client_as(direction)
    url = reverse("support:work_plan_update", args=[intervenant_ss.pk])
    assert client.get(url).status_code == 200
    with max_data_queries(12):
        response = client.post(url, {"hours_per_week": "17.5"})
    assert response.status_code == 302
    assert float(WorkPlan.objects.get(user=intervenant_ss).hours_per_week) == 17.5
    response = client.post(url, {"hours_per_week": "80"})
    assert response.status_code == 400
    limit = french("Ensure this value is less than or equal to %(limit_value)s.")
    assert limit % {"limit_value": 60} in page_text(response)
    assert float(WorkPlan.objects.get(user=intervenant_ss).hours_per_week) == 17.5


def test_planned_hours_only_for_the_team(client_as, direction, research):
    url = reverse("support:work_plan_update", args=[research.pk])
    assert client_as(direction).get(url).status_code == 404


def test_the_direction_sets_the_thresholds(client_as, direction):
    client = client_as(direction)
    data = {
        "over_planned_percent": "120",
        "crisis_interventions": "4",
        "evening_hours": "10",
        "weekend_hours": "6",
        "weeks_without_supervision": "8",
    }
    with max_data_queries(12):
        response = client.post(reverse("support:thresholds"), data)
    assert response.status_code == 302
    thresholds = WorkloadThresholds.current()
    assert (thresholds.over_planned_percent, thresholds.weeks_without_supervision) == (120, 8)
    response = client.post(reverse("support:thresholds"), {**data, "over_planned_percent": "50"})
    assert response.status_code == 400
    assert WorkloadThresholds.current().over_planned_percent == 120


def test_the_dashboard_shows_the_teams_signals_over_threshold_first(
    client_as, direction, intervenant_ss, intervenant_ag
):
    WorkPlanFactory(user=intervenant_ss, hours_per_week=10)
    today = timezone.localdate()
    InterventionFactory(author=intervenant_ss, date=today, duration_minutes=720)
    SupervisionSessionFactory(supervised=[intervenant_ss], date=today - timedelta(days=3))
    SupervisionSessionFactory(supervised=[intervenant_ag], date=today - timedelta(days=3))
    response = client_as(direction).get(reverse("dashboard"))
    assert response.status_code == 200
    signals = response.context["signals"]
    assert signals[0].user_id == intervenant_ss.pk
    text = page_text(response)
    assert french("Workload signals") in text
    assert "12,0 h" in text and french("over the threshold") in text


def test_my_month_shows_my_own_signals_only(client_as, intervenant_ss, intervenant_ag):
    WorkPlanFactory(user=intervenant_ss, hours_per_week=35)
    InterventionFactory(author=intervenant_ag, duration_minutes=700)
    response = client_as(intervenant_ss).get(reverse("my_month"))
    assert [person.user_id for person in response.context["my_signals"]] == [intervenant_ss.pk]
    text = page_text(response)
    assert french("My workload") in text
    assert "35,0 h" in text
