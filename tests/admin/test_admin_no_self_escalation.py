"""The Django admin does not let an administrator become someone else or read what is not
its own: a field naming a staff account (author, co-intervenants, follow-up, who obtained a
consent, who created a referral) is read-only there, a restricted note is never shown,
searched or filtered on, a two-factor device is never added or moved, and an account cannot
change its own role, superuser flag or active flag (ema.admin_privacy, ema/accounts/admin.py).
"""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.accounts.models import Role
from ema.admin_privacy import PersonalInformationAdmin, restricted_fields, staff_fields
from interventions.models import Intervention
from interventions.summaries import summaries_differences
from tests.factories import InterventionFactory, UserFactory
from tests.logins import totp_device
from tests.partners.factories import ReferralFactory

# The fields that only their author and the direction read (the sweep below checks that the
# mechanism knows them all).
RESTRICTED = {Intervention: {"restricted_note"}}
NOTE = "Note confidentielle 4471 : la mère craint pour sa sécurité."

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)
IDS = [model._meta.label_lower for model, _ in REGISTRY]


@pytest.fixture
def admin_request(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


def _editable_fields(form_class) -> set[str]:
    return set(form_class.base_fields)


def _admin_and_inlines(model_admin, request):
    """The admin itself, then each inline it shows, with whether it may add and change."""
    yield (
        model_admin,
        model_admin.has_add_permission(request),
        (model_admin.has_change_permission(request)),
        model_admin.get_form(request, None),
    )
    for inline in model_admin.get_inline_instances(request, None):
        yield (
            inline,
            inline.has_add_permission(request, None),
            (inline.has_change_permission(request, None)),
            inline.get_formset(request, None).form,
        )


# The sweeps --------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_no_admin_lets_an_administrator_say_who_did_the_work(model, model_admin, admin_request):
    for shown, may_add, may_change, form in _admin_and_inlines(model_admin, admin_request):
        staff = set(staff_fields(shown.model))
        if staff and (may_add or may_change):
            assert not staff & _editable_fields(form), f"{type(shown).__name__} edits {staff}"
        if staff:
            assert not may_add, f"{type(shown).__name__} adds records naming a staff account"
        assert not staff & set(getattr(shown, "list_editable", ()))


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_no_admin_shows_searches_or_filters_on_a_restricted_field(
    model, model_admin, admin_request
):
    for shown, _, _, form in _admin_and_inlines(model_admin, admin_request):
        secret = RESTRICTED.get(shown.model, set())
        assert not secret & _editable_fields(form)
        assert not secret & set(shown.get_readonly_fields(admin_request))
        assert not secret & set(shown.get_fields(admin_request))
    secret = RESTRICTED.get(model, set())
    assert not secret & set(model_admin.get_list_display(admin_request))
    assert not secret & set(model_admin.get_list_filter(admin_request))
    searched = {
        name.lstrip("^=@").split("__")[0] for name in model_admin.get_search_fields(admin_request)
    }
    assert not secret & searched
    # Nor through the address: ?restricted_note__icontains=... would tell what a note says.
    for lookup in _lookups_reaching_a_restricted_field(model):
        assert not model_admin.lookup_allowed(f"{lookup}__icontains", "x", admin_request), lookup


def _lookups_reaching_a_restricted_field(model):
    lookups = list(RESTRICTED.get(model, ()))
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model in RESTRICTED:
            lookups += [f"{field.name}__{name}" for name in RESTRICTED[field.related_model]]
    return lookups


def test_the_mechanism_knows_every_restricted_field():
    for model, names in RESTRICTED.items():
        assert names <= restricted_fields(model)


@pytest.mark.parametrize(
    "model",
    [m for m, a in REGISTRY if isinstance(a, PersonalInformationAdmin)],
    ids=lambda m: m._meta.label_lower,
)
def test_no_action_of_a_personal_record_does_more_than_delete(model, admin_request):
    actions = admin.site._registry[model].get_actions(admin_request)
    assert set(actions) <= {"delete_selected"}


# Interventions -------------------------------------------------------------------------------


def _form_data(response) -> dict:
    """What the browser would post back from an admin change page, as it stands."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


@pytest.fixture
def noted(intervenant_ss, site_ss):
    return InterventionFactory(author=intervenant_ss, site=site_ss, restricted_note=NOTE)


def test_posting_author_self_leaves_the_author_unchanged(client_as, admin_user, noted):
    client = client_as(admin_user)
    url = reverse("admin:interventions_intervention_change", args=[noted.pk])
    data = _form_data(client.get(url))
    data.update(
        author=admin_user.pk,
        co_intervenants=[admin_user.pk],
        follow_up_by=admin_user.pk,
        follow_up_due="2030-01-01",
        summary="Corrigé par l'administration.",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    noted.refresh_from_db()
    assert noted.summary == "Corrigé par l'administration."  # the rest of the form saved
    assert noted.author != admin_user
    assert not noted.co_intervenants.exists()
    assert noted.follow_up_by is None
    assert noted.restricted_note == NOTE


def test_the_admin_cannot_add_an_intervention(client_as, admin_user):
    client = client_as(admin_user)
    assert client.get(reverse("admin:interventions_intervention_add")).status_code == 403


def test_the_intervention_page_shows_the_author_but_not_the_note(client_as, admin_user, noted):
    page = client_as(admin_user).get(
        reverse("admin:interventions_intervention_change", args=[noted.pk])
    )

    content = page.content.decode()
    assert str(noted.author) in content
    assert "4471" not in content
    assert 'name="author"' not in content


def test_a_restricted_note_cannot_be_guessed_from_the_list(client_as, admin_user, noted):
    client = client_as(admin_user)
    url = reverse("admin:interventions_intervention_changelist")

    response = client.get(url, {"restricted_note__icontains": "4471"})

    assert response.status_code == 400
    assert client.get(url, {"q": "4471"}).context["cl"].result_count == 0


def test_the_audit_trail_of_an_intervention_masks_its_note(client_as, admin_user, noted):
    entry = LogEntry.objects.get_for_object(noted).latest("timestamp")
    page = client_as(admin_user).get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert page.status_code == 200
    assert "4471" not in page.content.decode()


# Referrals and consents --------------------------------------------------------------------


def test_who_created_a_referral_and_who_is_responsible_are_read_only(
    client_as, admin_user, coordination
):
    referral = ReferralFactory(responsible=coordination)
    client = client_as(admin_user)
    url = reverse("admin:partners_referral_change", args=[referral.pk])
    data = _form_data(client.get(url))
    data.update(created_by=admin_user.pk, responsible=admin_user.pk, reason="Besoin précisé.")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    referral.refresh_from_db()
    assert referral.reason == "Besoin précisé."
    assert (referral.created_by, referral.responsible) == (coordination, coordination)


@pytest.mark.parametrize("route", ["admin:partners_referral_add", "admin:residents_consent_add"])
def test_records_naming_who_made_them_are_not_added_in_the_admin(client_as, admin_user, route):
    assert client_as(admin_user).get(reverse(route)).status_code == 403


# Accounts ----------------------------------------------------------------------------------


def _account_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_an_admin_cannot_give_itself_the_direction_role(client_as, admin_user):
    client = client_as(admin_user)
    data = _form_data(client.get(_account_url(admin_user)))
    data.update(role=Role.DIRECTION, is_superuser="on", first_name="Autre")
    data.pop("is_active", None)

    response = client.post(_account_url(admin_user), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Autre"  # its name is its own to correct
    assert (admin_user.role, admin_user.is_superuser, admin_user.is_active) == (
        Role.ADMIN,
        False,
        True,
    )


def test_another_admin_may_change_an_admins_role(client_as, admin_user):
    other = UserFactory(username="admin.deux", role=Role.ADMIN)
    client = client_as(admin_user)
    data = _form_data(client.get(_account_url(other)))
    data.update(role=Role.DIRECTION)

    assert client.post(_account_url(other), data).status_code == 302
    other.refresh_from_db()
    assert other.role == Role.DIRECTION


def test_the_own_account_page_shows_the_role_without_a_field(client_as, admin_user):
    content = client_as(admin_user).get(_account_url(admin_user)).content.decode()
    assert 'name="role"' not in content
    assert 'name="is_active"' not in content


# Two-factor devices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route", ["admin:otp_totp_totpdevice_add", "admin:otp_static_staticdevice_add"]
)
def test_an_admin_cannot_add_a_device_to_an_account(client_as, admin_user, route):
    assert client_as(admin_user).get(reverse(route)).status_code == 403


def test_an_admin_cannot_move_its_device_to_another_account(client_as, admin_user, direction):
    client = client_as(admin_user)
    device = totp_device(admin_user)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])

    response = client.post(url, {"user": direction.pk, "name": "Téléphone", "confirmed": "on"})

    assert response.status_code == 403
    device.refresh_from_db()
    assert device.user == admin_user
    assert not TOTPDevice.objects.filter(user=direction).exclude(pk=device.pk).exists()
    assert not StaticDevice.objects.filter(user=direction).exists()


def test_every_staff_relation_is_to_the_user_model():
    # The mechanism finds staff fields by their model: the project's accounts.
    assert get_user_model()._meta.label == "accounts.User"
    assert set(staff_fields(Intervention)) == {"author", "co_intervenants", "follow_up_by"}


def test_a_staff_field_made_editable_in_a_list_fails_the_system_checks():
    class Careless(PersonalInformationAdmin, admin.ModelAdmin):
        list_display = ["date", "author"]
        list_editable = ["author"]

    errors = Careless(Intervention, admin.site).check()

    assert "ema.E001" in {error.id for error in errors}


def test_a_correction_or_a_deletion_in_the_admin_moves_the_figures_with_it(
    client_as, admin_user, noted, site_ag
):
    """The admin writes past the services: it computes the months again as they do."""
    client = client_as(admin_user)
    url = reverse("admin:interventions_intervention_change", args=[noted.pk])
    data = _form_data(client.get(url))
    data.update(site=site_ag.pk, date=(noted.date - timedelta(days=40)).isoformat())

    assert client.post(url, data).status_code == 302
    assert set(summaries_differences().values()) == {0}

    other = InterventionFactory(site=noted.site)
    changelist = reverse("admin:interventions_intervention_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [noted.pk, other.pk], "post": "yes"},
    )
    assert not Intervention.objects.exists()
    assert set(summaries_differences().values()) == {0}
