"""Ma journée and the list of interventions: the day's totals, the hours of a filtered list,
and the names of the people an entry names, for a reader who may see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.models import Level, Participation
from tests.factories import ConsentedResidentFactory, InterventionFactory
from tests.helpers import page_text

TODAY = timezone.localdate
MY_DAY_URL = reverse("interventions:my_day")
LIST_URL = reverse("interventions:intervention_list")


def named(intervention, *residents):
    for resident in residents:
        Participation.objects.create(intervention=intervention, resident=resident)
    return intervention


@pytest.fixture
def two_people(site_ss, site_ag):
    mine = ConsentedResidentFactory(
        household__site=site_ss, first_name="Aline", last_name="Bélanger"
    )
    elsewhere = ConsentedResidentFactory(
        household__site=site_ag, first_name="Zoé", last_name="Tremblay"
    )
    return mine, elsewhere


class TestMyDayTotals:
    def test_entries_hours_and_people_of_today(self, client_as, intervenant_ss, site_ss):
        # 25 + 25 + 25 minutes: 1,3 h (75 minutes), not three times 0,4 h
        for _ in range(3):
            InterventionFactory(
                author=intervenant_ss, site=site_ss, duration_minutes=25, count_6_12=2
            )
        InterventionFactory(author=intervenant_ss, site=site_ss, date=TODAY() - timedelta(1))

        response = client_as(intervenant_ss).get(MY_DAY_URL)

        day = response.context["day"]
        assert (day.entries, day.hours) == (3, 1.3)
        assert day.people == sum(i.headcount for i in day.today)
        assert "3 entrées · 1,3 h" in page_text(response)

    def test_no_totals_on_an_empty_day(self, client_as, intervenant_ss):
        assert (
            'data-testid="day-totals"'
            not in client_as(intervenant_ss).get(MY_DAY_URL).content.decode()
        )

    def test_names_the_people_the_reader_may_see(
        self, client_as, intervenant_ss, site_ss, two_people
    ):
        named(InterventionFactory(author=intervenant_ss, site=site_ss), *two_people)

        text = page_text(client_as(intervenant_ss).get(MY_DAY_URL))

        assert "Aline Bélanger" in text
        assert "Tremblay" not in text
        assert "1 personne d’un autre site" in text
        assert "2 nommées" not in text

    def test_a_duration_reads_as_hours_and_minutes(self, client_as, intervenant_ss, site_ss):
        InterventionFactory(author=intervenant_ss, site=site_ss, duration_minutes=290)
        assert "4\xa0h\xa050" in client_as(intervenant_ss).get(MY_DAY_URL).content.decode()


class TestInterventionListSaysWho:
    def test_shows_the_total_hours_of_the_filtered_list(
        self, client_as, intervenant_ss, site_ss, django_assert_max_num_queries
    ):
        for minutes in (25, 25, 25):
            InterventionFactory(
                author=intervenant_ss, site=site_ss, level=Level.GROUP, duration_minutes=minutes
            )
        InterventionFactory(
            author=intervenant_ss, site=site_ss, level=Level.INDIVIDUAL, duration_minutes=600
        )

        response = client_as(intervenant_ss).get(LIST_URL, {"level": Level.GROUP})

        assert response.context["page"].hours == 1.3
        assert "3 interventions, 1,3 h en tout" in page_text(response)

    def test_names_the_people_the_reader_may_see(
        self, client_as, intervenant_ss, direction, site_ss, two_people
    ):
        named(InterventionFactory(author=intervenant_ss, site=site_ss), *two_people)

        mine = page_text(client_as(intervenant_ss).get(LIST_URL))
        every_site = page_text(client_as(direction).get(LIST_URL))

        assert "Aline Bélanger" in mine and "Tremblay" not in mine
        assert "Aline Bélanger" in every_site and "Zoé Tremblay" in every_site

    def test_query_count_does_not_grow_with_the_people_named(
        self, client_as, intervenant_ss, site_ss, django_assert_max_num_queries
    ):
        for _ in range(20):
            intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
            named(intervention, *ConsentedResidentFactory.create_batch(2, household__site=site_ss))
        client = client_as(intervenant_ss)
        with django_assert_max_num_queries(10):
            response = client.get(LIST_URL)
        assert len(response.context["page"].rows) == 20
        with django_assert_max_num_queries(12):
            client.get(MY_DAY_URL)
