"""Mass assignment (ASVS 5.1.2): a form writes the fields it declares and nothing else. A
person who adds `author`, `status`, `anonymised_on` or `is_superuser` to a request, with the
browser's developer tools, changes nothing that the form does not offer.

Every ModelForm of the project's forms modules is found by import, and must declare an
explicit `fields` list and have a case below."""

import json
from datetime import date

import pytest
from django.forms import ALL_FIELDS
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collective.models import CollectiveIssue, IssueResponse, IssueStatus
from ema.accounts.models import Role
from empowerment.models import RoleRecord
from evaluation.models import JournalEntry
from incidents.models import Incident
from interventions.models import GroupActivity, Intervention, Level
from partners.models import (
    Commitment,
    CommitteeMembership,
    ConcertationMeeting,
    Organisation,
    Referral,
    Status,
)
from reports.models import DashboardSettings
from residents.models import Consent, Household
from support.models import SupervisionSession, WorkloadThresholds, WorkPlan
from team.models import AgendaItem, Meeting, MeetingAction
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PlaceFactory,
)
from tests.helpers import model_forms
from tests.offline.sealing import seal
from tests.security.actions import ACTIONS_BY_ID, sign_in

LONG_AGO = "2001-02-03"
FORGED_PK = "424242"


def _local_day(moment):
    """The day of a stored moment in Montréal (a UTC date differs after 19 h)."""
    return timezone.localtime(moment).date()


@pytest.mark.parametrize("name", sorted(model_forms()))
def test_every_model_form_lists_its_fields(name):
    meta = model_forms()[name]._meta
    assert isinstance(meta.fields, list | tuple), f"{name}: fields must be a list"
    assert meta.fields != ALL_FIELDS
    assert not meta.exclude, f"{name}: list the fields instead of excluding some"


# Cases: a function per way a form is used, registered for the forms it exercises ----------

CASES = {}


def covers(*forms: str):
    def register(case):
        for form in forms:
            CASES.setdefault(form, []).append(case)
        return case

    return register


class Poster:
    """Submits an action's form as its role, with `forged` fields that the form does not
    declare (checked) and `fill` values for fields it does."""

    def __init__(self, world):
        self.users, self.objects = world

    def __call__(self, action_id: str, *, as_role=None, fill=None, **forged):
        action = ACTIONS_BY_ID[action_id]
        client = Client()
        sign_in(client, self.users, as_role or action.role)
        form = action.form(client, self.objects)
        declared = set(forged) & form.names
        assert not declared, f"{declared} are fields of the form, not forged ones"
        data = form.data({**action.fill(self.users, self.objects), **(fill or {}), **forged})
        return client.post(action.url(self.objects), data)


def _errors(response) -> list:
    """The errors of the forms and formsets of a page sent back, to say why it was."""
    found = []
    for value in (response.context or {}).get("form"), (response.context or {}).get("formset"):
        if value is not None:
            found += [value.errors, getattr(value, "non_form_errors", list)()]
    return found


def _saved(response):
    assert response.status_code == 302, (response.status_code, _errors(response))


@covers("residents.forms.HouseholdForm")
def household_created_with_forged_fields(post, users, objects):
    response = post(
        "household_create",
        anonymised_on=LONG_AGO,
        moved_out_on=LONG_AGO,
        created_at=f"{LONG_AGO}T00:00:00Z",
        id=FORGED_PK,
        fill={"version": "99"},  # the edit lock: nothing to compare with on a new household
    )
    _saved(response)
    household = Household.objects.latest("pk")
    assert (household.anonymised_on, household.moved_out_on) == (None, None)
    assert household.version == 1
    assert str(household.pk) != FORGED_PK
    assert _local_day(household.created_at) == timezone.localdate()


@covers("residents.forms.HouseholdForm", "residents.forms.MemberForm")
def household_edited_with_forged_fields(post, users, objects):
    household, resident = objects["household"], objects["resident"]
    response = post(
        "household_update",
        anonymised_on=LONG_AGO,
        moved_out_on=LONG_AGO,
        **{"members-0-created_at": f"{LONG_AGO}T00:00:00Z"},
    )
    _saved(response)
    household.refresh_from_db()
    resident.refresh_from_db()
    assert (household.anonymised_on, household.moved_out_on) == (None, None)
    assert household.status == Household.Status.ACTIVE
    assert _local_day(resident.created_at) == timezone.localdate()


