"""Retention (Law 25): which files are due, what anonymising clears and keeps, the command, the
direction's page, and the figures that stay the same before and after."""

import io
import json
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from interventions.models import Intervention, Participation
from partners.models import CommitteeMembership, Organisation, Referral, ReferralEvent
from privacy.retention import (
    ANONYMISED_LABEL,
    ANONYMISED_NAME,
    anonymise_household,
    households_due_for_retention,
    retention_cutoff,
)
from residents.models import AgeGroup, Consent, Household, Resident
from tests.factories import (
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
    ResidentFactory,
    UserFactory,
)
from tests.privacy.families import (
    LONG_AGO,
    RECENTLY,
    TODAY,
    at_ten,
    family,
    household_on,
    member_since,
    referral_on,
)

# What the family's file says: none of it may remain anywhere once it is anonymised.
SECRETS = [
    "Zwarthoed",
    "Ginette",
    "Jean-Philippe",
    "Zébulon",
    "Gaspésie",
    "514 555-0199",
    "Saint-Isaac-Jogues",
    "1250, app. 4",
    "créole",
    "1975-02-03",
    "dort chez sa tante",
    "logement insalubre",
    "violence à la maison",
    "a rappelé la travailleuse sociale",
]


def _everything_stored() -> str:
    """Every text of the audit history and of the records that anonymising touches."""
    texts = []
    for entry in LogEntry.objects.all():
        texts += [
            entry.object_repr,
            entry.changes_text,
            json.dumps(entry.changes, ensure_ascii=False),
            json.dumps(entry.serialized_data, ensure_ascii=False),
            json.dumps(entry.additional_data, ensure_ascii=False),
        ]
    texts += [f"{h.label} {h.unit} {h.languages}" for h in Household.objects.all()]
    for r in Resident.objects.all():
        texts.append(f"{r.first_name} {r.last_name} {r.date_of_birth} {r.phone} {r.school}")
        texts.append(r.languages)
    texts += [c.guardian_name for c in Consent.objects.all()]
    texts += [f"{i.summary} {i.decisions} {i.restricted_note}" for i in Intervention.objects.all()]
    for referral in Referral.objects.all():
        texts.append(
            f"{referral.reason} {referral.information_shared} {referral.exception_justification}"
        )
    texts += [event.note for event in ReferralEvent.objects.all()]
    return "\n".join(texts)


@pytest.fixture
def author(site_ss):
    return UserFactory(username="zoe.intervenante", sites=[site_ss])


# What is due, and what is not.


def test_a_household_that_moved_out_long_ago_is_due(site_ss, author):
    household = family(site_ss, author)
    due = households_due_for_retention(today=TODAY).get()
    assert due == household
    assert due.member_count == 2
    assert due.last_activity == LONG_AGO


def test_a_household_with_recent_activity_is_not_due(site_ss, author):
    HouseholdFactory(site=site_ss)  # created today
    household = household_on(site_ss, moved_out=False)
    member_since(household)
    resident = household.members.get()
    ParticipationFactory(resident=resident, intervention__site=site_ss, intervention__date=RECENTLY)
    assert not households_due_for_retention(today=TODAY).exists()


def test_an_active_household_is_due_after_the_whole_period_without_activity(site_ss, author):
    household = family(site_ss, author, moved_out=False)
    assert households_due_for_retention(today=TODAY).get() == household


def test_an_old_intervention_does_not_keep_a_file_but_a_recent_one_does(site_ss):
    household = household_on(site_ss)
    resident = member_since(household)
    ParticipationFactory(resident=resident, intervention__site=site_ss, intervention__date=LONG_AGO)
    assert households_due_for_retention(today=TODAY).exists()
    ParticipationFactory(resident=resident, intervention__site=site_ss, intervention__date=RECENTLY)
    assert not households_due_for_retention(today=TODAY).exists()


def test_a_recent_referral_keeps_the_file(site_ss, author):
    household = household_on(site_ss)
    resident = member_since(household)
    referral = referral_on(household, resident, author, LONG_AGO)
    assert households_due_for_retention(today=TODAY).exists()
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=at_ten(RECENTLY))
    assert not households_due_for_retention(today=TODAY).exists()


def test_a_recently_withdrawn_consent_keeps_the_file(site_ss):
    household = household_on(site_ss)
    resident = member_since(household)
    assert households_due_for_retention(today=TODAY).exists()
    resident.consents.update(withdrawn_on=RECENTLY)
    assert not households_due_for_retention(today=TODAY).exists()


