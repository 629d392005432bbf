"""One submission, one record: every form that creates something carries a one-time token; the
same form sent twice (a retry on a weak connection, a second tap) creates nothing more and
leads to the record already made. A new create form without the token fails here."""

import threading

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from collective.models import CollectiveIssue, IssueResponse
from ema.models import Submission
from ema.submissions import FIELD, TOKEN_PATTERN, AlreadySubmitted, OneTimeFormMixin, once
from empowerment.models import RoleRecord
from evaluation.models import JournalEntry
from incidents.models import Incident
from interventions.models import GroupActivity, Intervention
from partners.models import (
    Commitment,
    CommitteeMembership,
    ConcertationMeeting,
    Organisation,
    Referral,
)
from residents.models import Consent, Household
from support.models import SupervisionSession
from team.models import AgendaItem, Meeting, MeetingAction
from tests.factories import InterventionFactory, InterventionTypeFactory, PlaceFactory
from tests.helpers import french, model_forms
from tests.security.actions import ACTIONS_BY_ID, sign_in
from tests.url_table import EXPECTATIONS

# Each action that creates a record, and the model of what it creates.
CREATES = {
    "household_create": Household,
    "consent_create": Consent,
    "role_create": RoleRecord,
    "referral_consent_create": Consent,
    "quick_log": Intervention,
    "intervention_create": Intervention,
    "session_create": Intervention,
    "activity_create": GroupActivity,
    "organisation_create": Organisation,
    "membership_create": CommitteeMembership,
    "referral_create": Referral,
    "concertation_meeting_create": ConcertationMeeting,
    "commitment_create": Commitment,
    "incident_create": Incident,
    "journal_entry_create": JournalEntry,
    "collective_issue_create": CollectiveIssue,
    "collective_issue_response_create": IssueResponse,
    "supervision_session_create": SupervisionSession,
    "meeting_create": Meeting,
    "item_create": AgendaItem,
    "action_create": MeetingAction,
}
# Model forms that create nothing on their own: the rows of a household's members and of a
# partner's services, contacts and agreements (the form they belong to carries the token for
# all of them), and the direction's targets (one row, edited).
NOT_CREATING = {
    "residents.forms.MemberForm",
    "partners.forms.ServiceFormSet",
    "partners.forms.ContactFormSet",
    "partners.forms.AgreementFormSet",
    "reports.forms.DashboardSettingsForm",
    # A correction of an existing entry from the phone's queue: its guard is the version.
    "interventions.forms.CountsEditForm",
    # One's choice of emails: one row, edited.
    "reminders.forms.DigestChoiceForm",
    # A person's planned hours and the workload thresholds: one row each, set by the direction.
    "support.forms.WorkPlanForm",
    "support.forms.ThresholdsForm",
}
# Routes that create without a model form of their own: the import's confirmation, whose
# preview's token is the one-time token (tests/residents/test_import.py).
OTHER_CREATES = {"residents:household_import_confirm"}


def test_every_model_form_that_creates_carries_the_token():
    missing = {
        name
        for name, form in model_forms().items()
        if name not in NOT_CREATING and not issubclass(form, OneTimeFormMixin)
    }
    assert not missing, f"Create forms without a one-time token: {missing}"


def test_every_create_route_is_in_the_sweep():
    creating = {name for name in EXPECTATIONS if name.endswith("_create")}
    creating |= {"interventions:quick_log"}
    covered = {ACTIONS_BY_ID[action].route for action in CREATES} | OTHER_CREATES
    assert creating - covered == set()


def _open(world, action_id):
    users, _ = world
    action = ACTIONS_BY_ID[action_id]
    client = Client()
    sign_in(client, users, action.role)
    return client, action


