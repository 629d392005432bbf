"""Roles: an account without one sees nothing, the admin role alone opens the Django admin."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from ema.access import can_review_privacy
from ema.accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import french, page_text
from tests.logins import log_in

NO_ROLE_MESSAGE = (
    "Your account has no role yet, so it cannot see any file. Ask the direction to give you a role."
)
WRONG_ROLE_MESSAGE = (
    "Your role does not allow this page. If you think you need it, ask the direction."
)


# An account without a role ------------------------------------------------------------------


@pytest.mark.parametrize("route", ["residents:site_list", "residents:household_list"])
def test_account_without_role_gets_403_on_the_lists(client_as, outsider, route):
    response = client_as(outsider).get(reverse(route))

    assert response.status_code == 403


def test_account_without_role_is_told_it_has_no_role(client_as, outsider):
    response = client_as(outsider).get(reverse("residents:site_list"))

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    text = page_text(response)
    assert french("Access denied") in text
    assert french(NO_ROLE_MESSAGE) in text
    assert french(WRONG_ROLE_MESSAGE) not in text


def test_account_without_role_has_no_links_to_the_files(client_as, outsider):
    response = client_as(outsider).get(reverse("residents:site_list"))

    content = response.content.decode()
    assert f'href="{reverse("residents:household_list")}"' not in content
    assert f'href="{reverse("accounts:password_change")}"' in content


def test_account_without_role_is_sent_from_home_to_a_403(client_as, outsider):
    response = client_as(outsider).get(reverse("home"), follow=True)

    assert response.status_code == 403


def test_account_without_role_can_change_its_password(client_as, outsider):
    client = client_as(outsider)

    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "une phrase facile a retenir 42",
            "new_password2": "une phrase facile a retenir 42",
        },
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password("une phrase facile a retenir 42")
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_account_without_role_can_log_out(client_as, outsider):
    client = client_as(outsider)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_account_without_role_can_log_in(client, outsider):
    response = client.post(
        reverse("accounts:login"), {"username": "sans.role", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(outsider.pk)


def test_role_that_does_not_allow_a_page_gets_the_other_403_message(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("residents:household_import"))

    assert response.status_code == 403
    text = page_text(response)
    assert french(WRONG_ROLE_MESSAGE) in text
    assert french(NO_ROLE_MESSAGE) not in text


@pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "direction", "admin_user"])
def test_every_role_opens_the_lists(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("residents:site_list")).status_code == 200
    assert client.get(reverse("residents:household_list")).status_code == 200


def test_anonymous_visitor_is_sent_to_login_not_to_a_403(client, db):
    response = client.get(reverse("residents:site_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The model: role properties and is_staff ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        (Role.ADMIN, True),
        (Role.DIRECTION, False),
        (Role.COORDINATION, False),
        (Role.INTERVENANT, False),
        ("", False),
    ],
)
def test_is_staff_follows_the_admin_role_on_save(db, role, is_staff):
    user = UserFactory(role=role)

    user.refresh_from_db()
    assert user.is_staff is is_staff


def test_is_staff_cannot_be_granted_without_the_admin_role(db):
    user = UserFactory(role=Role.DIRECTION, is_staff=True)

    user.refresh_from_db()
    assert user.is_staff is False


def test_taking_the_admin_role_away_with_update_fields_drops_is_staff(db):
    user = UserFactory(role=Role.ADMIN)
    assert user.is_staff

    user.role = Role.DIRECTION
    user.save(update_fields=["role"])

    user.refresh_from_db()
    assert user.role == Role.DIRECTION
    assert user.is_staff is False


def test_giving_the_admin_role_with_update_fields_grants_is_staff(db):
    user = UserFactory(role=Role.COORDINATION)

    user.role = Role.ADMIN
    user.save(update_fields=["role"])

    user.refresh_from_db()
    assert user.is_staff is True


def test_superuser_keeps_is_staff_whatever_its_role(db):
    user = UserFactory(role="", is_superuser=True)

    user.refresh_from_db()
    assert user.is_staff is True


def test_inactive_account_has_no_role_in_effect(db):
    user = UserFactory(role=Role.DIRECTION, is_active=False)

    assert not user.has_role
    assert not user.sees_all_sites
    assert not can_review_privacy(user)


@pytest.mark.parametrize(
    ("role", "sees_all_sites"),
    [
        (Role.INTERVENANT, False),
        (Role.COORDINATION, True),
        (Role.DIRECTION, True),
        (Role.ADMIN, True),
        ("", False),
    ],
)
def test_only_managers_see_every_site(db, role, sees_all_sites):
    assert UserFactory(role=role).sees_all_sites is sees_all_sites


# The Django admin ---------------------------------------------------------------------------


ADMIN_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:residents_household_changelist",
]


@pytest.mark.parametrize("route", ADMIN_PAGES)
def test_admin_role_opens_the_admin(client_as, admin_user, route):
    assert client_as(admin_user).get(reverse(route)).status_code == 200


@pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "direction"])
def test_other_roles_are_sent_to_the_admin_login(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_account_without_role_is_refused_the_admin(client_as, outsider):
    assert client_as(outsider).get(reverse("admin:index")).status_code == 403


def test_admin_role_that_loses_its_role_loses_the_admin(client_as, admin_user):
    client = client_as(admin_user)
    admin_user.role = Role.DIRECTION
    admin_user.save(update_fields=["role"])

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_link_shows_for_the_admin_role_only(client_as, admin_user, direction):
    admin_link = f'href="{reverse("admin:index")}"'
    sites = reverse("residents:site_list")

    assert admin_link in client_as(admin_user).get(sites).content.decode()
    assert admin_link not in client_as(direction).get(sites).content.decode()


def test_superuser_made_by_createsuperuser_can_open_the_admin(client, db):
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org")
    log_in(client, User.objects.get(username="root"))

    assert client.get(reverse("admin:index")).status_code == 200
