"""The type-ahead searches of residents and households: by POST, folded, of the user's own
sites only, never kept by a cache, and as cheap with EMA's data as with none."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, ResidentFactory, bulk_households, bulk_residents

RESIDENTS_URL = reverse("residents:resident_lookup")
HOUSEHOLDS_URL = reverse("residents:household_lookup")


def answers(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()["results"]


def test_a_resident_is_found_without_accent_or_capital(client_as, intervenant_ss, site_ss):
    resident = ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    response = client_as(intervenant_ss).post(RESIDENTS_URL, {"q": "etienne"})
    assert answers(response) == [{"value": resident.pk, "text": resident.name_and_home}]


def test_a_household_is_found_by_its_name(client_as, intervenant_ss, site_ss):
    household = HouseholdFactory(site=site_ss, label="Bélanger")
    response = client_as(intervenant_ss).post(HOUSEHOLDS_URL, {"q": "belanger"})
    assert answers(response) == [{"value": household.pk, "text": household.name_and_unit}]


@pytest.mark.parametrize("url", [RESIDENTS_URL, HOUSEHOLDS_URL])
def test_nobody_of_another_site_is_answered(client_as, intervenant_ss, site_ag, url):
    ResidentFactory(
        household=HouseholdFactory(site=site_ag, label="Bélanger"), first_name="Étienne"
    )
    response = client_as(intervenant_ss).post(url, {"q": "belanger"})
    assert answers(response) == []


@pytest.mark.parametrize("url", [RESIDENTS_URL, HOUSEHOLDS_URL])
def test_a_get_is_refused(client_as, intervenant_ss, url):
    assert client_as(intervenant_ss).get(url, {"q": "belanger"}).status_code == 405


@pytest.mark.parametrize("url", [RESIDENTS_URL, HOUSEHOLDS_URL])
def test_the_search_costs_the_same_whatever_the_data(
    client_as, coordination, site_ss, url, django_assert_max_num_queries
):
    bulk_residents(1000, households=bulk_households(400, site=site_ss))
    client = client_as(coordination)
    client.post(url, {"q": "famille"})
    with django_assert_max_num_queries(4):
        response = client.post(url, {"q": "famille 1"})
    assert 0 < len(answers(response)) <= 20


def test_within_a_household_its_current_members_are_listed_before_any_letter(
    client_as, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Côté")
    etienne = ResidentFactory(household=household, first_name="Étienne")
    ResidentFactory(household=household, first_name="Amina", left_on="2024-01-01")
    ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    client = client_as(intervenant_ss)
    listed = answers(client.post(RESIDENTS_URL, {"q": "", "within": household.pk}))
    assert [row["value"] for row in listed] == [etienne.pk]
    typed = answers(client.post(RESIDENTS_URL, {"q": "etienne", "within": household.pk}))
    assert [row["value"] for row in typed] == [etienne.pk]


@pytest.mark.parametrize("within", ["abc", "other site"])
def test_within_a_household_of_another_site_nobody_is_answered(
    client_as, intervenant_ss, site_ag, within
):
    household = HouseholdFactory(site=site_ag)
    ResidentFactory(household=household, first_name="Étienne")
    value = household.pk if within == "other site" else within
    response = client_as(intervenant_ss).post(RESIDENTS_URL, {"q": "", "within": value})
    assert answers(response) == []
