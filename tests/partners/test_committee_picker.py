"""The committee membership form names its member by typing: the search answers the tenants
of the committee's site only, as the form accepts."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, ResidentFactory, bulk_households, bulk_residents
from tests.partners.factories import OrganisationFactory, TenantCommitteeFactory


def lookup_url(committee):
    return reverse("partners:committee_member_lookup", args=[committee.pk])


def names(response) -> list[str]:
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return [row["text"] for row in response.json()["results"]]


def test_the_form_lists_no_resident_and_searches_by_the_committees_address(
    client_as, coordination, site_ss
):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    resident = ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    response = client_as(coordination).get(
        reverse("partners:membership_create", args=[committee.pk])
    )
    page = response.content.decode()
    assert resident.full_name not in page
    assert f'data-picker="{lookup_url(committee)}"' in page


def test_the_search_answers_tenants_of_the_committees_site_without_regard_to_accents(
    client_as, coordination, site_ss, site_ag
):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    ours = ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    ResidentFactory(household=HouseholdFactory(site=site_ag), first_name="Étienne")
    response = client_as(coordination).post(lookup_url(committee), {"q": "etienne"})
    assert names(response) == [ours.name_and_home]


def test_someone_who_left_is_not_offered(client_as, coordination, site_ss):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    ResidentFactory(
        household=HouseholdFactory(site=site_ss), first_name="Étienne", left_on="2024-01-01"
    )
    assert names(client_as(coordination).post(lookup_url(committee), {"q": "etienne"})) == []


def test_one_letter_answers_nothing(client_as, coordination, site_ss):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    ResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Étienne")
    assert names(client_as(coordination).post(lookup_url(committee), {"q": "e"})) == []


def test_an_intervenant_may_not_search(client_as, intervenant_ss, site_ss):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    response = client_as(intervenant_ss).post(lookup_url(committee), {"q": "etienne"})
    assert response.status_code == 403


def test_only_a_tenant_committee_has_candidates(client_as, coordination):
    response = client_as(coordination).post(lookup_url(OrganisationFactory()), {"q": "et"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_search_costs_the_same_whatever_the_data(
    client_as, coordination, site_ss, django_assert_max_num_queries
):
    committee = TenantCommitteeFactory(committee_site=site_ss)
    bulk_residents(1000, households=bulk_households(400, site=site_ss))
    client = client_as(coordination)
    client.post(lookup_url(committee), {"q": "famille"})
    with django_assert_max_num_queries(4):
        response = client.post(lookup_url(committee), {"q": "etienne famille"})
    assert 0 < len(names(response)) <= 20
