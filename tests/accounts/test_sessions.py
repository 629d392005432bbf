"""Sessions end after 30 idle minutes and 12 hours in all; logging out or changing one's
password ends the account's other sessions too."""

import html

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ema.accounts.sessions import LAST_SEEN_AT, STARTED_AT
from tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")
MY_DAY = reverse("interventions:my_day")


def log_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def age_session(client, *, idle: int = 0, since_login: int = 0) -> None:
    """Move the session's clock back, as if time had passed since the last page."""
    session = client.session
    session[LAST_SEEN_AT] -= idle
    session[STARTED_AT] -= since_login
    session.save()


def is_logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_the_settings_say_30_idle_minutes_and_12_hours():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    # The cookie itself does not outlive the longest session.
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_COOKIE_HTTPONLY


class TestIdleTimeout:
    def test_a_page_after_29_idle_minutes_keeps_the_session_alive(self, intervenant_ss):
        client = log_in(intervenant_ss)
        age_session(client, idle=29 * 60, since_login=29 * 60)
        before = client.session[LAST_SEEN_AT]
        assert client.get(MY_DAY).status_code == 200
        assert client.session[LAST_SEEN_AT] > before

    def test_after_30_idle_minutes_the_next_page_asks_to_log_in_again(self, intervenant_ss):
        client = log_in(intervenant_ss)
        age_session(client, idle=30 * 60)
        response = client.get(MY_DAY)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next={MY_DAY}"
        assert not is_logged_in(client)
        page = client.get(response["Location"])
        with translation.override("fr-ca"):
            expected = gettext(
                "Your session has ended after %(minutes)d minutes without activity. "
                "Please log in again."
            ) % {"minutes": 30}
        assert expected in html.unescape(page.content.decode())

    def test_a_form_posted_after_the_timeout_saves_nothing(self, intervenant_ss, site_ss):
        from interventions.models import Intervention

        client = log_in(intervenant_ss)
        age_session(client, idle=31 * 60)
        response = client.post(reverse("interventions:quick_log"), {"duration": "15"})
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)
        assert not Intervention.objects.exists()

    def test_reading_pages_within_a_minute_does_not_rewrite_the_session(self, intervenant_ss):
        client = log_in(intervenant_ss)
        mark = client.session[LAST_SEEN_AT]
        for _ in range(3):
            client.get(MY_DAY)
        assert client.session[LAST_SEEN_AT] == mark


class TestAbsoluteTimeout:
    def test_an_active_session_still_ends_12_hours_after_logging_in(self, intervenant_ss):
        client = log_in(intervenant_ss)
        age_session(client, since_login=12 * 60 * 60)
        response = client.get(MY_DAY)
        assert response.status_code == 302
        assert not is_logged_in(client)

    def test_eleven_hours_of_work_keep_going(self, intervenant_ss):
        client = log_in(intervenant_ss)
        age_session(client, since_login=11 * 60 * 60)
        assert client.get(MY_DAY).status_code == 200


class TestEndingOtherSessions:
    def test_logging_out_on_one_device_ends_the_session_on_the_others(self, intervenant_ss):
        phone, office = log_in(intervenant_ss), log_in(intervenant_ss)
        assert office.get(MY_DAY).status_code == 200
        phone.post(reverse("accounts:logout"))
        response = office.get(MY_DAY)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)

    def test_changing_the_password_keeps_this_session_and_ends_the_others(self, intervenant_ss):
        phone, office = log_in(intervenant_ss), log_in(intervenant_ss)
        new = "une phrase facile a retenir 42"
        response = phone.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        assert phone.get(MY_DAY).status_code == 200
        assert office.get(MY_DAY).status_code == 302

    def test_another_account_stays_logged_in(self, intervenant_ss, intervenant_ag):
        mine, theirs = log_in(intervenant_ss), log_in(intervenant_ag)
        mine.post(reverse("accounts:logout"))
        assert theirs.get(MY_DAY).status_code == 200


@pytest.mark.parametrize("persona", ["intervenant_ss", "outsider"])
def test_a_new_login_starts_the_clock(request, persona):
    user = request.getfixturevalue(persona)
    client = log_in(user)
    assert client.session[STARTED_AT] == client.session[LAST_SEEN_AT]