@covers("residents.forms.MemberForm")
def household_form_cannot_reach_a_member_of_another_household(post, users, objects):
    stranger = ConsentedResidentFactory(household=HouseholdFactory(), first_name="Intouchable")
    response = post(
        "household_update",
        fill={"members-0-id": str(stranger.pk), "members-0-first_name": "Piraté"},
    )
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.first_name == "Intouchable"


@covers("residents.forms.MemberForm")
def member_cannot_be_moved_to_another_household(post, users, objects):
    elsewhere = HouseholdFactory()
    response = post("household_update", fill={"members-0-household": str(elsewhere.pk)})
    assert response.status_code == 400
    assert objects["resident"].household_id == objects["household"].pk
    assert not elsewhere.members.exists()


@covers("residents.forms.ConsentForm")
def consent_with_forged_fields(post, users, objects):
    stranger = ConsentedResidentFactory()
    response = post(
        "consent_create",
        obtained_by=str(users["coordination"].pk),
        resident=str(stranger.pk),
        withdrawn_on=LONG_AGO,
    )
    _saved(response)
    consent = Consent.objects.latest("pk")
    assert consent.obtained_by == users["intervenant_site"]
    assert consent.resident == objects["resident"]
    assert consent.withdrawn_on is None


@covers("empowerment.forms.RoleRecordForm")
def role_record_with_forged_fields(post, users, objects):
    stranger = ConsentedResidentFactory()
    response = post(
        "role_create",
        resident=str(stranger.pk),
        created_by=str(users["coordination"].pk),
        created_at=f"{LONG_AGO}T00:00:00Z",
    )
    _saved(response)
    role = RoleRecord.objects.get()
    assert (role.resident, role.created_by) == (objects["resident"], users["intervenant_site"])
    assert _local_day(role.created_at) == timezone.localdate()


@covers("partners.forms.ReferralConsentForm")
def referral_consent_with_forged_fields(post, users, objects):
    elsewhere = Organisation.objects.create(name="Autre partenaire", kind="community")
    response = post(
        "referral_consent_create",
        purpose=Consent.Purpose.KEEP_FILE,
        partner=str(elsewhere.pk),
        obtained_by=str(users["coordination"].pk),
        resident=FORGED_PK,
    )
    _saved(response)
    consent = Consent.objects.latest("pk")
    referral = Referral.objects.get(pk=objects["referral"].pk)
    assert (consent.purpose, consent.partner, consent.resident, consent.obtained_by) == (
        Consent.Purpose.SHARE,
        referral.organisation,
        referral.resident,
        users["intervenant_site"],
    )
    assert referral.consent == consent


@covers("interventions.forms.QuickLogForm")
def quick_log_with_forged_fields(post, users, objects):
    response = post(
        "quick_log",
        author=str(users["coordination"].pk),
        date=LONG_AGO,
        level=Level.INDIVIDUAL,
        restricted_note="Note glissée en douce",
        decisions="Décision glissée",
        follow_up_by=str(users["coordination"].pk),
        follow_up_done_on=LONG_AGO,
        activity=str(objects["activity"].pk),
        co_intervenants=str(users["coordination"].pk),
        version="99",
    )
    _saved(response)
    logged = Intervention.objects.latest("pk")
    assert logged.author == users["intervenant_site"]
    assert logged.date == timezone.localdate()
    assert logged.level == logged.type.default_level
    assert (logged.restricted_note, logged.decisions) == ("", "")
    assert (logged.follow_up_by, logged.follow_up_done_on, logged.activity) == (None, None, None)
    assert not logged.co_intervenants.exists()
    assert logged.version == 1


