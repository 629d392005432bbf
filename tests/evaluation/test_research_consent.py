"""The research consent: a purpose of residents.Consent, obtained like the others (a parent's
under 14), named with no partner, shown on the resident's page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents.models import Consent
from tests.factories import ConsentedResidentFactory, ConsentFactory, HouseholdFactory
from tests.helpers import french, once, page_text
from tests.partners.factories import OrganisationFactory


@pytest.fixture
def resident(site_ss):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Yasmine")


def _post(client, resident, **values):
    return client.post(
        reverse("residents:consent_create", args=[resident.pk]),
        {
            "purpose": Consent.Purpose.RESEARCH,
            "given_by": Consent.GivenBy.PERSON,
            "given_on": timezone.localdate().isoformat(),
            **values,
            **once(),
        },
    )


def test_a_research_consent_is_recorded_and_shown_on_the_residents_page(
    client_as, intervenant_ss, resident
):
    client = client_as(intervenant_ss)
    response = _post(client, resident)
    assert response.status_code == 302
    consent = resident.consents.get(purpose=Consent.Purpose.RESEARCH)
    assert consent.obtained_by == intervenant_ss
    assert consent.expires_on is None
    page = client.get(reverse("residents:resident_detail", args=[resident.pk]))
    assert french("Take part in the evaluation research") in page_text(page)


def test_a_childs_research_consent_needs_a_parent(client_as, intervenant_ss, site_ss):
    child = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss), date_of_birth=date(2016, 1, 1)
    )
    response = _post(client_as(intervenant_ss), child)
    assert response.status_code == 400
    assert not child.consents.filter(purpose=Consent.Purpose.RESEARCH).exists()
    response = _post(
        client_as(intervenant_ss),
        child,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="Mère de l’enfant",
    )
    assert response.status_code == 302
    assert child.consents.filter(purpose=Consent.Purpose.RESEARCH).exists()


def test_a_research_consent_names_no_partner(resident):
    consent = ConsentFactory.build(
        resident=resident,
        purpose=Consent.Purpose.RESEARCH,
        partner=OrganisationFactory(),
        obtained_by=resident.consents.get().obtained_by,
    )
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "partner" in error.value.message_dict
