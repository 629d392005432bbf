"""The type-ahead's searches: a few names, of the user's own sites, found without regard to
accents or case, for a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from residents.selectors import LOOKUP_LIMIT
from tests.factories import HouseholdFactory, ResidentFactory

RESIDENTS = reverse("residents:resident_lookup")
HOUSEHOLDS = reverse("residents:household_lookup")


def rows(response) -> list[dict]:
    assert response.status_code == 200
    return response.json()["results"]


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def etienne(site_ss):
    household = HouseholdFactory(site=site_ss, label="Bélanger", unit="1250, app. 4")
    return ResidentFactory(household=household, first_name="Étienne", last_name="Bélanger")


def test_a_name_typed_without_accent_finds_the_person_with_their_household(
    client_as, intervenant_ss, etienne
):
    found = names(client_as(intervenant_ss).post(RESIDENTS, {"q": "etienne bel"}))
    assert found == ["Étienne Bélanger — Bélanger, 1250, app. 4"]
    rows = client_as(intervenant_ss).post(RESIDENTS, {"q": "ETIENNE"}).json()["results"]
    assert rows[0]["value"] == etienne.pk


def test_people_of_another_site_are_never_offered(client_as, intervenant_ag, etienne):
    client = client_as(intervenant_ag)
    assert names(client.post(RESIDENTS, {"q": "etienne"})) == []
    assert names(client.post(HOUSEHOLDS, {"q": "belanger"})) == []


def test_coordination_finds_them_on_every_site(client_as, coordination, etienne):
    assert names(client_as(coordination).post(HOUSEHOLDS, {"q": "étienne"})) == [
        etienne.household.name_and_unit
    ]


def test_someone_who_left_the_household_is_not_offered(client_as, intervenant_ss, etienne):
    etienne.left_on = date(2026, 1, 1)
    etienne.save()
    assert names(client_as(intervenant_ss).post(RESIDENTS, {"q": "etienne"})) == []


def test_one_letter_offers_nobody_and_many_matches_offer_a_handful(
    client_as, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Tremblay")
    for number in range(LOOKUP_LIMIT + 5):
        ResidentFactory(household=household, first_name=f"Alex{number}")
    client = client_as(intervenant_ss)
    assert names(client.post(RESIDENTS, {"q": "t"})) == []
    assert len(names(client.post(RESIDENTS, {"q": "tremblay"}))) == LOOKUP_LIMIT


def test_the_answer_is_never_cached_and_a_get_is_refused(client_as, intervenant_ss, etienne):
    client = client_as(intervenant_ss)
    assert client.post(RESIDENTS, {"q": "etienne"})["Cache-Control"] == "no-store"
    # A name typed never travels in an address.
    assert client.get(RESIDENTS, {"q": "etienne"}).status_code == 405


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("url", [RESIDENTS, HOUSEHOLDS])
def test_a_search_costs_the_same_few_queries_whatever_the_data_size(
    client_as, intervenant_ss, site_ss, count, url, django_assert_max_num_queries
):
    for _ in range(count):
        ResidentFactory(household=HouseholdFactory(site=site_ss, label="Gagnon"))
    client = client_as(intervenant_ss)
    # session and user, the user's sites (a subquery), the matches with their households
    with django_assert_max_num_queries(3):
        response = client.post(url, {"q": "gagnon"})
    assert len(response.json()["results"]) == min(count, LOOKUP_LIMIT)


def test_within_a_household_its_current_members_are_listed_before_any_letter(
    client_as, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Côté")
    etienne = ResidentFactory(household=household, first_name="Étienne")
    ResidentFactory(household=household, first_name="Amina", left_on="2024-01-01")
    ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    client = client_as(intervenant_ss)
    listed = rows(client.post(RESIDENTS, {"q": "", "within": household.pk}))
    assert [row["value"] for row in listed] == [etienne.pk]
    typed = rows(client.post(RESIDENTS, {"q": "etienne", "within": household.pk}))
    assert [row["value"] for row in typed] == [etienne.pk]


@pytest.mark.parametrize("within", ["abc", "other site"])
def test_within_a_household_of_another_site_nobody_is_answered(
    client_as, intervenant_ss, site_ag, within
):
    household = HouseholdFactory(site=site_ag)
    ResidentFactory(household=household, first_name="Étienne")
    value = household.pk if within == "other site" else within
    response = client_as(intervenant_ss).post(RESIDENTS, {"q": "", "within": value})
    assert rows(response) == []