@covers("interventions.forms.InterventionForm")
def intervention_created_with_forged_fields(post, users, objects):
    response = post(
        "intervention_create",
        author=str(users["coordination"].pk),
        follow_up_done_on=LONG_AGO,
        created_at=f"{LONG_AGO}T00:00:00Z",
        id=FORGED_PK,
        fill={"version": "99"},
    )
    _saved(response)
    created = Intervention.objects.latest("pk")
    assert created.author == users["intervenant_site"]
    assert created.follow_up_done_on is None
    assert created.version == 1
    assert str(created.pk) != FORGED_PK


@covers("interventions.forms.InterventionForm")
def intervention_edited_by_the_direction_keeps_its_author(post, users, objects):
    intervention = objects["intervention"]
    response = post(
        "intervention_update",
        as_role="direction",
        author=str(users["direction"].pk),
        follow_up_done_on=LONG_AGO,
    )
    _saved(response)
    intervention.refresh_from_db()
    assert intervention.author == users["intervenant_site"]
    assert intervention.follow_up_done_on is None
    assert intervention.version == 2


@covers("interventions.forms.SessionForm")
def session_with_forged_fields(post, users, objects):
    site_ag = objects["other_site"]
    activity = objects["activity"]
    elsewhere = GroupActivityFactory(site=site_ag, name="Ailleurs")
    response = post(
        "session_create",
        site=str(site_ag.pk),
        activity=str(elsewhere.pk),
        type=str(InterventionTypeFactory(name="Autre type").pk),
        place=str(PlaceFactory(name="Autre lieu").pk),
        level=Level.INDIVIDUAL,
        author=str(users["coordination"].pk),
        restricted_note="Note glissée en douce",
    )
    _saved(response)
    session = Intervention.objects.latest("pk")
    assert (session.activity, session.site) == (activity, activity.site)
    assert (session.type, session.place) == (activity.type, activity.place)
    assert session.level == Level.GROUP
    assert session.author == users["intervenant_site"]
    assert session.restricted_note == ""


@covers("interventions.forms.GroupActivityForm")
def activity_with_forged_fields(post, users, objects):
    response = post("activity_create", created_at=f"{LONG_AGO}T00:00:00Z", id=FORGED_PK)
    _saved(response)
    activity = GroupActivity.objects.latest("pk")
    assert str(activity.pk) != FORGED_PK
    assert _local_day(activity.created_at) == timezone.localdate()


@covers("partners.forms.OrganisationForm")
def organisation_with_forged_fields(post, users, objects):
    response = post(
        "organisation_create",
        present_at=str(objects["intervention"].pk),
        created_at=f"{LONG_AGO}T00:00:00Z",
    )
    _saved(response)
    organisation = Organisation.objects.latest("pk")
    assert not organisation.present_at.exists()
    assert _local_day(organisation.created_at) == timezone.localdate()


@covers(
    "partners.forms.ServiceFormSet",
    "partners.forms.ContactFormSet",
    "partners.forms.AgreementFormSet",
)
def partner_rows_cannot_be_attached_to_another_partner(post, users, objects):
    other = Organisation.objects.create(name="Autre organisme", kind=Organisation.Kind.COMMUNITY)
    response = post(
        "organisation_update",
        fill={
            "services-0-name": "Service glissé",
            "services-0-organisation": str(other.pk),
            "contacts-0-name": "Contact glissé",
            "contacts-0-organisation": str(other.pk),
            "agreements-0-kind": "services",
            "agreements-0-starts_on": "2026-01-01",
            "agreements-0-organisation": str(other.pk),
        },
    )
    assert response.status_code == 400
    assert not (other.services.exists() or other.contacts.exists() or other.agreements.exists())


@covers("partners.forms.ReferralForm")
def referral_created_with_forged_fields(post, users, objects):
    site_ag = objects["other_site"]
    response = post(
        "referral_create",
        status=Status.ACCEPTED,
        outcome=Referral.Outcome.MET,
        created_by=str(users["coordination"].pk),
        site=str(site_ag.pk),
        due_on=LONG_AGO,
        fill={"version": "99"},
    )
    _saved(response)
    referral = Referral.objects.latest("pk")
    assert referral.status == Status.DRAFT
    assert referral.outcome == ""
    assert referral.created_by == users["intervenant_site"]
    assert referral.site == objects["household"].site
    assert referral.due_on != date.fromisoformat(LONG_AGO)
    assert referral.version == 1


