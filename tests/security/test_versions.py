"""No lost update: every form that edits a record carrying a version sends that version back,
and a save without it, or with a stale one, is refused with a 409, the French message and
what the person typed, and saves nothing. A new form of a versioned model, or a template that
forgets to render the hidden field, fails here."""

import html

import pytest
from django.db.models import F
from django.test import Client

from collective.services import STALE_ISSUE
from ema.concurrency import VersionedFormMixin
from evaluation.services import STALE_ENTRY
from incidents.services import STALE_INCIDENT
from interventions.services import STALE_INTERVENTION
from partners.concertation.services import STALE_MEETING as STALE_CONCERTATION_MEETING
from partners.services import STALE_REFERRAL
from residents.services import STALE_HOUSEHOLD
from support.services import STALE_SESSION
from team.services import STALE_ITEM, STALE_MEETING
from tests.helpers import french, model_forms
from tests.security.actions import ACTIONS_BY_ID, database_state, sign_in
from tests.security.pages import read_page

# Each form that edits a versioned model: the action that opens and sends it, the world
# record it edits, the name of its version field on the page, and the message of a refusal.
VERSIONED_EDITS = {
    "residents.forms.HouseholdForm": ("household_update", "household", "version", STALE_HOUSEHOLD),
    "residents.forms.MemberForm": (
        "household_update",
        "resident",
        "members-0-version",
        STALE_HOUSEHOLD,
    ),
    "interventions.forms.InterventionForm": (
        "intervention_update",
        "intervention",
        "version",
        STALE_INTERVENTION,
    ),
    "partners.forms.ReferralForm": ("referral_update", "referral", "version", STALE_REFERRAL),
    "incidents.forms.IncidentForm": ("incident_update", "incident", "version", STALE_INCIDENT),
    "evaluation.forms.JournalEntryForm": (
        "journal_entry_update",
        "journal_entry",
        "version",
        STALE_ENTRY,
    ),
    "collective.forms.IssueForm": (
        "collective_issue_update",
        "collective_issue",
        "version",
        STALE_ISSUE,
    ),
    "support.forms.SessionForm": (
        "supervision_session_update",
        "supervision_session",
        "version",
        STALE_SESSION,
    ),
    "team.forms.MeetingForm": ("meeting_update", "meeting", "version", STALE_MEETING),
    "team.forms.AgendaItemForm": ("item_update", "agenda_item", "version", STALE_ITEM),
    "partners.concertation.forms.MeetingForm": (
        "concertation_meeting_update",
        "concertation_meeting",
        "version",
        STALE_CONCERTATION_MEETING,
    ),
}


# Forms of a versioned model that only ever create (their views never give them a saved
# record): a new record has no version to compare; the one-time token guards them instead.
CREATE_ONLY = {"interventions.forms.QuickLogForm", "interventions.forms.SessionForm"}
# Edits that never come from a page's form but from the phone's queue, as JSON: their stale and
# missing versions are refused there (tests/offline/test_sync.py).
EDITED_FROM_THE_QUEUE = {"interventions.forms.CountsEditForm"}


def _versioned(form) -> bool:
    return any(field.name == "version" for field in form._meta.model._meta.concrete_fields)


def test_every_form_that_edits_a_versioned_model_is_guarded_here():
    versioned = {name for name, form in model_forms().items() if _versioned(form)}
    assert versioned - CREATE_ONLY - EDITED_FROM_THE_QUEUE == set(VERSIONED_EDITS), (
        "Add the form to VERSIONED_EDITS"
    )
    for name in versioned - CREATE_ONLY:
        assert issubclass(model_forms()[name], VersionedFormMixin), name


def _page(world, action_id):
    users, objects = world
    action = ACTIONS_BY_ID[action_id]
    client = Client()
    sign_in(client, users, action.role)
    return client, action, action.form(client, objects)


def _typed(action, world) -> list[str]:
    users, objects = world
    return [value for value in action.fill(users, objects).values() if isinstance(value, str)]


@pytest.mark.parametrize("name", sorted(VERSIONED_EDITS))
def test_the_edit_page_carries_the_version_it_shows(world, name):
    action_id, target, field, _ = VERSIONED_EDITS[name]
    _, objects = world
    _, _, form = _page(world, action_id)
    record = objects[target]
    record.refresh_from_db()
    assert (field, str(record.version)) in form.fields


@pytest.mark.parametrize("name", sorted(VERSIONED_EDITS))
def test_a_save_that_carries_no_version_is_refused_and_keeps_what_was_typed(world, name):
    action_id, _, field, message = VERSIONED_EDITS[name]
    users, objects = world
    client, action, form = _page(world, action_id)
    data = form.data({**action.fill(users, objects), field: None})
    before = database_state()

    response = client.post(action.url(objects), data)

    assert response.status_code == 409
    page = " ".join(html.unescape(response.content.decode()).split())
    assert french(message) in page
    for value in _typed(action, world):
        assert value in page
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(VERSIONED_EDITS))
def test_a_stale_save_is_refused_then_a_deliberate_one_goes_through(world, name):
    action_id, target, field, message = VERSIONED_EDITS[name]
    users, objects = world
    client, action, form = _page(world, action_id)
    record = objects[target]
    # Someone else saves the record while this person types.
    type(record).objects.filter(pk=record.pk).update(version=F("version") + 1)

    late = client.post(action.url(objects), form.data(action.fill(users, objects)))

    assert late.status_code == 409
    assert french(message) in " ".join(html.unescape(late.content.decode()).split())
    record.refresh_from_db()
    saved_version = record.version
    # The page sent back carries the version saved now: saving again, once checked, is a
    # choice the person makes, and goes through.
    again = read_page(late, action.url(objects)).form_to(action.route)
    assert (field, str(saved_version)) in again.fields
    assert client.post(action.url(objects), again.data()).status_code == 302
    record.refresh_from_db()
    assert record.version == saved_version + 1