def test_a_seat_on_a_tenant_committee_keeps_the_file_until_it_ends(site_ss):
    household = household_on(site_ss)
    resident = member_since(household)
    committee = Organisation.objects.create(
        name="Comité", kind=Organisation.Kind.TENANT_COMMITTEE, committee_site=site_ss
    )
    membership = CommitteeMembership.objects.create(
        committee=committee, resident=resident, since=LONG_AGO - timedelta(days=400)
    )
    assert not households_due_for_retention(today=TODAY).exists()
    CommitteeMembership.objects.filter(pk=membership.pk).update(until=LONG_AGO)
    assert households_due_for_retention(today=TODAY).exists()


def test_the_period_counts_whole_months_from_the_setting(site_ss, settings):
    settings.RETENTION_MONTHS = 12
    assert retention_cutoff(date(2026, 3, 31)) == date(2025, 3, 31)
    assert retention_cutoff(date(2024, 2, 29)) == date(2023, 2, 28)
    household = household_on(site_ss, day=date(2025, 3, 31))
    assert not households_due_for_retention(today=date(2026, 3, 31)).exists()
    assert households_due_for_retention(today=date(2026, 4, 1)).get() == household


@pytest.mark.parametrize("size", [2, 12])
def test_finding_the_files_due_takes_one_query_whatever_their_number(
    site_ss, author, size, django_assert_num_queries
):
    for _index in range(size):
        household = household_on(site_ss)
        resident = member_since(household)
        ParticipationFactory(
            resident=resident, intervention__site=site_ss, intervention__date=LONG_AGO
        )
        referral_on(household, resident, author, LONG_AGO)
    with django_assert_num_queries(1):
        due = list(households_due_for_retention(today=TODAY))
    assert len(due) == size
    assert [household.site.name for household in due] == [site_ss.name] * size


# What anonymising clears and keeps.


def test_anonymising_leaves_no_name_contact_date_of_birth_or_text_anywhere(site_ss, author):
    household = family(site_ss, author)
    stored = _everything_stored()
    assert all(secret in stored for secret in SECRETS)  # the test sees what it looks for

    anonymise_household(household=household, today=TODAY)

    stored = _everything_stored()
    assert [secret for secret in SECRETS if secret in stored] == []


def test_anonymising_keeps_birth_years_age_groups_and_the_rows_that_are_counted(site_ss, author):
    household = family(site_ss, author)
    before = {
        "birth_years": sorted(household.members.values_list("birth_year", flat=True)),
        "age_groups": sorted(str(r.age_group) for r in household.members.all()),
        "participations": Participation.objects.count(),
        "interventions": list(Intervention.objects.values_list("date", "duration_minutes")),
        "referrals": list(Referral.objects.values_list("status", "organisation", "resident")),
        "consents": list(Consent.objects.values_list("purpose", "given_on", "withdrawn_on")),
    }

    household = anonymise_household(household=household, today=TODAY)

    assert household.label == ANONYMISED_LABEL
    assert household.anonymised_on == TODAY
    assert household.site == site_ss
    assert household.status == Household.Status.MOVED_OUT
    assert household.moved_out_on == LONG_AGO
    members = list(household.members.all())
    assert {member.full_name for member in members} == {ANONYMISED_NAME}
    assert {member.date_of_birth for member in members} == {None}
    after = {
        "birth_years": sorted(m.birth_year for m in members),
        "age_groups": sorted(str(m.age_group) for m in members),
        "participations": Participation.objects.count(),
        "interventions": list(Intervention.objects.values_list("date", "duration_minutes")),
        "referrals": list(Referral.objects.values_list("status", "organisation", "resident")),
        "consents": list(Consent.objects.values_list("purpose", "given_on", "withdrawn_on")),
    }
    assert after == before
    assert after["birth_years"] == [1975, LONG_AGO.year - 9]
    assert {m.age_group for m in members} == {AgeGroup.AGE_26_64, AgeGroup.AGE_18_25}


def test_the_history_shows_that_the_file_was_anonymised(client_as, direction, site_ss, author):
    household = family(site_ss, author)
    anonymise_household(household=household, today=TODAY)
    entry = LogEntry.objects.get_for_object(household).order_by("-pk").first()
    assert entry.additional_data["retention"] == "anonymised"
    assert entry.changes_dict == {"anonymised_on": ["None", TODAY.isoformat()]}
    page = client_as(direction).get(household.get_absolute_url())
    assert page.status_code == 200
    assert "Anonymised on" in page.content.decode() or "Anonymisé le" in page.content.decode()
    assert not page.context["can_edit"]
    assert all(ANONYMISED_LABEL in item.object_label for item in page.context["history"][:1])