@covers("partners.forms.ReferralForm")
def referral_edited_with_forged_fields(post, users, objects):
    site_ag = objects["other_site"]
    referral = objects["referral"]
    response = post(
        "referral_update",
        status=Status.COMPLETED,
        outcome=Referral.Outcome.MET,
        created_by=str(users["coordination"].pk),
        site=str(site_ag.pk),
    )
    _saved(response)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.DRAFT, "")
    assert referral.created_by == users["intervenant_site"]
    assert referral.site == objects["household"].site


@covers("partners.forms.MembershipForm")
def membership_with_forged_committee(post, users, objects):
    site_ag = objects["other_site"]
    other = Organisation.objects.create(
        name="Autre comité", kind=Organisation.Kind.TENANT_COMMITTEE, committee_site=site_ag
    )
    response = post("membership_create", committee=str(other.pk))
    _saved(response)
    assert CommitteeMembership.objects.get().committee == objects["committee"]


@covers("reports.forms.DashboardSettingsForm")
def dashboard_settings_with_forged_row(post, users, objects):
    response = post("dashboard_settings", id="7", pk="7")
    _saved(response)
    assert list(DashboardSettings.objects.values_list("pk", flat=True)) == [1]


@covers("incidents.forms.IncidentForm")
def incident_with_forged_fields(post, users, objects):
    response = post(
        "incident_create",
        recorded_by=str(users["coordination"].pk),
        created_at=f"{LONG_AGO}T00:00:00Z",
        fill={"version": "99"},
    )
    _saved(response)
    incident = Incident.objects.latest("pk")
    assert incident.recorded_by == users["direction"]
    assert incident.version == 1
    response = post("incident_update", recorded_by=str(users["coordination"].pk))
    _saved(response)
    objects["incident"].refresh_from_db()
    assert objects["incident"].recorded_by == users["direction"]


@covers("evaluation.forms.JournalEntryForm")
def journal_entry_with_forged_fields(post, users, objects):
    forged = [{"key": "reach", "label": "Forgé", "rows": [["x", 1]]}]
    response = post(
        "journal_entry_create",
        author=str(users["direction"].pk),
        figures_period=json.dumps({"label": "forgé"}),
        fill={"version": "99"},
    )
    _saved(response)
    entry = JournalEntry.objects.latest("pk")
    assert entry.author == users["intervenant_site"]
    assert entry.version == 1
    assert entry.figures_period.get("label") != "forgé"
    assert [figure["key"] for figure in entry.figures] == ["participation"]
    kept = objects["journal_entry"].figures
    response = post(
        "journal_entry_update", author=str(users["direction"].pk), figures=json.dumps(forged)
    )
    _saved(response)
    objects["journal_entry"].refresh_from_db()
    assert objects["journal_entry"].author == users["intervenant_site"]
    assert objects["journal_entry"].figures == kept


@covers("collective.forms.IssueForm")
def collective_issue_with_forged_fields(post, users, objects):
    response = post(
        "collective_issue_create",
        status=IssueStatus.RESOLVED,
        created_by=str(users["coordination"].pk),
        households=str(objects["household"].pk),
        interventions=str(objects["intervention"].pk),
        status_changed_on=LONG_AGO,
        fill={"version": "99"},
    )
    _saved(response)
    issue = CollectiveIssue.objects.latest("pk")
    assert (issue.status, issue.created_by) == (IssueStatus.OPEN, users["intervenant_site"])
    assert issue.status_changed_on == issue.opened_on
    assert not issue.households.exists() and not issue.interventions.exists()
    assert issue.version == 1
    # An edit keeps the site: the households and interventions linked belong to it.
    kept = objects["collective_issue"]
    response = post(
        "collective_issue_update",
        status=IssueStatus.DROPPED,
        created_by=str(users["coordination"].pk),
        fill={"site": str(objects["other_site"].pk)},
    )
    _saved(response)
    kept.refresh_from_db()
    assert (kept.status, kept.site) == (IssueStatus.OPEN, objects["household"].site)
    assert kept.created_by == users["intervenant_site"]


