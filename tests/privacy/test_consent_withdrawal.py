"""Withdrawing a consent takes effect at once: no new named entry for that person, even of
an earlier day, and nothing more shared with the partner; earlier records stay as they were."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interventions.models import Intervention, Participation
from partners.models import Status
from partners.services import referral_set_status
from residents.models import Consent
from tests.factories import ConsentedResidentFactory, HouseholdFactory, ParticipationFactory
from tests.helpers import form_data, intervention_post
from tests.partners.factories import OrganisationFactory, ReferralFactory, ShareConsentFactory

CREATE_URL = reverse("interventions:intervention_create")


def today():
    return timezone.localdate()


@pytest.fixture
def resident(site_ss):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    Consent.objects.filter(resident=resident).update(given_on=today() - timedelta(days=90))
    return resident


def withdraw(client, consent):
    response = client.post(reverse("residents:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302


def test_after_the_withdrawal_nobody_can_name_the_person(client_as, intervenant_ss, resident):
    client = client_as(intervenant_ss)
    withdraw(client, resident.consents.get())
    response = client.post(
        CREATE_URL, intervention_post(resident.household.site, participants=[resident.pk])
    )
    assert response.status_code == 400
    assert "participants" in response.context["form"].errors
    assert not Participation.objects.exists()


def test_not_even_in_an_entry_dated_before_the_withdrawal(client_as, intervenant_ss, resident):
    client = client_as(intervenant_ss)
    withdraw(client, resident.consents.get())
    last_week = (today() - timedelta(days=7)).isoformat()
    data = intervention_post(resident.household.site, participants=[resident.pk], date=last_week)
    assert client.post(CREATE_URL, data).status_code == 400
    assert not Intervention.objects.exists()


def test_the_person_can_still_be_counted_without_a_name(client_as, intervenant_ss, resident):
    client = client_as(intervenant_ss)
    withdraw(client, resident.consents.get())
    data = intervention_post(resident.household.site, count_26_64="1")
    response = client.post(CREATE_URL, data)
    assert response.status_code == 302


def test_earlier_entries_that_named_the_person_still_save(client_as, intervenant_ss, resident):
    earlier = ParticipationFactory(
        resident=resident,
        intervention__site=resident.household.site,
        intervention__author=intervenant_ss,
    ).intervention
    client = client_as(intervenant_ss)
    withdraw(client, resident.consents.get())
    edit = client.get(reverse("interventions:intervention_update", args=[earlier.pk]))
    data = form_data(edit.context["form"])
    data["summary"] = "Résumé corrigé"
    response = client.post(reverse("interventions:intervention_update", args=[earlier.pk]), data)
    assert response.status_code == 302
    assert list(earlier.participations.values_list("resident", flat=True)) == [resident.pk]


def test_withdrawing_the_consent_to_share_stops_sending_at_once(coordination, resident):
    organisation = OrganisationFactory()
    consent = ShareConsentFactory(resident=resident, organisation=organisation)
    referral = ReferralFactory(resident=resident, organisation=organisation, consent=consent)
    consent.withdrawn_on = today()
    consent.save()
    with pytest.raises(ValidationError):
        referral_set_status(referral=referral, status=Status.SENT, by=coordination)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT
