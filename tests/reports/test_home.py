"""The home page: each role lands on its own work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ConsentedResidentFactory, InterventionFactory, bulk_interventions
from tests.helpers import page_text
from tests.partners.factories import ReferralFactory

HOME_URL = reverse("home")
TODAY = timezone.localdate


@pytest.mark.parametrize("persona", ["intervenant_ss", "admin_user"])
def test_intervenants_and_administrators_land_on_my_day(client_as, persona, request):
    response = client_as(request.getfixturevalue(persona)).get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("interventions:my_day")


class TestCoordination:
    def test_lands_on_the_referrals_to_act_on_and_its_follow_ups(
        self, client_as, coordination, site_ss
    ):
        draft = ReferralFactory(
            resident=ConsentedResidentFactory(household__site=site_ss), responsible=coordination
        )
        InterventionFactory(
            site=site_ss,
            author=coordination,
            follow_up_by=coordination,
            follow_up_due=TODAY() - timedelta(days=1),
            summary="Rappeler le CLSC",
        )

        response = client_as(coordination).get(HOME_URL)

        assert response.status_code == 200
        assert [r.pk for r in response.context["to_act_on"]] == [draft.pk]
        text = page_text(response)
        assert "Références à traiter" in text
        assert "Rappeler le CLSC" in text
        assert "En retard" in text

    def test_query_count_does_not_grow(
        self, client_as, coordination, site_ss, django_assert_max_num_queries
    ):
        for _ in range(15):
            ReferralFactory(resident=ConsentedResidentFactory(household__site=site_ss))
            InterventionFactory(
                site=site_ss,
                author=coordination,
                follow_up_by=coordination,
                follow_up_due=TODAY(),
            )
        client = client_as(coordination)
        with django_assert_max_num_queries(10):
            response = client.get(HOME_URL)
        assert len(response.context["to_act_on"]) == 10
        assert response.context["more_follow_ups"]


class TestDirection:
    def test_lands_on_the_month_with_a_link_to_the_dashboard(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        for _ in range(3):
            InterventionFactory(author=intervenant_ss, site=site_ss, duration_minutes=60)
        ReferralFactory(resident=ConsentedResidentFactory(household__site=site_ss))

        response = client_as(direction).get(HOME_URL)

        assert response.status_code == 200
        summary = response.context["summary"]
        assert (summary.interventions, summary.referrals_open) == (3, 1)
        assert summary.hours == 3.0
        assert reverse("dashboard") in response.content.decode()
        assert "Ce mois-ci" in page_text(response)

    @pytest.mark.parametrize("count", [10, 200])
    def test_query_count_does_not_grow(
        self, client_as, direction, intervenant_ss, site_ss, count, django_assert_max_num_queries
    ):
        bulk_interventions(count, author=intervenant_ss, site=site_ss)
        client = client_as(direction)
        with django_assert_max_num_queries(10):
            assert client.get(HOME_URL).status_code == 200
