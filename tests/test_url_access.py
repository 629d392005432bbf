"""Every URL pattern of the project against every role. A new URL without an expectation
here fails the suite: access is decided on purpose, never by accident."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ema.accounts.models import Role
from partners.models import Organisation, Referral
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    UserFactory,
)
from tests.incidents.factories import IncidentFactory
from tests.logins import log_in

ROLES = [
    "anonymous",
    "intervenant_site",
    "intervenant_other_site",
    "coordination",
    "direction",
    "admin",
    "no_role",
]

LOGIN = "login"  # a redirect to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def expect(
    *, anonymous=LOGIN, site=OK, other=OK, coordination=OK, direction=OK, admin=OK, none=FORBIDDEN
):
    return dict(
        zip(ROLES, [anonymous, site, other, coordination, direction, admin, none], strict=True)
    )


EVERY_ROLE = expect()
OBJECT_OF_THE_SITE = expect(other=NOT_FOUND)
MANAGERS_ONLY = expect(site=FORBIDDEN, other=FORBIDDEN)
DIRECTION_ONLY = expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN)

# route name -> (method, object the URL points to, expected outcome per role)
EXPECTATIONS = {
    "interventions:my_day": ("get", None, EVERY_ROLE),
    "interventions:quick_log": ("get", None, EVERY_ROLE),
    "interventions:intervention_list": ("get", None, EVERY_ROLE),
    "interventions:intervention_create": ("get", None, EVERY_ROLE),
    "interventions:intervention_detail": ("get", "intervention", OBJECT_OF_THE_SITE),
    # Only the author (the intervenant of the site) and the direction change an intervention.
    "interventions:intervention_update": (
        "get",
        "intervention",
        expect(other=NOT_FOUND, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "interventions:intervention_delete": (
        "get",
        "intervention",
        expect(other=NOT_FOUND, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "interventions:follow_ups": ("get", None, EVERY_ROLE),
    "interventions:intervention_export": ("get", None, MANAGERS_ONLY),
    # The follow-up is the author's: the direction may close it too.
    "interventions:follow_up_done": (
        "post",
        "intervention",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=FORBIDDEN,
            direction=REDIRECT,
            admin=FORBIDDEN,
        ),
    ),
    "interventions:activity_list": ("get", None, EVERY_ROLE),
    "interventions:activity_create": ("get", None, EVERY_ROLE),
    "interventions:activity_detail": ("get", "activity", OBJECT_OF_THE_SITE),
    "interventions:activity_update": ("get", "activity", OBJECT_OF_THE_SITE),
    "interventions:session_create": ("get", "activity", OBJECT_OF_THE_SITE),
    "partners:organisation_list": ("get", None, EVERY_ROLE),
    "partners:organisation_detail": ("get", "organisation", EVERY_ROLE),
    "partners:organisation_create": ("get", None, MANAGERS_ONLY),
    "partners:organisation_update": ("get", "organisation", MANAGERS_ONLY),
    "partners:membership_create": ("get", "committee", MANAGERS_ONLY),
    "partners:network": ("get", None, EVERY_ROLE),
    "partners:referral_queue": ("get", None, EVERY_ROLE),
    "partners:referral_export": ("get", None, MANAGERS_ONLY),
    # Coordination and the intervenants of the site act on referrals; the direction reads.
    "partners:referral_create": ("get", None, expect(direction=FORBIDDEN)),
    "partners:referral_detail": ("get", "referral", OBJECT_OF_THE_SITE),
    "partners:referral_update": (
        "get",
        "referral",
        expect(other=NOT_FOUND, direction=FORBIDDEN),
    ),
    # Recording the consent a referral waits for is acting on it.
    "partners:referral_consent_create": (
        "get",
        "referral",
        expect(other=NOT_FOUND, direction=FORBIDDEN),
    ),
    "partners:referral_status": (
        "post",
        "referral",
        # A POST without a status is refused as bad input (400) by those who may act.
        expect(site=400, other=NOT_FOUND, coordination=400, direction=FORBIDDEN, admin=400),
    ),
    "dashboard": ("get", None, expect(site=FORBIDDEN, other=FORBIDDEN)),
    "dashboard_settings": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "my_month": ("get", None, EVERY_ROLE),
    "annual_report": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN),
    ),
    "not_reached": ("get", None, EVERY_ROLE),
    "home": (
        "get",
        None,
        expect(
            site=REDIRECT, other=REDIRECT, coordination=REDIRECT, direction=REDIRECT, admin=REDIRECT
        ),
    ),
    "set_language": (
        "post",
        None,
        expect(
            anonymous=REDIRECT,
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
        ),
    ),
    "accounts:login": (
        "get",
        None,
        expect(
            anonymous=OK,
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
        ),
    ),
    "accounts:logout": (
        "post",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
        ),
    ),
    "accounts:password_change": ("get", None, expect(none=OK)),
    "accounts:password_change_done": ("get", None, expect(none=OK)),
    # Two-factor authentication is for every account, with or without a role. The code page
    # sends on whoever owes no code (every persona here has given its code, or has no device).
    "accounts:two_factor_verify": (
        "get",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
        ),
    ),
    "accounts:two_factor_enrol": ("get", None, expect(none=OK)),
    "accounts:two_factor": ("get", None, expect(none=OK)),
    # New recovery codes need a code given in this session: the others are sent to give one.
    "accounts:two_factor_recovery_codes": (
        "post",
        None,
        expect(site=REDIRECT, other=REDIRECT, coordination=REDIRECT, none=REDIRECT),
    ),
    # Roles that require two-factor authentication cannot turn it off.
    "accounts:two_factor_disable": (
        "post",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=FORBIDDEN,
            admin=FORBIDDEN,
            none=REDIRECT,
        ),
    ),
    "privacy:read_log": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # Who changed a staff account's role, sites, flags or second factor: the direction reviews
    # the administrators' work.
    "privacy:account_changes": ("get", None, DIRECTION_ONLY),
    # Retention (Law 25): the direction reviews the files due for anonymisation.
    "privacy:retention_due": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # Access and portability (Law 25, s. 27): handled by the direction, which is in charge
    # of personal information; the role is checked before the file is looked up.
    "privacy:resident_personal_information": (
        "get",
        "resident",
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "privacy:resident_personal_information_json": (
        "get",
        "resident",
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # The register of confidentiality incidents (Law 25) is the direction's.
    "incidents:incident_list": ("get", None, DIRECTION_ONLY),
    "incidents:incident_create": ("get", None, DIRECTION_ONLY),
    "incidents:incident_detail": ("get", "incident", DIRECTION_ONLY),
    "incidents:incident_update": ("get", "incident", DIRECTION_ONLY),
    "incidents:incident_export": ("get", None, DIRECTION_ONLY),
    "residents:site_list": ("get", None, EVERY_ROLE),
    "residents:household_list": ("get", None, EVERY_ROLE),
    "residents:household_create": ("get", None, EVERY_ROLE),
    "residents:household_import": ("get", None, MANAGERS_ONLY),
    "residents:household_import_confirm": (
        "post",
        None,
        expect(
            site=FORBIDDEN,
            other=FORBIDDEN,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
        ),
    ),
    "residents:household_detail": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:household_update": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:household_move_out": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:resident_detail": ("get", "resident", OBJECT_OF_THE_SITE),
    "residents:consent_create": ("get", "resident", OBJECT_OF_THE_SITE),
    "residents:consent_withdraw": (
        "post",
        "consent",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
        ),
    ),
}

# The Django admin is one namespace with its own gate: only the admin role gets in; the
# others, anonymous included, are sent to the admin's login page.
ADMIN_SAMPLES = [
    "admin:index",
    "admin:residents_household_changelist",
    "admin:accounts_user_changelist",
]
ADMIN_EXPECTED = expect(
    anonymous=REDIRECT,
    site=REDIRECT,
    other=REDIRECT,
    coordination=REDIRECT,
    direction=REDIRECT,
    admin=OK,
    none=FORBIDDEN,
)


def _route_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def test_every_url_pattern_has_an_expectation():
    routes = set(_route_names(get_resolver().url_patterns))
    unknown = {name for name in routes if not name.startswith("admin:")} - set(EXPECTATIONS)
    assert not unknown, f"URL patterns without an access expectation: {sorted(unknown)}"
    assert not set(EXPECTATIONS) - routes, "Expectations for URLs that no longer exist"


@pytest.fixture
def world(site_ss, site_ag):
    household = HouseholdFactory(site=site_ss)
    resident = ConsentedResidentFactory(household=household)
    users = {
        "intervenant_site": UserFactory(role=Role.INTERVENANT, sites=[site_ss]),
        "intervenant_other_site": UserFactory(role=Role.INTERVENANT, sites=[site_ag]),
        "coordination": UserFactory(role=Role.COORDINATION),
        "direction": UserFactory(role=Role.DIRECTION),
        "admin": UserFactory(role=Role.ADMIN),
        "no_role": UserFactory(role=""),
    }
    author = users["intervenant_site"]
    intervention = InterventionFactory(site=site_ss, author=author, follow_up_due=date(2026, 1, 5))
    activity = GroupActivityFactory(site=site_ss)
    committee = Organisation.objects.create(
        name="Comité des locataires",
        kind=Organisation.Kind.TENANT_COMMITTEE,
        committee_site=site_ss,
    )
    referral = Referral.objects.create(
        household=household,
        resident=resident,
        site=site_ss,
        organisation=committee,
        reason="Besoin d’aide pour le bail.",
        responsible=author,
        created_by=author,
    )
    objects = {
        "household": household,
        "resident": resident,
        "consent": resident.consents.get(),
        "intervention": intervention,
        "activity": activity,
        "organisation": committee,
        "committee": committee,
        "referral": referral,
        "incident": IncidentFactory(recorded_by=users["direction"]),
    }
    return users, objects


def _request(client, users, role, method, url):
    if role != "anonymous":
        log_in(client, users[role])
    return getattr(client, method)(url)


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(EXPECTATIONS))
def test_url_access_by_role(client, world, route, role):
    users, objects = world
    method, target, expected = EXPECTATIONS[route]
    args = [objects[target].pk] if target else []
    response = _request(client, users, role, method, reverse(route, args=args))
    _check(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ADMIN_SAMPLES)
def test_admin_is_for_the_admin_role_only(client, world, route, role):
    users, _ = world
    response = _request(client, users, role, "get", reverse(route))
    expected = ADMIN_EXPECTED[role]
    if expected == REDIRECT:
        assert response.status_code == 302
        logins = (reverse("admin:login"), reverse("accounts:login"))
        assert response["Location"].startswith(logins)
    else:
        _check(response, expected)


# Django's set_language answers a GET with a redirect and changes nothing; every other
# action of the project refuses GET.
POST_ONLY = [
    name
    for name, (method, _, _) in EXPECTATIONS.items()
    if method == "post" and name != "set_language"
]


@pytest.mark.parametrize("route", POST_ONLY)
def test_actions_refuse_get(client, world, route):
    users, objects = world
    _, target, _ = EXPECTATIONS[route]
    log_in(client, users["direction"])
    args = [objects[target].pk] if target else []
    assert client.get(reverse(route, args=args)).status_code == NOT_ALLOWED