@pytest.mark.parametrize("action_id", sorted(CREATES))
def test_the_create_page_carries_a_new_token_each_time(world, action_id):
    _, objects = world
    client, action = _open(world, action_id)
    tokens = [dict(action.form(client, objects).fields).get(FIELD, "") for _ in range(2)]
    assert all(TOKEN_PATTERN.fullmatch(token) for token in tokens)
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize("action_id", sorted(CREATES))
def test_the_same_form_sent_twice_makes_one_record_and_leads_to_it(world, action_id):
    users, objects = world
    client, action = _open(world, action_id)
    model = CREATES[action_id]
    data = action.data(client, users, objects)

    first = client.post(action.url(objects), data)
    assert first.status_code == 302, first.context and first.context["form"].errors
    count = model.objects.count()
    made = model.objects.latest("pk")
    again = client.post(action.url(objects), data)

    assert model.objects.count() == count
    assert again.status_code == 302
    assert again["Location"] == made.get_absolute_url()
    assert [str(message) for message in get_messages(again.wsgi_request)][-1] == french(
        "This form had already been sent: nothing was added a second time."
    )


@pytest.mark.parametrize("action_id", sorted(CREATES))
def test_a_form_without_its_token_is_refused_in_french_and_saves_nothing(world, action_id):
    users, objects = world
    client, action = _open(world, action_id)
    model = CREATES[action_id]
    count = model.objects.count()

    response = client.post(
        action.url(objects), action.data(client, users, objects, **{FIELD: None})
    )

    assert response.status_code == 400
    assert french(
        "This form is incomplete or too old: reload the page, then fill it in again."
    ) in " ".join(response.content.decode().split())
    assert model.objects.count() == count


def test_a_refused_save_frees_its_token_for_the_corrected_form(world):
    users, objects = world
    client, action = _open(world, "quick_log")
    data = action.data(client, users, objects)
    # Nobody counted at an informal presence: refused, nothing claimed.
    refused = client.post(action.url(objects), {**data, "count_6_12": "0"})
    assert refused.status_code == 400
    assert not Submission.objects.filter(token=data[FIELD]).exists()
    assert client.post(action.url(objects), data).status_code == 302
    assert (
        Submission.objects.get(token=data[FIELD]).record_id == Intervention.objects.latest("pk").pk
    )


def test_a_token_of_someone_else_leads_nowhere_near_their_record(world):
    users, objects = world
    client, action = _open(world, "quick_log")
    data = action.data(client, users, objects)
    assert client.post(action.url(objects), data).status_code == 302
    made = Intervention.objects.latest("pk")
    other = Client()
    sign_in(other, users, "intervenant_other_site")
    response = other.post(action.url(objects), data)
    assert response.status_code == 302
    assert response["Location"] != made.get_absolute_url()
    assert Intervention.objects.latest("pk") == made


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two requests at once need two database connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_with_one_token_make_one_record(site_ss, intervenant_ss):
    """Both requests do the work; the claim of the token, unique, lets one transaction
    through and undoes the other: the guard holds when the two are in flight together, not
    only one after the other."""
    token = "deux-envois-simultanes-0001"
    started, outcomes = threading.Barrier(2, timeout=10), {}
    # The reference rows the interventions name, made before the two requests: an earlier
    # transactional test may have emptied the ones of the migrations.
    kind, place = InterventionTypeFactory(), PlaceFactory()

    def send(name):
        try:
            with once(token=token, by=intervenant_ss) as claim:
                # Saved alone, without its month's figures: those lock the site until the
                # transaction ends, and the second request would wait for the first there
                # instead of making its own intervention alongside.
                made = InterventionFactory.build(
                    site=site_ss, author=intervenant_ss, type=kind, place=place
                )
                made.save()
                claim.made(made)
                started.wait()  # both have made their intervention, neither has committed
            outcomes[name] = "made"
        except AlreadySubmitted as done:
            outcomes[name] = done.submission.record_id
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert Intervention.objects.count() == 1
    kept = Intervention.objects.get().pk
    assert sorted(outcomes.values(), key=str) == sorted(["made", kept], key=str)


def test_every_page_loads_the_script_that_holds_a_form_while_it_is_sent(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("interventions:quick_log"))
    assert 'src="/static/js/forms.js"' in response.content.decode()
