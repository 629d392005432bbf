"""The list of sites with their counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from residents.models import Household
from tests.factories import ConsentedResidentFactory, HouseholdFactory


def test_sites_show_their_active_households_and_residents(client_as, direction, site_ss):
    for household in HouseholdFactory.create_batch(2, site=site_ss):
        ConsentedResidentFactory.create_batch(3, household=household)
    gone = HouseholdFactory(
        site=site_ss, status=Household.Status.MOVED_OUT, moved_out_on=timezone.localdate()
    )
    ConsentedResidentFactory(household=gone)
    sites = client_as(direction).get(reverse("residents:site_list")).context["sites"]
    (site,) = sites
    assert (site.household_count, site.resident_count) == (2, 6)


def test_an_intervenant_sees_only_their_sites(client_as, intervenant_ss, site_ss, site_ag):
    sites = client_as(intervenant_ss).get(reverse("residents:site_list")).context["sites"]
    assert [site.name for site in sites] == ["Saint-Sulpice"]


@pytest.mark.parametrize("households", [1, 40])
def test_query_count_does_not_grow_with_households(
    client_as, direction, site_ss, site_ag, households, django_assert_max_num_queries
):
    HouseholdFactory.create_batch(households, site=site_ss)
    client = client_as(direction)
    with django_assert_max_num_queries(4):
        client.get(reverse("residents:site_list"))


@pytest.mark.parametrize("sites", [1, 3])
def test_the_new_household_form_has_a_fixed_query_count(
    client_as, intervenant_ss, sites, django_assert_max_num_queries
):
    for index in range(sites):
        intervenant_ss.sites.add(HouseholdFactory(site__name=f"Site {index}").site)
    client = client_as(intervenant_ss)
    with django_assert_max_num_queries(6):
        client.get(reverse("residents:household_create"))


def test_the_new_household_form_preselects_the_only_site_of_an_intervenant(
    client_as, intervenant_ss, site_ss
):
    form = client_as(intervenant_ss).get(reverse("residents:household_create")).context["form"]
    assert form["site"].value() == site_ss.pk