@covers("collective.forms.ResponseForm")
def issue_response_with_forged_fields(post, users, objects):
    elsewhere = CollectiveIssue.objects.create(
        site=objects["other_site"],
        title="Ailleurs",
        category="other",
        opened_on=timezone.localdate(),
        created_by=users["direction"],
    )
    response = post(
        "collective_issue_response_create",
        issue=str(elsewhere.pk),
        recorded_by=str(users["coordination"].pk),
    )
    _saved(response)
    made = IssueResponse.objects.latest("pk")
    assert made.issue == objects["collective_issue"]
    assert made.recorded_by == users["intervenant_site"]
    assert not elsewhere.responses.exists()


@covers("support.forms.SessionForm")
def supervision_session_with_forged_author(post, users, objects):
    response = post(
        "supervision_session_create",
        created_by=str(users["direction"].pk),
        created_at=f"{LONG_AGO}T00:00:00Z",
        fill={"version": "99"},
    )
    _saved(response)
    session = SupervisionSession.objects.latest("pk")
    assert session.created_by == users["intervenant_site"]
    assert session.version == 1
    response = post("supervision_session_update", created_by=str(users["direction"].pk))
    _saved(response)
    objects["supervision_session"].refresh_from_db()
    assert objects["supervision_session"].created_by == users["coordination"]


@covers("support.forms.WorkPlanForm")
def work_plan_with_forged_person(post, users, objects):
    response = post("work_plan_update", user=str(users["coordination"].pk))
    _saved(response)
    assert list(WorkPlan.objects.values_list("user", flat=True)) == [users["intervenant_site"].pk]


@covers("support.forms.ThresholdsForm")
def thresholds_with_forged_row(post, users, objects):
    response = post("workload_thresholds", id="7", pk="7")
    _saved(response)
    assert list(WorkloadThresholds.objects.values_list("pk", flat=True)) == [1]


@covers("partners.concertation.forms.MeetingForm")
def meeting_created_and_edited_with_forged_fields(post, users, objects):
    response = post(
        "concertation_meeting_create",
        created_by=str(users["admin"].pk),
        id=FORGED_PK,
        fill={"version": "99"},
    )
    _saved(response)
    meeting = ConcertationMeeting.objects.latest("pk")
    assert meeting.created_by == users["coordination"]
    assert meeting.version == 1
    assert str(meeting.pk) != FORGED_PK
    response = post("concertation_meeting_update", created_by=str(users["admin"].pk))
    _saved(response)
    objects["concertation_meeting"].refresh_from_db()
    assert objects["concertation_meeting"].created_by == users["coordination"]
    assert objects["concertation_meeting"].version == 2


@covers("partners.concertation.forms.CommitmentForm")
def commitment_created_with_forged_fields(post, users, objects):
    response = post(
        "commitment_create",
        status="kept",
        status_on=LONG_AGO,
        status_by=str(users["admin"].pk),
        meeting=FORGED_PK,
    )
    _saved(response)
    commitment = Commitment.objects.latest("pk")
    assert (commitment.status, commitment.status_on, commitment.status_by) == ("open", None, None)
    assert commitment.meeting == objects["concertation_meeting"]


@covers("interventions.forms.CountsEditForm")
def offline_correction_with_forged_fields(post, users, objects):
    """A correction from the phone's queue changes the counts and the length, nothing else."""
    intervention = objects["intervention"]
    author = users["intervenant_site"]
    client = Client()
    sign_in(client, users, "intervenant_site")
    entry = {
        "kind": "edit",
        "intervention": intervention.pk,
        "fields": {
            "duration_minutes": "50",
            "count_26_64": "3",
            "summary": "forgé",
            "restricted_note": "forgé",
            "author": str(users["direction"].pk),
            "date": LONG_AGO,
            "site": str(objects["other_site"].pk),
            "version": "99",
        },
    }
    body = {"envelope": seal(author, entry), "version": intervention.version}
    response = client.post(reverse("offline:sync"), json.dumps(body), "application/json")
    assert response.status_code == 200, response.json()
    before = intervention
    intervention = Intervention.objects.get(pk=before.pk)
    assert (intervention.duration_minutes, intervention.count_26_64) == (50, 3)
    assert (intervention.summary, intervention.restricted_note) == (
        before.summary,
        before.restricted_note,
    )
    assert (intervention.author, intervention.date, intervention.site) == (
        before.author,
        before.date,
        before.site,
    )


