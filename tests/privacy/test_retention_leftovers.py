"""Nothing left behind after retention: once a household is anonymised, the Django admin's own
log no longer names it, and no live session still holds a search by its name or the rows of
an import that name its members."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.retention import anonymise_household
from residents import searches
from residents.imports import pack_rows
from residents.imports.columns import COLUMN_KEYS, LINE
from residents.imports.pending import SESSION_KEY as PENDING_IMPORT
from residents.models import Household, Resident
from tests.factories import ConsentFactory, HouseholdFactory, ResidentFactory

TODAY = timezone.localdate()
LONG_AGO = date(TODAY.year - 10, 5, 12)
FAMILY = "Zwarthoed"
FIRST = "Ginette"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), timezone.get_current_timezone())


@pytest.fixture
def due(site_ss):
    """A household that moved out ten years ago, with nothing since."""
    household = HouseholdFactory(
        site=site_ss,
        label=FAMILY,
        unit="1250, app. 4",
        moved_in_on=LONG_AGO - timedelta(days=900),
        status=Household.Status.MOVED_OUT,
        moved_out_on=LONG_AGO,
    )
    resident = ResidentFactory(household=household, first_name=FIRST, last_name=FAMILY)
    consent = ConsentFactory(resident=resident, given_on=LONG_AGO - timedelta(days=800))
    for row in (household, resident, consent):
        type(row).objects.filter(pk=row.pk).update(created_at=_at(LONG_AGO))
    Household.objects.filter(pk=household.pk).update(updated_at=_at(LONG_AGO))
    Resident.objects.filter(pk=resident.pk).update(updated_at=_at(LONG_AGO))
    return household, resident


def test_the_admin_log_no_longer_names_the_family(due, admin_user):
    household, resident = due
    # What an administrator's edit wrote, before records were named by number.
    for record, text in ((household, f"{FAMILY} (1250, app. 4)"), (resident, f"{FIRST} {FAMILY}")):
        LogEntry.objects.create(
            user=admin_user,
            content_type=ContentType.objects.get_for_model(record),
            object_id=str(record.pk),
            object_repr=text,
            action_flag=CHANGE,
            change_message=f'[{{"added": {{"name": "membre", "object": "{FIRST} {FAMILY}"}}}}]',
        )
    other = LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(Household),
        object_id="999999",
        object_repr="Gagnon (5, app. 1)",
        action_flag=CHANGE,
        change_message="[]",
    )

    anonymise_household(household=household, today=TODAY)

    for entry in LogEntry.objects.exclude(pk=other.pk):
        assert FAMILY not in entry.object_repr
        assert FAMILY not in entry.change_message
    other.refresh_from_db()
    assert other.object_repr == "Gagnon (5, app. 1)"


def _session(client, user, **data):
    client.force_login(user)
    session = client.session
    for key, value in data.items():
        session[key] = value
    session.save()
    return session.session_key


def _import_row(**values):
    return {**dict.fromkeys(COLUMN_KEYS, ""), LINE: "2", **values}


def test_no_session_keeps_a_search_or_an_import_that_names_the_family(
    due, client, coordination, intervenant_ss
):
    household, _ = due
    searching = _session(
        client,
        intervenant_ss,
        **{searches.SESSION_KEY: {"abc": f"{FIRST.lower()} z", "def": "Gagnon"}},
    )
    importing = _session(
        Client(),
        coordination,
        **{
            PENDING_IMPORT: {
                "token": "un-jeton-d-import-0001",
                "file_name": "menages.csv",
                "rows": pack_rows([_import_row(prenom=FIRST, nom=FAMILY, menage=FAMILY)]),
            }
        },
    )

    anonymise_household(household=household, today=TODAY)

    kept = Session.objects.get(session_key=searching).get_decoded()
    assert kept[searches.SESSION_KEY] == {"def": "Gagnon"}
    assert PENDING_IMPORT not in Session.objects.get(session_key=importing).get_decoded()
    # The person is still logged in: only what named the family left the session.
    assert client.get(reverse("residents:household_list")).status_code == 200


def test_a_session_that_names_nobody_of_the_family_is_left_as_it_was(due, client, intervenant_ss):
    household, _ = due
    key = _session(client, intervenant_ss, **{searches.SESSION_KEY: {"abc": "Gagnon"}})
    before = Session.objects.get(session_key=key).session_data

    anonymise_household(household=household, today=TODAY)

    assert Session.objects.get(session_key=key).session_data == before
