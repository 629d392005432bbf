"""The resident page and the consents recorded on it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from residents.models import Consent
from tests.factories import ConsentedResidentFactory, HouseholdFactory, ParticipationFactory
from tests.helpers import once
from tests.partners.factories import OrganisationFactory


@pytest.fixture
def resident(site_ss):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Yasmine")


def test_the_resident_page_shows_the_person_and_their_consents(client_as, intervenant_ss, resident):
    response = client_as(intervenant_ss).get(resident.get_absolute_url())
    assert response.status_code == 200
    assert "Yasmine" in response.content.decode()
    assert len(response.context["consents"]) == 1


def test_an_intervenant_of_another_site_gets_404(client_as, intervenant_ag, resident):
    assert client_as(intervenant_ag).get(resident.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("extra_consents", [0, 6])
def test_query_count_does_not_grow_with_consents(
    client_as, direction, resident, extra_consents, django_assert_max_num_queries
):
    for index in range(extra_consents):
        Consent.objects.create(
            resident=resident,
            purpose=Consent.Purpose.SHARE,
            partner=OrganisationFactory(name=f"Partenaire {index}"),
            given_on=date(2025, 1, 1),
            obtained_by=direction,
        )
    for _ in range(extra_consents):
        ParticipationFactory(resident=resident, intervention__site=resident.household.site)
    client = client_as(direction)
    # the resident's page (its history names the residents, partners and staff its changes
    # point to, one query each), its line in the read log, whether it is kept at hand, and
    # the case discussions of team meetings (and who attended), its path to power (three
    # queries: attendance, seats, recorded roles)
    with django_assert_max_num_queries(22):
        client.get(resident.get_absolute_url())


def test_records_a_consent_to_share_with_a_partner_of_the_directory(
    client_as, intervenant_ss, resident
):
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    response = client_as(intervenant_ss).post(
        reverse("residents:consent_create", args=[resident.pk]),
        {
            "purpose": Consent.Purpose.SHARE,
            "partner": clsc.pk,
            "given_by": Consent.GivenBy.PERSON,
            "given_on": timezone.localdate().isoformat(),
            **once(),
        },
    )
    assert response.status_code == 302
    consent = resident.consents.get(purpose=Consent.Purpose.SHARE)
    assert consent.partner == clsc
    assert consent.obtained_by == intervenant_ss


def test_the_consent_form_offers_the_active_partners_of_the_directory(
    client_as, intervenant_ss, resident
):
    active = OrganisationFactory(name="CLSC d'Ahuntsic")
    closed = OrganisationFactory(name="Ancien partenaire", is_active=False)
    response = client_as(intervenant_ss).get(
        reverse("residents:consent_create", args=[resident.pk])
    )
    partners = list(response.context["form"].fields["partner"].queryset)
    assert active in partners
    assert closed not in partners


def test_a_consent_to_share_without_a_partner_keeps_what_was_typed(
    client_as, intervenant_ss, resident
):
    response = client_as(intervenant_ss).post(
        reverse("residents:consent_create", args=[resident.pk]),
        {
            "purpose": Consent.Purpose.SHARE,
            "given_by": Consent.GivenBy.PERSON,
            "given_on": "2025-02-03",
            **once(),
        },
    )
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert response.context["form"]["given_on"].value() == "2025-02-03"
    assert resident.consents.count() == 1


def test_withdrawing_a_consent_takes_effect_today(client_as, intervenant_ss, resident):
    consent = resident.consents.get()
    response = client_as(intervenant_ss).post(
        reverse("residents:consent_withdraw", args=[consent.pk])
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert not consent.is_in_force