@covers("reminders.forms.DigestChoiceForm")
def digest_choice_with_forged_fields(post, users, objects):
    from reminders.models import DigestChoice

    response = post("digest_choices", user=str(users["direction"].pk), id=FORGED_PK)
    _saved(response)
    choice = DigestChoice.objects.get()
    assert choice.user == users["coordination"]
    assert str(choice.pk) != FORGED_PK


@covers("team.forms.MeetingForm")
def meeting_with_forged_fields(post, users, objects):
    response = post(
        "meeting_create",
        created_by=str(users["direction"].pk),
        id=FORGED_PK,
        fill={"version": "99"},
    )
    _saved(response)
    meeting = Meeting.objects.latest("pk")
    assert meeting.created_by == users["intervenant_site"]
    assert meeting.version == 1
    response = post("meeting_update", created_by=str(users["direction"].pk))
    _saved(response)
    objects["meeting"].refresh_from_db()
    assert objects["meeting"].created_by == users["intervenant_site"]


@covers("team.forms.AgendaItemForm")
def agenda_item_with_forged_fields(post, users, objects):
    other = Meeting.objects.create(held_on=timezone.localdate(), created_by=users["direction"])
    response = post("item_create", meeting=str(other.pk), position="99", id=FORGED_PK)
    _saved(response)
    item = AgendaItem.objects.latest("pk")
    assert item.meeting == objects["meeting"]
    assert item.position == objects["agenda_item"].position + 1
    response = post("item_update", meeting=str(other.pk), position="99")
    _saved(response)
    objects["agenda_item"].refresh_from_db()
    assert objects["agenda_item"].meeting == objects["meeting"]


@covers("team.forms.MeetingActionForm")
def meeting_action_with_forged_fields(post, users, objects):
    response = post(
        "action_create",
        item=str(objects["agenda_item"].pk + 1000),
        done_on=LONG_AGO,
        done_by=str(users["direction"].pk),
    )
    _saved(response)
    action = MeetingAction.objects.latest("pk")
    assert action.item == objects["agenda_item"]
    assert (action.done_on, action.done_by) == (None, None)
    response = post("action_update", done_on=LONG_AGO)
    _saved(response)
    objects["meeting_action"].refresh_from_db()
    assert objects["meeting_action"].done_on is None


def test_every_model_form_has_a_mass_assignment_case():
    assert set(model_forms()) - set(CASES) == set(), "Add a case for these forms"


@pytest.mark.parametrize(
    "case",
    sorted({case for cases in CASES.values() for case in cases}, key=lambda case: case.__name__),
    ids=lambda case: case.__name__,
)
def test_forms_ignore_the_fields_they_do_not_declare(world, site_ag, case):
    users, objects = world
    objects = {**objects, "other_site": site_ag}
    case(Poster((users, objects)), users, objects)


@pytest.mark.parametrize(
    "field, value",
    [
        ("role", Role.ADMIN),
        ("is_superuser", "on"),
        ("is_staff", "on"),
        ("is_active", ""),
        ("username", "pirate"),
        ("sites", "site_ag"),
    ],
)
def test_changing_ones_password_changes_nothing_else_on_the_account(world, site_ag, field, value):
    users, objects = world
    user = users["intervenant_site"]
    post = Poster(world)
    value = str(site_ag.pk) if value == "site_ag" else value

    response = post("password_change", **{field: value})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.is_superuser, user.is_staff, user.is_active) == (
        Role.INTERVENANT,
        False,
        False,
        True,
    )
    assert user.username == users["intervenant_site"].username
    assert list(user.sites.all()) == [objects["household"].site]
    assert user.check_password("une-autre-phrase-secrete-2027")
