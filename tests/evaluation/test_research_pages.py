"""The research team's pages: it lands on the journal, its navigation shows only what it may
open, and the dashboard shows it every figure without a name nor a text typed by the team."""

from django.urls import reverse

from ema.access import can_see_names_on_dashboard
from tests.evaluation.conftest import SECRETS
from tests.helpers import page_text

DASHBOARD_URL = reverse("dashboard")


def test_research_lands_on_the_practice_journal(client_as, research):
    response = client_as(research).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("evaluation:journal")


def test_research_navigation_offers_only_its_pages(client_as, research):
    response = client_as(research).get(reverse("evaluation:journal"))
    html = response.content.decode()
    for url in ("evaluation:journal", "dashboard", "evaluation:research_export"):
        assert f'href="{reverse(url)}"' in html
    for url in (
        "interventions:my_day",
        "my_month",
        "residents:household_list",
        "partners:referral_queue",
        "reminders:list",
        "reminders:choices",
    ):
        assert f'href="{reverse(url)}"' not in html, url
    assert 'data-offline-session="off"' in html


def test_the_dashboard_shows_research_no_name_and_no_note(
    client_as, research, evaluation_data, django_assert_max_num_queries
):
    client = client_as(research)
    # The direction's budget (tests/reports/test_views.py), less the panels without names.
    with django_assert_max_num_queries(34):
        response = client.get(DASHBOARD_URL, {"kind": "month"})
    assert response.status_code == 200
    text = response.content.decode()
    # Every figure is there...
    assert "Participation" in page_text(response)
    assert response.context["every_figure"]
    # ...without a name of a resident or of the staff, nor a note.
    found = [secret for secret in SECRETS if secret in text]
    assert found == []
    # Nor a link to a page that names people.
    assert reverse("not_reached") not in text
    assert reverse("partners:referral_queue") not in text
    assert response.context["workload"] == []
    assert response.context["balance"].by_intervenant == []


def test_the_direction_still_sees_who_did_the_work(client_as, direction, evaluation_data):
    response = client_as(direction).get(DASHBOARD_URL, {"kind": "month"})
    assert "Tremblayovitch" in response.content.decode()
    assert can_see_names_on_dashboard(direction)


def test_research_may_not_see_names_on_the_dashboard(research):
    assert not can_see_names_on_dashboard(research)
