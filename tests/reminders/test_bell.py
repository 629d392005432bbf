"""The bell: the same reminders in the app, each linking to where the work is done; the choice
of emails in the profile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import DigestChoice
from tests.factories import InterventionFactory


@pytest.fixture
def overdue(site_ss, intervenant_ss):
    return InterventionFactory(
        author=intervenant_ss,
        site=site_ss,
        follow_up_due=timezone.localdate() - timedelta(days=2),
        follow_up_by=intervenant_ss,
    )


def test_the_bell_counts_and_its_page_links_to_the_work(client_as, intervenant_ss, overdue):
    client = client_as(intervenant_ss)
    count = client.get(reverse("reminders:count"))
    assert count.json() == {"count": 1}
    assert count["Cache-Control"] == "no-store"
    page = client.get(reverse("reminders:list")).content.decode()
    assert "1 suivi en retard" in page
    assert f'href="{reverse("interventions:follow_ups")}"' in page
    home = client.get(reverse("interventions:my_day")).content.decode()
    assert f'data-reminder-count="{reverse("reminders:count")}"' in home


def test_nothing_due_says_so(client_as, direction):
    client = client_as(direction)
    assert client.get(reverse("reminders:count")).json() == {"count": 0}
    assert (
        "Rien ne vous attend aujourd’hui." in client.get(reverse("reminders:list")).content.decode()
    )


def test_the_bell_costs_a_bounded_number_of_queries(
    client_as, intervenant_ss, site_ss, django_assert_max_num_queries
):
    client = client_as(intervenant_ss)
    for _ in range(20):
        InterventionFactory(
            author=intervenant_ss,
            site=site_ss,
            follow_up_due=timezone.localdate(),
            follow_up_by=intervenant_ss,
        )
    with django_assert_max_num_queries(9):
        assert client.get(reverse("reminders:count")).json() == {"count": 20}


def test_each_person_chooses_their_emails(client_as, intervenant_ss, coordination):
    client = client_as(intervenant_ss)
    page = client.get(reverse("reminders:choices")).content.decode()
    assert "Résumé quotidien" in page and "Résumé hebdomadaire" not in page
    response = client.post(reverse("reminders:choices"), {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert DigestChoice.objects.get(user=intervenant_ss).daily is False

    client = client_as(coordination)
    assert "Résumé hebdomadaire" in client.get(reverse("reminders:choices")).content.decode()
    client.post(reverse("reminders:choices"), {"daily": "on"})
    choice = DigestChoice.objects.get(user=coordination)
    assert (choice.daily, choice.weekly) == (True, False)
