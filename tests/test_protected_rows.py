"""Nothing deleted by a tick box: no form deletes a resident, the evidence of their consent or
the participations that past figures count; a form asked to delete a row that other records
still point to says why next to it, in French, instead of answering 500; and no model's text
names a resident, since it can reach an error message or a log."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from ema.forms import KeepReferencedRowsFormSet
from interventions.models import Level, MonthlyAttendance, MonthlyPresence, Participation
from partners.models import CommitteeMembership, Referral, Service
from residents.models import Consent, Household, Resident
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
)
from tests.helpers import form_modules, french
from tests.partners.factories import (
    OrganisationFactory,
    ReferralFactory,
    ServiceFactory,
    ShareConsentFactory,
    TenantCommitteeFactory,
)
from tests.security.pages import read_page

MARKERS = ("Zéphirine", "Tremblay-Quintal", "Ophélie")


def test_no_formset_offers_to_delete_a_row_without_checking_what_points_to_it():
    unchecked = [
        f"{module.__name__}.{name}"
        for module in form_modules()
        for name, value in vars(module).items()
        if isinstance(value, type)
        and hasattr(value, "can_delete")
        and value.can_delete
        and not issubclass(value, KeepReferencedRowsFormSet)
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    "model, field",
    [
        (Consent, "resident"),
        (Participation, "resident"),
        (CommitteeMembership, "resident"),
        (Referral, "resident"),
        (Referral, "household"),
        (Resident, "household"),
    ],
)
def test_what_names_a_resident_protects_them_from_deletion(model, field):
    assert model._meta.get_field(field).remote_field.on_delete is models.PROTECT


def test_a_resident_with_a_consent_cannot_be_deleted(site_ss):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    with pytest.raises(ProtectedError):
        resident.delete()
    assert Consent.objects.filter(resident=resident).exists()


def test_a_member_named_in_a_referral_leaves_without_any_error(client_as, intervenant_ss, site_ss):
    """The household form once deleted such a member and answered 500, losing the changes."""
    household = HouseholdFactory(site=site_ss, label="Gagnon")
    staying = ConsentedResidentFactory(household=household, first_name="Paul")
    leaving = ConsentedResidentFactory(household=household, first_name="Lucie")
    ReferralFactory(resident=leaving)
    url = reverse("residents:household_update", args=[household.pk])
    page = client_as(intervenant_ss).get(url)
    assert "DELETE" not in page.content.decode()
    form = read_page(page, url).form_to("residents:household_update")
    left = next(
        name for name, value in form.fields if name.endswith("-id") and value == str(leaving.pk)
    ).replace("-id", "-left_on")
    response = client_as(intervenant_ss).post(
        url, form.data({left: "2026-11-30", "languages": "français, créole"})
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.languages == "français, créole"
    leaving.refresh_from_db()
    assert str(leaving.left_on) == "2026-11-30"
    assert Resident.objects.filter(pk__in=[staying.pk, leaving.pk]).count() == 2


def test_deleting_a_service_named_by_a_referral_is_refused_next_to_it(
    client_as, coordination, site_ss
):
    organisation = OrganisationFactory(name="Maison de la famille")
    service = ServiceFactory(organisation=organisation, name="Halte-garderie")
    ReferralFactory(
        resident=ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)),
        organisation=organisation,
        service=service,
    )
    url = reverse("partners:organisation_update", args=[organisation.pk])
    page = client_as(coordination).get(url)
    form = read_page(page, url).form_to("partners:organisation_update")
    response = client_as(coordination).post(url, form.data({"services-0-DELETE": "on"}))

    assert response.status_code == 400
    message = french("“%(row)s” is named by %(count)s other record: it cannot be deleted.") % {
        "row": service,
        "count": 1,
    }
    sections = {formset.prefix: formset for _, formset in response.context["sections"]}
    assert message in sections["services"].non_form_errors()
    assert message in sections["services"].forms[0].non_field_errors()
    assert Service.objects.filter(pk=service.pk).exists()


def test_a_service_nobody_names_is_deleted(client_as, coordination):
    organisation = OrganisationFactory(name="Maison de la famille")
    ServiceFactory(organisation=organisation, name="Halte-garderie")
    url = reverse("partners:organisation_update", args=[organisation.pk])
    page = client_as(coordination).get(url)
    form = read_page(page, url).form_to("partners:organisation_update")
    response = client_as(coordination).post(url, form.data({"services-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not organisation.services.exists()


def _marked(site):
    household = HouseholdFactory(site=site, label=MARKERS[1], unit="12, app. 3")
    resident = ConsentedResidentFactory(
        household=household, first_name=MARKERS[0], last_name=MARKERS[1]
    )
    committee = TenantCommitteeFactory(committee_site=site)
    intervention = InterventionFactory(site=site, level=Level.GROUP)
    activity = GroupActivityFactory(site=site)
    return {
        Household: household,
        Resident: resident,
        Consent: resident.consents.get(),
        Participation: ParticipationFactory(intervention=intervention, resident=resident),
        CommitteeMembership: CommitteeMembership.objects.create(
            committee=committee, resident=resident, since="2025-01-01"
        ),
        Referral: ReferralFactory(resident=resident),
        type(activity): activity,
        # The month's presences, written when the participation was (interventions.summaries).
        MonthlyPresence: MonthlyPresence.objects.get(resident=resident),
        # Her attendance of the group intervention, written with it as well.
        MonthlyAttendance: MonthlyAttendance.objects.get(resident=resident),
    }


def _reaches_a_resident(model) -> bool:
    if model in (Resident, Household):
        return True
    return any(
        field.is_relation
        and field.related_model in (Resident, Household, Consent)
        and (field.many_to_one or field.one_to_one)
        for field in model._meta.concrete_fields
    )


def test_no_representation_of_a_record_names_a_resident(site_ss):
    rows = _marked(site_ss)
    rows[Consent] = ShareConsentFactory(resident=rows[Resident], guardian_name=MARKERS[2])
    reaching = {
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in {"residents", "interventions", "partners"}
        and _reaches_a_resident(model)
    }
    assert reaching - set(rows) == set(), "Add a row of these models to _marked"
    for model, row in rows.items():
        text = f"{row} {row!r}"
        assert not [marker for marker in MARKERS if marker in text], model
