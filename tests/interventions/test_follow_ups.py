"""Follow-ups: my open follow-ups, overdue first, and marking one done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from interventions.models import Intervention
from tests.factories import InterventionFactory, UserFactory
from tests.helpers import intervention_post

TODAY = timezone.localdate
LIST_URL = reverse("interventions:follow_ups")


def done_url(intervention):
    return reverse("interventions:follow_up_done", args=[intervention.pk])


def follow_up(user, site, *, due_in, author=None, **values):
    """An intervention with a follow-up for `user`, due in `due_in` days (negative: overdue)."""
    return InterventionFactory(
        site=site,
        author=author or user,
        follow_up_by=user,
        follow_up_due=TODAY() + timedelta(days=due_in),
        **values,
    )


@pytest.fixture
def colleague(site_ss):
    return UserFactory(username="collegue.ss", role=Role.INTERVENANT, sites=[site_ss])


class TestMyFollowUps:
    def test_lists_only_my_open_follow_ups_overdue_first(
        self, client_as, intervenant_ss, colleague, site_ss
    ):
        later = follow_up(intervenant_ss, site_ss, due_in=5)
        overdue = follow_up(intervenant_ss, site_ss, due_in=-3)
        long_overdue = follow_up(intervenant_ss, site_ss, due_in=-10)
        today = follow_up(intervenant_ss, site_ss, due_in=0)
        given_to_me = follow_up(intervenant_ss, site_ss, due_in=1, author=colleague)
        follow_up(intervenant_ss, site_ss, due_in=-1, follow_up_done_on=TODAY())
        follow_up(colleague, site_ss, due_in=-20)
        InterventionFactory(site=site_ss, author=intervenant_ss)
        response = client_as(intervenant_ss).get(LIST_URL)
        assert response.status_code == 200
        rows = list(response.context["page_obj"])
        assert [i.pk for i in rows] == [
            long_overdue.pk,
            overdue.pk,
            today.pk,
            given_to_me.pk,
            later.pk,
        ]
        assert [i.follow_up_is_overdue for i in rows] == [True, True, False, False, False]

    def test_a_follow_up_without_a_named_person_is_the_authors(
        self, client_as, intervenant_ss, site_ss
    ):
        due = (TODAY() + timedelta(days=7)).isoformat()
        client = client_as(intervenant_ss)
        client.post(
            reverse("interventions:intervention_create"),
            intervention_post(site_ss, follow_up_due=due),
        )
        intervention = Intervention.objects.get()
        assert [i.pk for i in client.get(LIST_URL).context["page_obj"]] == [intervention.pk]

    def test_nothing_waiting_shows_an_empty_list(self, client_as, intervenant_ss):
        response = client_as(intervenant_ss).get(LIST_URL)
        assert response.status_code == 200
        assert not list(response.context["page_obj"])

    @pytest.mark.parametrize("count", [3, 30])
    def test_query_count_does_not_grow_with_follow_ups(
        self, client_as, intervenant_ss, site_ss, count, django_assert_max_num_queries
    ):
        for index in range(count):
            follow_up(intervenant_ss, site_ss, due_in=index - 10)
        client = client_as(intervenant_ss)
        with django_assert_max_num_queries(4):  # session, user, count, page
            response = client.get(LIST_URL)
        assert response.context["page_obj"].paginator.count == count


class TestFollowUpDone:
    def test_done_today_and_gone_from_my_list(self, client_as, intervenant_ss, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=-2)
        client = client_as(intervenant_ss)
        response = client.post(done_url(intervention))
        assert response.status_code == 302
        assert response["Location"] == LIST_URL
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on == TODAY()
        assert not list(client.get(LIST_URL).context["page_obj"])
        day = client.get(reverse("interventions:my_day")).context["day"]
        assert (day.open_follow_ups, day.overdue_follow_ups) == (0, 0)

    def test_someone_to_whom_it_was_given_closes_it(
        self, client_as, intervenant_ss, colleague, site_ss
    ):
        intervention = follow_up(colleague, site_ss, due_in=1, author=intervenant_ss)
        assert client_as(colleague).post(done_url(intervention)).status_code == 302
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on == TODAY()

    @pytest.mark.parametrize("persona", ["colleague", "coordination"])
    def test_someone_else_cannot_close_mine(
        self, client_as, intervenant_ss, colleague, coordination, site_ss, persona
    ):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1)
        user = colleague if persona == "colleague" else coordination
        assert client_as(user).post(done_url(intervention)).status_code == 403
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on is None

    def test_the_direction_can_close_mine(self, client_as, intervenant_ss, direction, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1)
        assert client_as(direction).post(done_url(intervention)).status_code == 302
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on == TODAY()

    def test_an_intervenant_of_another_site_gets_404(
        self, client_as, intervenant_ss, intervenant_ag, site_ss
    ):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1)
        assert client_as(intervenant_ag).post(done_url(intervention)).status_code == 404
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on is None

    def test_marking_done_takes_a_post(self, client_as, intervenant_ss, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1)
        assert client_as(intervenant_ss).get(done_url(intervention)).status_code == 405
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on is None
