"""Follow-ups: my open follow-ups, overdue first, and marking one done."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from ema.periods import end_of_week
from interventions.models import Intervention, Participation
from tests.factories import ConsentedResidentFactory, InterventionFactory, UserFactory
from tests.helpers import french, intervention_post, page_text

TODAY = timezone.localdate
LIST_URL = reverse("interventions:follow_ups")


def done_url(intervention):
    return reverse("interventions:follow_up_done", args=[intervention.pk])


def reopen_url(intervention):
    return reverse("interventions:follow_up_reopen", args=[intervention.pk])


def postpone_url(intervention):
    return reverse("interventions:follow_up_postpone", args=[intervention.pk])


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
        # session, user, count, page, the people named, the reader's sites (for their names),
        # the team meetings' actions (and their meetings' participants)
        with django_assert_max_num_queries(8):
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


class TestWhoWhatAndWhen:
    def test_grouped_overdue_this_week_and_later(self, client_as, intervenant_ss, site_ss):
        days_to_saturday = (end_of_week(TODAY()) - TODAY()).days
        overdue = follow_up(intervenant_ss, site_ss, due_in=-1)
        today = follow_up(intervenant_ss, site_ss, due_in=0)
        saturday = follow_up(intervenant_ss, site_ss, due_in=days_to_saturday)
        next_week = follow_up(intervenant_ss, site_ss, due_in=days_to_saturday + 1)

        response = client_as(intervenant_ss).get(LIST_URL)

        groups = {
            group.key: [item.intervention.pk for item in group.items]
            for group in response.context["groups"]
        }
        assert groups == {
            "overdue": [overdue.pk],
            "week": [today.pk, saturday.pk],
            "later": [next_week.pk],
        }
        text = page_text(response)
        assert text.index("En retard") < text.index("Cette semaine") < text.index("Plus tard")

    def test_says_who_the_reader_may_see_and_counts_the_others(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        mine = ConsentedResidentFactory(
            household__site=site_ss, first_name="Aline", last_name="Bélanger"
        )
        elsewhere = ConsentedResidentFactory(
            household__site=site_ag, first_name="Zoé", last_name="Quérubinovitch"
        )
        intervention = follow_up(
            intervenant_ss,
            site_ss,
            due_in=2,
            summary="Rappeler l’école pour le plan d’intervention de la rentrée, "
            "puis voir avec la famille si le transport scolaire convient",
        )
        for resident in (mine, elsewhere):
            Participation.objects.create(intervention=intervention, resident=resident)

        text = page_text(client_as(intervenant_ss).get(LIST_URL))

        assert "Aline Bélanger" in text
        # A surname no generated staff name holds (Faker's fr_CA gives "Tremblay" to staff too).
        assert "Quérubinovitch" not in text
        assert "1 personne d’un autre site" in text
        assert "le plan d’intervention de la rentrée, puis voir avec …" in text
        assert "transport scolaire" not in text

    def test_query_count_does_not_grow_with_the_people_named(
        self, client_as, intervenant_ss, site_ss, django_assert_max_num_queries
    ):
        for index in range(12):
            intervention = follow_up(intervenant_ss, site_ss, due_in=index - 6)
            for resident in ConsentedResidentFactory.create_batch(2, household__site=site_ss):
                Participation.objects.create(intervention=intervention, resident=resident)
        client = client_as(intervenant_ss)
        # as above, with the team meetings' actions (and their meetings' participants)
        with django_assert_max_num_queries(8):
            response = client.get(LIST_URL)
        assert sum(len(group.items) for group in response.context["groups"]) == 12


class TestUndoDone:
    def test_done_offers_to_undo_once_and_undo_reopens_it(self, client_as, intervenant_ss, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=-2)
        client = client_as(intervenant_ss)

        page = client.get(client.post(done_url(intervention))["Location"])

        assert page.context["just_done"]["pk"] == intervention.pk
        assert reopen_url(intervention) in page.content.decode()
        assert "Annuler" in page_text(page)
        assert client.get(LIST_URL).context["just_done"] is None  # offered once

        response = client.post(reopen_url(intervention))

        assert response.status_code == 302
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on is None
        assert [i.pk for i in client.get(LIST_URL).context["page_obj"]] == [intervention.pk]

    def test_someone_else_cannot_reopen_mine(self, client_as, intervenant_ss, colleague, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1, follow_up_done_on=TODAY())
        assert client_as(colleague).post(reopen_url(intervention)).status_code == 403
        intervention.refresh_from_db()
        assert intervention.follow_up_done_on == TODAY()

    def test_reopening_takes_a_post(self, client_as, intervenant_ss, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1, follow_up_done_on=TODAY())
        assert client_as(intervenant_ss).get(reopen_url(intervention)).status_code == 405


class TestPostpone:
    def test_a_new_date_is_kept_and_audited(self, client_as, intervenant_ss, site_ss):
        intervention = follow_up(intervenant_ss, site_ss, due_in=-3)
        new_day = TODAY() + timedelta(days=4)

        response = client_as(intervenant_ss).post(
            postpone_url(intervention), {"due": new_day.isoformat()}
        )

        assert response.status_code == 302
        assert response["Location"] == LIST_URL
        intervention.refresh_from_db()
        assert intervention.follow_up_due == new_day
        assert intervention.follow_up_done_on is None
        change = LogEntry.objects.get_for_object(intervention).latest("timestamp")
        assert change.actor == intervenant_ss
        assert "follow_up_due" in change.changes_dict
        assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]

    @pytest.mark.parametrize("due", ["", "pas une date", "past"])
    def test_no_date_or_a_past_one_is_refused(self, client_as, intervenant_ss, site_ss, due):
        intervention = follow_up(intervenant_ss, site_ss, due_in=-3)
        before = intervention.follow_up_due
        if due == "past":
            due = (TODAY() - timedelta(days=1)).isoformat()

        response = client_as(intervenant_ss).post(postpone_url(intervention), {"due": due})

        # Bad input: a 400, the page again, the date as typed beside its follow-up.
        assert response.status_code == 400
        intervention.refresh_from_db()
        assert intervention.follow_up_due == before
        assert response.context["refused"].pk == intervention.pk
        assert response.context["refused"].typed == due
        assert 'aria-invalid="true"' in response.content.decode()

    def test_the_past_date_message_is_in_french_beside_the_follow_up(
        self, client_as, intervenant_ss, site_ss
    ):
        intervention = follow_up(intervenant_ss, site_ss, due_in=-3)
        yesterday = (TODAY() - timedelta(days=1)).isoformat()
        response = client_as(intervenant_ss).post(postpone_url(intervention), {"due": yesterday})
        assert french("A follow-up cannot be put off to a day that has passed.") in page_text(
            response
        )
        assert f'value="{yesterday}"' in response.content.decode()

    @pytest.mark.parametrize(("persona", "status"), [("colleague", 403), ("intervenant_ag", 404)])
    def test_only_whoever_handles_it_puts_it_off(
        self, client_as, intervenant_ss, colleague, intervenant_ag, site_ss, persona, status
    ):
        intervention = follow_up(intervenant_ss, site_ss, due_in=1)
        before = intervention.follow_up_due
        user = colleague if persona == "colleague" else intervenant_ag
        later = (TODAY() + timedelta(days=9)).isoformat()
        assert client_as(user).post(postpone_url(intervention), {"due": later}).status_code == (
            status
        )
        intervention.refresh_from_db()
        assert intervention.follow_up_due == before


def test_postponing_and_undoing_run_a_fixed_number_of_queries(
    client_as, intervenant_ss, site_ss, django_assert_max_num_queries
):
    intervention = follow_up(intervenant_ss, site_ss, due_in=-1)
    client = client_as(intervenant_ss)
    later = (TODAY() + timedelta(days=3)).isoformat()
    # session, user, the intervention, its lock, the row the audit trail compares with, the
    # audit entry, the update, the session saved, and their savepoints
    with django_assert_max_num_queries(12):
        client.post(postpone_url(intervention), {"due": later})
    with django_assert_max_num_queries(12):
        client.post(done_url(intervention))
    with django_assert_max_num_queries(12):
        client.post(reopen_url(intervention))
