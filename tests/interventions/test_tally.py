"""A running tally: counted as people arrive, closed into one intervention whose duration
runs from its start to its close."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions import services
from interventions.models import Intervention, Level, Tally
from tests.factories import InterventionTypeFactory, PlaceFactory
from tests.helpers import SUMMARY_QUERIES, french, once, page_text


@pytest.fixture
def presence(db):
    return InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)


@pytest.fixture
def place(db):
    return PlaceFactory(name="Cour arrière")


@pytest.fixture
def tally(intervenant_ss, site_ss, presence, place):
    return services.tally_start(
        by=intervenant_ss, type=presence, place=place, site=site_ss, count_6_12=2
    )


def started_ago(tally: Tally, **delta) -> Tally:
    Tally.objects.filter(pk=tally.pk).update(started_at=timezone.now() - timedelta(**delta))
    tally.refresh_from_db()
    return tally


def count_url(tally):
    return reverse("interventions:tally_count", args=[tally.pk])


def close_url(tally):
    return reverse("interventions:tally_close", args=[tally.pk])


class TestStart:
    def test_the_quick_log_of_a_presence_offers_to_start_a_tally(
        self, client_as, intervenant_ss, presence
    ):
        page = page_text(
            client_as(intervenant_ss).get(reverse("interventions:quick_log"), {"type": presence.pk})
        )
        assert french("Start a tally: count people as they arrive") in page

    def test_the_quick_log_sent_to_the_tally_starts_it_with_whoever_is_there(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        # The quick log's whole form, sent by its "Start a tally" button.
        data = {
            "type": presence.pk,
            "place": place.pk,
            "site": site_ss.pk,
            "day": "today",
            "duration_minutes": "60",
            "count_13_17": "3",
            **once(),
        }
        response = client_as(intervenant_ss).post(reverse("interventions:tally_start"), data)
        tally = Tally.objects.get()
        assert response.status_code == 302
        assert response["Location"] == tally.get_absolute_url()
        assert (tally.author, tally.site, tally.type, tally.count_13_17) == (
            intervenant_ss,
            site_ss,
            presence,
            3,
        )
        assert not Intervention.objects.exists()

    def test_a_site_the_person_does_not_work_on_is_refused(
        self, client_as, intervenant_ss, site_ag, presence, place
    ):
        data = {"type": presence.pk, "place": place.pk, "site": site_ag.pk, **once()}
        response = client_as(intervenant_ss).post(reverse("interventions:tally_start"), data)
        assert response.status_code == 400
        assert not Tally.objects.exists()


class TestCounts:
    def test_a_count_sent_twice_counts_once(self, client_as, intervenant_ss, tally):
        client = client_as(intervenant_ss)
        for _ in range(2):
            response = client.post(count_url(tally), {"count_6_12": "5"})
            assert response.status_code == 302
        tally.refresh_from_db()
        assert (tally.count_6_12, tally.count_13_17) == (5, 0)

    def test_the_page_script_sends_every_count_and_reads_them_back(
        self, client_as, intervenant_ss, tally
    ):
        counts = {"count_0_5": "1", "count_6_12": "7", "count_26_64": "2"}
        response = client_as(intervenant_ss).post(
            count_url(tally), counts, headers={"accept": "application/json"}
        )
        assert response.status_code == 200
        assert response.json()["total"] == 10
        tally.refresh_from_db()
        assert (tally.count_0_5, tally.count_6_12, tally.count_26_64) == (1, 7, 2)

    def test_a_negative_count_is_refused_and_changes_nothing(
        self, client_as, intervenant_ss, tally
    ):
        response = client_as(intervenant_ss).post(
            count_url(tally), {"count_6_12": "-1"}, headers={"accept": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"]
        tally.refresh_from_db()
        assert tally.count_6_12 == 2

    def test_a_bad_count_sent_without_script_comes_back_with_its_reason(
        self, client_as, intervenant_ss, tally
    ):
        response = client_as(intervenant_ss).post(count_url(tally), {"count_6_12": "beaucoup"})
        assert response.status_code == 400
        assert french("A count is a whole number from 0 to %(most)s.") % {"most": 2000} in (
            page_text(response)
        )
        tally.refresh_from_db()
        assert tally.count_6_12 == 2

    def test_the_page_has_big_buttons_that_work_without_script(
        self, client_as, intervenant_ss, tally
    ):
        response = client_as(intervenant_ss).get(tally.get_absolute_url())
        body = response.content.decode()
        # Each button sends its group's next count: the page works without JavaScript.
        assert 'name="count_6_12" value="3"' in body
        assert 'name="count_6_12" value="1"' in body
        assert "tally-button" in body

    def test_my_day_lists_the_open_tallies(self, client_as, intervenant_ss, tally):
        page = page_text(client_as(intervenant_ss).get(reverse("interventions:my_day")))
        assert french("Being counted") in page
        assert "Présence informelle" in page

    def test_nobody_else_sees_it_on_their_day(self, client_as, direction, tally):
        page = page_text(client_as(direction).get(reverse("interventions:my_day")))
        assert french("Being counted") not in page


class TestClose:
    def test_closing_logs_one_intervention_from_the_start_to_now(
        self, client_as, intervenant_ss, tally
    ):
        started_ago(tally, hours=1)
        start = timezone.localtime(tally.started_at)
        response = client_as(intervenant_ss).post(close_url(tally), once())
        assert response.status_code == 302
        logged = Intervention.objects.get()
        assert logged.duration_minutes in (60, 61)
        assert logged.date == start.date()
        assert logged.start_time == start.time().replace(second=0, microsecond=0)
        assert (logged.count_6_12, logged.author, logged.level) == (
            2,
            intervenant_ss,
            Level.COLLECTIVE,
        )
        tally.refresh_from_db()
        assert tally.logged_as == logged

    def test_a_second_close_logs_nothing_more(self, client_as, intervenant_ss, tally):
        client = client_as(intervenant_ss)
        data = once()
        client.post(close_url(tally), data)
        client.post(close_url(tally), data)
        client.post(close_url(tally), once())
        assert Intervention.objects.count() == 1

    def test_an_end_time_given_counts_from_the_start(self, intervenant_ss, tally):
        start = timezone.localtime(tally.started_at)
        Tally.objects.filter(pk=tally.pk).update(
            started_at=start.replace(hour=18, minute=0, second=0) - timedelta(days=1)
        )
        tally.refresh_from_db()
        logged = services.tally_close(tally=tally, by=intervenant_ss, end_time=time(20, 30))
        assert logged.duration_minutes == 150

    def test_a_tally_closed_after_midnight_ends_the_next_day(self, intervenant_ss, tally):
        evening = datetime.combine(
            timezone.localdate() - timedelta(days=1), time(22, 0), timezone.get_current_timezone()
        )
        Tally.objects.filter(pk=tally.pk).update(started_at=evening)
        tally.refresh_from_db()
        logged = services.tally_close(tally=tally, by=intervenant_ss, end_time=time(0, 30))
        assert logged.duration_minutes == 150
        assert logged.date == evening.date()

    def test_more_than_twelve_hours_is_refused_with_its_reason(
        self, client_as, intervenant_ss, tally
    ):
        started_ago(tally, hours=13)
        response = client_as(intervenant_ss).post(close_url(tally), once())
        assert response.status_code == 400
        assert french(
            "A tally lasts at most 12 hours: log this presence with the full form."
        ) in page_text(response)
        assert not Intervention.objects.exists()

    def test_a_presence_with_nobody_counted_is_not_logged(self, client_as, intervenant_ss, tally):
        Tally.objects.filter(pk=tally.pk).update(count_6_12=0)
        response = client_as(intervenant_ss).post(close_url(tally), once())
        assert response.status_code == 400
        assert not Intervention.objects.exists()
        assert Tally.objects.open().exists()

    def test_a_closed_tally_leads_to_its_intervention(self, client_as, intervenant_ss, tally):
        logged = services.tally_close(tally=tally, by=intervenant_ss)
        client = client_as(intervenant_ss)
        response = client.get(tally.get_absolute_url())
        assert response["Location"] == logged.get_absolute_url()
        client.post(count_url(tally), {"count_6_12": "9"})
        logged.refresh_from_db()
        assert logged.count_6_12 == 2


class TestDiscard:
    def test_discarding_logs_nothing(self, client_as, intervenant_ss, tally):
        response = client_as(intervenant_ss).post(
            reverse("interventions:tally_discard", args=[tally.pk])
        )
        assert response.status_code == 302
        assert not Tally.objects.exists()
        assert not Intervention.objects.exists()

    def test_a_closed_tally_cannot_be_discarded(self, client_as, intervenant_ss, tally):
        services.tally_close(tally=tally, by=intervenant_ss)
        client_as(intervenant_ss).post(reverse("interventions:tally_discard", args=[tally.pk]))
        assert Tally.objects.filter(pk=tally.pk).exists()
        assert Intervention.objects.count() == 1


def test_a_tap_and_the_page_cost_a_few_queries(
    client_as, intervenant_ss, tally, django_assert_max_num_queries
):
    client = client_as(intervenant_ss)
    with django_assert_max_num_queries(8):
        client.post(count_url(tally), {"count_6_12": "3"}, headers={"accept": "application/json"})
    with django_assert_max_num_queries(9):
        client.get(tally.get_absolute_url())


def test_closing_costs_a_fixed_number_of_queries(
    client_as, intervenant_ss, tally, django_assert_max_num_queries
):
    started_ago(tally, minutes=30)
    client = client_as(intervenant_ss)
    client.get(tally.get_absolute_url())  # the session and the content types, warmed
    # session and user, the tally (read, then locked), the checks and insert of the
    # intervention with its audit entry, the link back, the one-time token; its month's
    # figures computed again
    with django_assert_max_num_queries(19 + SUMMARY_QUERIES):
        response = client.post(close_url(tally), once())
    assert response.status_code == 302
