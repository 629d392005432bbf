"""Logging in and out, the lockout after repeated failures, and changing one's password."""

from datetime import timedelta
from io import StringIO

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ema.accounts.forms import LoginForm
from ema.accounts.models import Role
from tests.factories import PASSWORD, UserFactory
from tests.helpers import french, page_text

LOGIN_URL = reverse("accounts:login")
# Django's French catalogue writes the apostrophe as U+2019.
FRENCH_USERNAME_LABEL = "Nom d\u2019utilisateur"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"
NEW_PASSWORD = "une phrase facile a retenir 42"


def invalid_login_message() -> str:
    with translation.override("fr-ca"):
        return LoginForm.error_messages["invalid_login"] % {
            "attempts": settings.AXES_FAILURE_LIMIT,
            "minutes": 30,
        }


def login(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def error_codes(form, field="__all__") -> list[str]:
    return [error.code for error in form.errors.as_data().get(field, [])]


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# The login page -----------------------------------------------------------------------------


def test_login_page_is_in_canadian_french_by_default(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert '<html lang="fr-ca">' in response.content.decode()
    text = page_text(response)
    # Django's own French catalogue labels the fields.
    assert FRENCH_USERNAME_LABEL in text
    assert "Mot de passe" in text


def test_login_page_is_open_to_anonymous_visitors_without_queries(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get(LOGIN_URL)

    assert response.status_code == 200


def test_right_password_logs_in_and_goes_home(client, intervenant_ss):
    response = login(client, "intervenant.ss", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_user_id(client) == str(intervenant_ss.pk)


def test_login_follows_a_next_page_of_the_site(client, intervenant_ss):
    households = reverse("residents:household_list")

    response = client.post(
        LOGIN_URL, {"username": "intervenant.ss", "password": PASSWORD, "next": households}
    )

    assert response.status_code == 302
    assert response["Location"] == households


def test_login_ignores_a_next_page_on_another_site(client, intervenant_ss):
    response = client.post(
        LOGIN_URL,
        {"username": "intervenant.ss", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_an_error_and_keeps_the_username(client, intervenant_ss):
    response = login(client, "intervenant.ss", WRONG_PASSWORD)

    assert response.status_code == 400
    form = response.context["form"]
    assert error_codes(form) == ["invalid_login"]
    assert invalid_login_message() in page_text(response)
    assert form["username"].value() == "intervenant.ss"
    assert 'value="intervenant.ss"' in response.content.decode()
    # The password typed is never sent back to the browser.
    assert WRONG_PASSWORD not in response.content.decode()
    assert logged_in_user_id(client) is None


def test_unknown_username_gets_the_same_error_as_a_wrong_password(client, db):
    response = login(client, "personne", PASSWORD)

    assert response.status_code == 400
    assert error_codes(response.context["form"]) == ["invalid_login"]
    assert logged_in_user_id(client) is None


def test_inactive_account_cannot_log_in(client, db):
    UserFactory(username="parti", role=Role.INTERVENANT, is_active=False)

    response = login(client, "parti", PASSWORD)

    assert response.status_code == 400
    assert error_codes(response.context["form"]) == ["invalid_login"]
    assert logged_in_user_id(client) is None


def test_deactivating_an_account_ends_its_open_session(client_as, intervenant_ss):
    client = client_as(intervenant_ss)
    intervenant_ss.is_active = False
    intervenant_ss.save(update_fields=["is_active"])

    response = client.get(reverse("residents:site_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_logged_in_person_opening_the_login_page_is_sent_home(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# Lockout, first line: the pair (username, address) ---------------------------------------
# The second line, counted per username over all addresses, is in test_throttle.py.

ADDRESS_A = "203.0.113.5"
ADDRESS_B = "198.51.100.7"


def fail(client, username, times, **extra):
    return [login(client, username, WRONG_PASSWORD, **extra).status_code for _ in range(times)]


def locked_page_text(minutes: int) -> str:
    with translation.override("fr-ca"):
        return ngettext(
            "Too many failed login attempts were made on this account from this network. "
            "Logging in to it from here is locked for %(minutes)s minute to protect the "
            "residents' files; each new attempt from here starts the wait again.",
            "Too many failed login attempts were made on this account from this network. "
            "Logging in to it from here is locked for %(minutes)s minutes to protect the "
            "residents' files; each new attempt from here starts the wait again.",
            minutes,
        ) % {"minutes": minutes}


def test_failures_below_the_limit_only_show_the_login_error(client, intervenant_ss):
    statuses = fail(client, "intervenant.ss", settings.AXES_FAILURE_LIMIT - 1)

    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1)


def test_the_failure_that_reaches_the_limit_locks_the_pair_at_once(client, intervenant_ss):
    fail(client, "intervenant.ss", settings.AXES_FAILURE_LIMIT - 1)

    response = login(client, "intervenant.ss", WRONG_PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_a_locked_pair_is_refused_even_with_the_right_password(client, direction):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail(client, "direction", 5, REMOTE_ADDR=ADDRESS_A)

    response = login(client, "direction", PASSWORD, REMOTE_ADDR=ADDRESS_A)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response["Retry-After"] == str(30 * 60)
    text = page_text(response)
    assert french("Account locked") in text
    assert locked_page_text(30) in text
    assert logged_in_user_id(client) is None


def test_the_director_with_the_right_password_at_another_address_is_not_locked(client, direction):
    # Five wrong passwords for `direction`, typed by a stranger somewhere else.
    stranger = type(client)()
    assert fail(stranger, "direction", 5, REMOTE_ADDR=ADDRESS_A)[-1] == 429

    response = login(client, "direction", PASSWORD, REMOTE_ADDR=ADDRESS_B)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(direction.pk)


def test_another_username_from_the_locked_address_is_not_locked(
    client, intervenant_ss, coordination
):
    fail(client, "intervenant.ss", 5)

    response = login(client, "coordination", PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(coordination.pk)


def test_the_pair_lock_ends_after_the_cooloff(client, intervenant_ss):
    fail(client, "intervenant.ss", 5, REMOTE_ADDR=ADDRESS_A)
    assert login(client, "intervenant.ss", PASSWORD, REMOTE_ADDR=ADDRESS_A).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    response = login(client, "intervenant.ss", PASSWORD, REMOTE_ADDR=ADDRESS_A)

    assert response.status_code == 302


def test_behind_a_proxy_the_pair_is_the_forwarded_address(client, settings, direction):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    stranger = type(client)()
    # The stranger's own X-Forwarded-For is kept on the left; the proxy appends the address.
    fail(stranger, "direction", 5, HTTP_X_FORWARDED_FOR=f"{ADDRESS_B}, {ADDRESS_A}", **proxy)

    response = login(client, "direction", PASSWORD, HTTP_X_FORWARDED_FOR=ADDRESS_B, **proxy)

    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == ADDRESS_A


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_lock(
    client, settings, direction
):
    # What TRUSTED_PROXY_COUNT is for (README, docs/operations.md): left at 0 behind a proxy.
    settings.TRUSTED_PROXY_COUNT = 0
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    stranger = type(client)()
    fail(stranger, "direction", 5, HTTP_X_FORWARDED_FOR=ADDRESS_A, **proxy)

    response = login(client, "direction", PASSWORD, HTTP_X_FORWARDED_FOR=ADDRESS_B, **proxy)

    assert response.status_code == 429


def test_spaces_around_the_username_do_not_dodge_the_lockout(client, intervenant_ss):
    # The login form strips the username; the lock must be keyed on what is authenticated.
    for variant in ["intervenant.ss", " intervenant.ss", "intervenant.ss ", " intervenant.ss "]:
        login(client, variant, WRONG_PASSWORD)
    login(client, "intervenant.ss  ", WRONG_PASSWORD)

    response = login(client, "intervenant.ss", PASSWORD)

    assert response.status_code == 429


def test_a_successful_login_clears_the_failures_of_its_pair(client, intervenant_ss):
    fail(client, "intervenant.ss", 4)
    assert login(client, "intervenant.ss", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    # Another browser at the same address, without the first one's device cookie.
    other = type(client)()

    statuses = fail(other, "intervenant.ss", 4)

    assert statuses == [400] * 4
    assert login(other, "intervenant.ss", PASSWORD).status_code == 302


def test_failures_are_recorded_for_the_pair(client, intervenant_ss):
    fail(client, "intervenant.ss", 2, REMOTE_ADDR=ADDRESS_A)
    fail(client, "intervenant.ss", 1, REMOTE_ADDR=ADDRESS_B)

    attempts = AccessAttempt.objects.filter(username="intervenant.ss")
    assert {(a.ip_address, a.failures_since_start) for a in attempts} == {
        (ADDRESS_A, 2),
        (ADDRESS_B, 1),
    }


def test_lockout_page_tells_the_wait_in_words_not_as_an_iso_duration(client, intervenant_ss):
    fail(client, "intervenant.ss", 5)

    response = login(client, "intervenant.ss", PASSWORD)

    text = page_text(response)
    assert "PT30M" not in text
    assert "30 minutes" in text


def test_axes_reset_username_unlocks_the_pair(client, intervenant_ss):
    fail(client, "intervenant.ss", 5)

    call_command("axes_reset_username", "intervenant.ss", stdout=StringIO())

    assert login(client, "intervenant.ss", PASSWORD).status_code == 302


def test_the_lockout_checks_pass_without_silencing(settings):
    # axes.W006 warns of a lockout on the username alone, which a stranger turns against anyone.
    assert "axes.W006" not in settings.SILENCED_SYSTEM_CHECKS
    assert not [m for m in run_checks(tags=["security"]) if m.id.startswith("axes.")]


# Logout -------------------------------------------------------------------------------------


def test_logout_by_post_ends_the_session(client_as, intervenant_ss):
    client = client_as(intervenant_ss)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert logged_in_user_id(client) is None
    after = client.get(reverse("residents:site_list"))
    assert after.status_code == 302
    assert after["Location"].startswith(LOGIN_URL)


def test_logout_refuses_get_and_keeps_the_session(client_as, intervenant_ss):
    client = client_as(intervenant_ss)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(intervenant_ss.pk)
    assert client.get(reverse("residents:site_list")).status_code == 200


# Password change ----------------------------------------------------------------------------

PASSWORD_CHANGE_URL = reverse("accounts:password_change")


def change_password(client, new, *, old=PASSWORD, confirm=None):
    return client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if confirm is None else confirm,
        },
    )


def test_password_change_page_opens(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(PASSWORD_CHANGE_URL)

    assert response.status_code == 200
    assert "Ancien mot de passe" in page_text(response)


def test_anonymous_visitor_is_sent_to_login_from_password_change(client, db):
    response = client.get(PASSWORD_CHANGE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_long_uncommon_password_is_accepted_and_keeps_the_session(client_as, intervenant_ss):
    client = client_as(intervenant_ss)

    response = change_password(client, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(NEW_PASSWORD)
    assert not intervenant_ss.check_password(PASSWORD)
    # The session survives the change (its hash is updated), so no new login is needed.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_new_password_works_at_the_next_login(client_as, intervenant_ss):
    client = client_as(intervenant_ss)
    change_password(client, NEW_PASSWORD)
    client.post(reverse("accounts:logout"))

    assert login(client, "intervenant.ss", PASSWORD).status_code == 400
    assert login(client, "intervenant.ss", NEW_PASSWORD).status_code == 302


def test_short_password_is_refused_and_nothing_changes(client_as, intervenant_ss):
    response = change_password(client_as(intervenant_ss), "court123")

    assert response.status_code == 200
    assert error_codes(response.context["form"], "new_password2") == ["password_too_short"]
    assert (
        "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."
        in page_text(response)
    )
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(PASSWORD)


def test_common_password_is_refused_and_nothing_changes(client_as, intervenant_ss):
    # "password1234" is in Django's list of common passwords and is 12 characters long.
    response = change_password(client_as(intervenant_ss), "password1234")

    assert response.status_code == 200
    assert error_codes(response.context["form"], "new_password2") == ["password_too_common"]
    assert "Ce mot de passe est trop courant." in page_text(response)
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(PASSWORD)


def test_password_like_the_username_is_refused(client_as, intervenant_ss):
    response = change_password(client_as(intervenant_ss), "intervenant.ss.2026")

    assert response.status_code == 200
    assert error_codes(response.context["form"], "new_password2") == ["password_too_similar"]
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(PASSWORD)


def test_wrong_old_password_is_refused_and_nothing_changes(client_as, intervenant_ss):
    response = change_password(client_as(intervenant_ss), NEW_PASSWORD, old=WRONG_PASSWORD)

    assert response.status_code == 200
    assert error_codes(response.context["form"], "old_password") == ["password_incorrect"]
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(PASSWORD)


def test_mismatched_confirmation_is_refused_and_nothing_changes(client_as, intervenant_ss):
    response = change_password(
        client_as(intervenant_ss), NEW_PASSWORD, confirm="une autre phrase a retenir 43"
    )

    assert response.status_code == 200
    assert error_codes(response.context["form"], "new_password2") == ["password_mismatch"]
    intervenant_ss.refresh_from_db()
    assert intervenant_ss.check_password(PASSWORD)