def test_an_anonymised_file_cannot_be_edited_even_by_the_direction(client_as, direction, site_ss):
    household = household_on(site_ss)
    resident = member_since(household)
    anonymise_household(household=household, today=TODAY)
    client = client_as(direction)
    assert client.get(reverse("residents:household_update", args=[household.pk])).status_code == 403
    assert client.get(reverse("residents:consent_create", args=[resident.pk])).status_code == 403


def test_anonymising_an_active_household_frees_its_unit(site_ss, author):
    household = family(site_ss, author, moved_out=False)
    anonymise_household(household=household, today=TODAY)
    household.refresh_from_db()
    assert household.status == Household.Status.ACTIVE
    newcomer = Household(site=site_ss, unit="1250, app. 4", label="Nouveau")
    newcomer.full_clean()


def test_anonymising_is_idempotent_and_refuses_a_file_that_is_not_due(site_ss, author):
    household = family(site_ss, author)
    anonymise_household(household=household, today=TODAY)
    entries = LogEntry.objects.count()
    anonymise_household(household=household, today=TODAY)
    assert LogEntry.objects.count() == entries
    recent = HouseholdFactory(site=site_ss)
    with pytest.raises(ValidationError):
        anonymise_household(household=recent, today=TODAY)
    recent.refresh_from_db()
    assert recent.anonymised_on is None


@pytest.mark.parametrize("size", [1, 10])
def test_anonymising_takes_a_fixed_number_of_queries(
    site_ss, author, size, django_assert_max_num_queries
):
    household = family(site_ss, author)
    child = household.members.get(first_name="Jean-Philippe")
    for _index in range(size):
        ParticipationFactory(
            resident=child,
            intervention=InterventionFactory(site=site_ss, author=author, date=LONG_AGO),
        )
    # The lock and the check, the rows that name the family (and those deleted since, from
    # the history), one update per kind of row, their new texts, the history read and
    # rewritten in batches, the admin's log read (and rewritten, when it names them), the
    # live sessions, the case discussions' two updates, and the entry that says it was done.
    with django_assert_max_num_queries(38):
        anonymise_household(household=household, today=TODAY)


def test_other_households_keep_their_file(site_ss, author):
    household = family(site_ss, author)
    neighbour = HouseholdFactory(site=site_ss, label="Lacasse")
    resident = ResidentFactory(household=neighbour, first_name="Mireille", last_name="Lacasse")
    session = InterventionFactory(site=site_ss, author=author, summary="Mireille à l’atelier.")
    ParticipationFactory(intervention=session, resident=resident)
    anonymise_household(household=household, today=TODAY)
    resident.refresh_from_db()
    session.refresh_from_db()
    assert resident.full_name == "Mireille Lacasse"
    assert session.summary == "Mireille à l’atelier."
    assert LogEntry.objects.get_for_object(resident).get().object_repr == str(resident)


# The command.


def test_the_dry_run_lists_numbers_and_changes_nothing(site_ss, author):
    household = family(site_ss, author)
    entries = LogEntry.objects.count()
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    output = out.getvalue()
    assert f"household {household.pk}" in output
    assert LONG_AGO.isoformat() in output
    assert "Zwarthoed" not in output and "1250" not in output
    household.refresh_from_db()
    assert household.label == "Zwarthoed"
    assert household.anonymised_on is None
    assert LogEntry.objects.count() == entries


def test_the_command_anonymises_what_is_due_and_is_safe_to_run_again(site_ss, author):
    household = family(site_ss, author)
    kept = HouseholdFactory(site=site_ss, label="Lacasse")
    out = io.StringIO()
    call_command("apply_retention", f"--today={TODAY.isoformat()}", stdout=out)
    assert "Anonymised 1 household(s) and 2 resident(s)" in out.getvalue()
    household.refresh_from_db()
    kept.refresh_from_db()
    assert household.anonymised_on == TODAY
    assert kept.label == "Lacasse"
    again = io.StringIO()
    call_command("apply_retention", stdout=again)
    assert "Anonymised 0 household(s)" in again.getvalue()


# The direction's page.


def test_the_direction_sees_the_files_due(
    client_as, direction, site_ss, author, django_assert_max_num_queries
):
    household = family(site_ss, author)
    for _index in range(3):
        member_since(household_on(site_ss))
    HouseholdFactory(site=site_ss, label="Récent")
    client = client_as(direction)
    # The session, the user, the count and the page of households.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("privacy:retention_due"))
    assert response.status_code == 200
    listed = list(response.context["page_obj"].object_list)
    assert household in listed
    assert len(listed) == 4
    assert "Récent" not in response.content.decode()


def test_the_page_is_for_the_direction_only(client_as, coordination, intervenant_ss):
    for user in (coordination, intervenant_ss):
        assert client_as(user).get(reverse("privacy:retention_due")).status_code == 403
