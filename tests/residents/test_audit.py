"""Every change to a household, a resident or a consent is kept: who, when, what."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation

from residents.models import Consent, Household, Resident
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.helpers import adult, household_post


def _entries(model, pk):
    return LogEntry.objects.get_for_objects(model.objects.filter(pk=pk))


def test_creating_a_household_with_members_records_who_created_what(
    client_as, intervenant_ss, site_ss
):
    client_as(intervenant_ss).post(
        reverse("residents:household_create"), household_post(site_ss, adult(0))
    )
    household = Household.objects.get()
    resident = household.members.get()
    consent = resident.consents.get()
    for model, pk in ((Household, household.pk), (Resident, resident.pk), (Consent, consent.pk)):
        entry = _entries(model, pk).get()
        assert entry.action == LogEntry.Action.CREATE
        assert entry.actor == intervenant_ss


def test_a_move_out_records_the_old_and_new_status(client_as, intervenant_ss, site_ss):
    household = HouseholdFactory(site=site_ss)
    client_as(intervenant_ss).post(
        reverse("residents:household_move_out", args=[household.pk]),
        {"moved_out_on": timezone.localdate().isoformat()},
    )
    entry = _entries(Household, household.pk).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == intervenant_ss
    assert entry.changes_dict["status"] == ["active", "moved_out"]


def test_the_direction_reads_the_history_on_the_household_page(
    client_as, intervenant_ss, direction, site_ss
):
    household = HouseholdFactory(site=site_ss)
    client_as(intervenant_ss).post(
        reverse("residents:household_move_out", args=[household.pk]),
        {"moved_out_on": timezone.localdate().isoformat()},
    )
    history = client_as(direction).get(household.get_absolute_url()).context["history"]
    moved = next(entry for entry in history if entry.changes and entry.actor)
    assert moved.actor == str(intervenant_ss)
    with translation.override("fr-ca"):  # the language the page was read in
        label = str(Household._meta.get_field("status").verbose_name)
        expected = (str(Household.Status.ACTIVE.label), str(Household.Status.MOVED_OUT.label))
    status = next(change for change in moved.changes if change.field == label)
    assert (status.old, status.new) == expected


def test_withdrawing_a_consent_is_in_the_residents_history(client_as, direction, site_ss):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    consent = resident.consents.get()
    client = client_as(direction)
    client.post(reverse("residents:consent_withdraw", args=[consent.pk]))
    history = client.get(resident.get_absolute_url()).context["history"]
    with translation.override("fr-ca"):  # the language the page was read in
        label = str(Consent._meta.get_field("withdrawn_on").verbose_name)
    assert any(change.field == label for entry in history for change in entry.changes)
