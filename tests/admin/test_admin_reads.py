"""The Django admin is not a back door to personal information: every page of it that shows
records of residents, households, referrals, incidents or the audit trail's past values is a
reading, recorded in the read log like the application's pages (ema.admin_privacy)."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import override

from ema.admin_privacy import MAX_IDS, PersonalInformationAdmin, PersonalInformationInline
from partners.models import CommitteeMembership
from privacy.models import ReadEvent
from tests.collective.factories import CollectiveIssueFactory
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
)
from tests.incidents.factories import IncidentFactory
from tests.partners.factories import ReferralFactory, TenantCommitteeFactory

# Every model of the admin that is not read-logged says here why it holds no personal
# information of the people EMA serves. A new admin is either logged or listed, on purpose.
NOT_PERSONAL = {
    # The shared reference lists.
    "residents.site": "the housing sites",
    "interventions.interventiontype": "a reference list",
    "interventions.place": "a reference list",
    "interventions.theme": "a reference list",
    "support.supervisiontheme": "a reference list",
    "partners.organisation": "the partner directory, with its services, contacts, agreements",
    "partners.statusdelay": "the delays of the referral workflow",
    "auth.group": "permission groups (roles decide access)",
    # Staff accounts and security records: the administrators' own work. Changes of accounts
    # and devices are audited and shown to the direction (privacy:account_changes).
    "accounts.user": "staff accounts",
    "otp_totp.totpdevice": "staff authenticator apps, never their secret",
    "otp_static.staticdevice": "staff recovery codes, never the codes",
    "axes.accessattempt": "failed logins of staff accounts",
    "axes.accesslog": "logins of staff accounts",
    "axes.accessfailurelog": "failed logins of staff accounts",
    # Who read which record number, never what it holds.
    "privacy.readevent": "the read log itself",
}

# What the issue names, at the least: none of these may leave the read log.
MUST_BE_LOGGED = {
    "residents.household",
    "residents.resident",
    "residents.consent",
    "interventions.intervention",
    "interventions.groupactivity",
    "partners.committeemembership",
    "partners.referral",
    "incidents.incident",
    "auditlog.logentry",
}

SECRET_NAME = "Quintal-Zéphirine"


def _label(model) -> str:
    return model._meta.label_lower


def _logged_models():
    return sorted(
        (model for model, model_admin in admin.site._registry.items() if _is_logged(model_admin)),
        key=_label,
    )


def _is_logged(model_admin) -> bool:
    return isinstance(model_admin, PersonalInformationAdmin)


def _resident(site):
    household = HouseholdFactory(site=site, label=SECRET_NAME)
    return ConsentedResidentFactory(household=household, first_name=SECRET_NAME)


def _membership(site):
    return CommitteeMembership.objects.create(
        committee=TenantCommitteeFactory(), resident=_resident(site), since=date(2024, 9, 1)
    )


def _audit_entry(site):
    resident = _resident(site)
    return LogEntry.objects.get_for_object(resident).latest("timestamp")


def _group_activity(site):
    activity = GroupActivityFactory(site=site)
    activity.registered.add(_resident(site))
    return activity


# One record of each read-logged model; a new one needs its line here (the sweep says so).
RECORDS = {
    "residents.household": lambda site: _resident(site).household,
    "residents.resident": _resident,
    "residents.consent": lambda site: _resident(site).consents.get(),
    "interventions.intervention": lambda site: (
        ParticipationFactory(
            intervention=InterventionFactory(site=site), resident=_resident(site)
        ).intervention
    ),
    "interventions.groupactivity": _group_activity,
    "partners.committeemembership": _membership,
    "partners.referral": lambda site: ReferralFactory(resident=_resident(site)),
    "incidents.incident": lambda site: IncidentFactory(),
    "collective.collectiveissue": lambda site: CollectiveIssueFactory(site=site),
    "auditlog.logentry": _audit_entry,
}


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _read_target(record):
    """What a page of `record` is a reading of: the audit trail's entry is its record's."""
    if isinstance(record, LogEntry):
        return record.content_type.model_class(), record.object_id
    return type(record), record.pk


def _only_event(**filters) -> ReadEvent:
    events = ReadEvent.objects.filter(kind=ReadEvent.Kind.ADMIN, **filters)
    assert events.count() == 1, list(events.values("target_type", "target_id", "details"))
    return events.get()


# The sweep ------------------------------------------------------------------------------


def test_every_model_of_the_admin_is_read_logged_or_said_to_hold_no_personal_information():
    registered = {_label(model): model_admin for model, model_admin in admin.site._registry.items()}
    neither = sorted(
        label
        for label, model_admin in registered.items()
        if not _is_logged(model_admin) and label not in NOT_PERSONAL
    )
    assert not neither, f"Admins that neither record their reads nor are listed: {neither}"
    both = sorted(
        label for label in NOT_PERSONAL if label in registered and _is_logged(registered[label])
    )
    assert not both, f"Listed as holding no personal information, yet logged: {both}"
    assert not set(NOT_PERSONAL) - set(registered), "NOT_PERSONAL lists models no longer there"
    assert {_label(model) for model in _logged_models()} >= MUST_BE_LOGGED


def test_every_inline_of_a_logged_admin_follows_its_rules():
    plain = sorted(
        f"{_label(model)}: {inline.__name__}"
        for model in _logged_models()
        for inline in admin.site._registry[model].inlines
        if not issubclass(inline, PersonalInformationInline)
    )
    assert not plain


def test_every_logged_model_has_a_record_to_try():
    assert {_label(model) for model in _logged_models()} == set(RECORDS)


@pytest.mark.parametrize("model", _logged_models(), ids=_label)
class TestEveryLoggedAdmin:
    @pytest.fixture
    def record(self, model, site_ss):
        return RECORDS[_label(model)](site_ss)

    def test_its_list_records_one_reading_naming_the_records_shown(
        self, client_as, admin_user, model, record
    ):
        response = client_as(admin_user).get(_admin_url(model, "changelist"))

        assert response.status_code == 200
        event = _only_event(actor=admin_user)
        assert event.target_type == ContentType.objects.get_for_model(model)
        assert event.target_id is None
        assert event.details["view"] == "changelist"
        assert record.pk in event.details["ids"]
        assert event.details["count"] == len(event.details["ids"])

    def test_its_change_page_records_the_record_read(self, client_as, admin_user, model, record):
        response = client_as(admin_user).get(_admin_url(model, "change", record.pk))

        assert response.status_code == 200
        target_model, target_id = _read_target(record)
        event = _only_event(actor=admin_user)
        assert event.target_type == ContentType.objects.get_for_model(target_model)
        assert event.target_id == target_id
        assert event.details["view"] == "change"

    def test_its_history_page_records_the_record_read(self, client_as, admin_user, model, record):
        response = client_as(admin_user).get(_admin_url(model, "history", record.pk))

        assert response.status_code == 200
        _, target_id = _read_target(record)
        event = _only_event(actor=admin_user)
        assert (event.target_id, event.details["view"]) == (target_id, "history")

    def test_its_deletion_page_records_the_record_read_when_it_may_be_deleted(
        self, client_as, admin_user, model, record
    ):
        response = client_as(admin_user).get(_admin_url(model, "delete", record.pk))

        if response.status_code == 403:
            # The register and the audit trail are never deleted: nothing was shown.
            assert not ReadEvent.objects.exists()
            return
        assert response.status_code == 200
        _, target_id = _read_target(record)
        event = _only_event(actor=admin_user)
        assert (event.target_id, event.details["view"]) == (target_id, "delete")

    def test_no_line_holds_what_was_read(self, client_as, admin_user, model, record):
        client = client_as(admin_user)
        client.get(_admin_url(model, "changelist"), {"q": SECRET_NAME})
        client.get(_admin_url(model, "change", record.pk))

        assert ReadEvent.objects.count() == 2
        for event in ReadEvent.objects.all():
            assert SECRET_NAME not in str(event.details)


# The pages around the lists ---------------------------------------------------------------


def test_a_search_is_recorded_as_a_search_without_its_words(client_as, admin_user, site_ss):
    resident = _resident(site_ss)
    _resident(site_ss)  # another family of the same name

    client_as(admin_user).get(_admin_url(type(resident), "changelist"), {"q": SECRET_NAME})

    event = _only_event()
    assert event.details["searched"] is True
    assert event.details["count"] == 2
    assert SECRET_NAME not in str(event.details)


def test_a_refused_page_records_nothing(client_as, direction, site_ss):
    resident = _resident(site_ss)
    response = client_as(direction).get(_admin_url(type(resident), "change", resident.pk))

    assert response.status_code == 302
    assert not ReadEvent.objects.exists()


def test_the_add_page_shows_no_record_and_records_nothing(client_as, admin_user):
    response = client_as(admin_user).get(reverse("admin:residents_household_add"))

    assert response.status_code == 200
    assert not ReadEvent.objects.exists()


def test_a_reference_list_records_nothing(client_as, admin_user):
    response = client_as(admin_user).get(reverse("admin:interventions_theme_changelist"))
    assert response.status_code == 200
    assert not ReadEvent.objects.exists()


def test_an_actions_confirmation_records_the_records_selected(client_as, admin_user, site_ss):
    households = [_resident(site_ss).household for _ in range(2)]
    response = client_as(admin_user).post(
        reverse("admin:residents_household_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [h.pk for h in households]},
    )

    assert response.status_code == 200
    # A household is never deleted with its members (they are protected): the page says so,
    # naming the records by number only.
    assert SECRET_NAME not in response.content.decode()
    event = _only_event()
    assert event.details["view"] == "action"
    assert event.details["action"] == "delete_selected"
    assert sorted(event.details["ids"]) == sorted(h.pk for h in households)


def test_the_autocomplete_of_a_field_records_the_records_it_lists(client_as, admin_user, site_ss):
    household = _resident(site_ss).household
    response = client_as(admin_user).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "residents",
            "model_name": "resident",
            "field_name": "household",
            "term": SECRET_NAME[:7],
        },
    )

    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == str(household.pk)
    event = _only_event()
    assert event.target_type == ContentType.objects.get_for_model(type(household))
    assert event.details["view"] == "autocomplete"
    assert event.details["ids"] == [household.pk]
    assert SECRET_NAME not in str(event.details)


def test_the_autocomplete_of_staff_accounts_records_nothing(client_as, admin_user):
    response = client_as(admin_user).get(
        reverse("admin:autocomplete"),
        {"app_label": "residents", "model_name": "consent", "field_name": "obtained_by"},
    )

    assert response.status_code == 200
    assert not ReadEvent.objects.exists()


def test_a_list_keeps_a_bounded_number_of_record_numbers(client_as, admin_user, site_ss):
    HouseholdFactory.create_batch(3, site=site_ss)
    url = reverse("admin:residents_household_changelist")

    client_as(admin_user).get(url, {"all": ""})

    assert len(_only_event().details["ids"]) == 3 <= MAX_IDS


def test_a_lists_queries_do_not_grow_with_its_rows(
    client_as, admin_user, site_ss, django_assert_max_num_queries
):
    client = client_as(admin_user)
    url = reverse("admin:residents_household_changelist")
    HouseholdFactory.create_batch(3, site=site_ss)
    client.get(url)  # warms the content types
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    HouseholdFactory.create_batch(40, site=site_ss)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_direction_reads_the_administrations_readings_in_the_read_log(
    client_as, admin_user, direction, site_ss
):
    resident = _resident(site_ss)
    admin_client = client_as(admin_user)
    admin_client.get(reverse("admin:residents_resident_changelist"))
    admin_client.get(reverse("admin:residents_resident_change", args=[resident.pk]))

    with override("fr-ca"):
        page = client_as(direction).get(reverse("privacy:read_log")).content.decode()

    assert "Lu dans l’administration" in page
    assert f"nº {resident.pk}" in page
    assert "1 fiche listée" in page
    assert SECRET_NAME not in page
