"""The second line of the login's defence: failures on one username counted over every
address, a growing delay past a threshold, and the device cookie that keeps the person's own
browser out of it (ema.accounts.throttle). The first line, the (username, address) lock, is
in test_login.py."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ema import settings as project_settings
from ema.accounts import throttle
from ema.accounts.models import LoginFailure, User
from tests.factories import PASSWORD
from tests.helpers import page_text

LOGIN_URL = reverse("accounts:login")
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"
ADDRESS = "192.0.2.10"


def login(client, username, password, address=ADDRESS, **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def address(number: int) -> str:
    return f"198.51.{number // 250}.{number % 250 + 1}"


def spread_failures(username: str, count: int, *, first: int = 0) -> list[int]:
    """Wrong passwords from `count` browsers at as many addresses: no pair is ever locked."""
    return [
        login(Client(), username, WRONG_PASSWORD, address(first + n)).status_code
        for n in range(count)
    ]


def reach_threshold(settings, username: str) -> None:
    """Wrong passwords from many addresses, up to the threshold of the username."""
    counted = LoginFailure.objects.filter(username_key=throttle.username_key(username)).count()
    missing = settings.LOGIN_THROTTLE_THRESHOLD - counted
    assert spread_failures(username, missing, first=counted) == [400] * missing


def age_failures(by: timedelta) -> None:
    """As if the failures so far had happened `by` earlier."""
    LoginFailure.objects.update(failed_at=F("failed_at") - by)


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def throttled_text(minutes: int) -> str:
    with translation.override("fr-ca"):
        return ngettext(
            "Many failed login attempts were made on this account, from several networks. "
            "To protect the residents' files, the next attempt has to wait %(minutes)s more "
            "minute; your password was not checked.",
            "Many failed login attempts were made on this account, from several networks. "
            "To protect the residents' files, the next attempt has to wait %(minutes)s more "
            "minutes; your password was not checked.",
            minutes,
        ) % {"minutes": minutes}


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Fewer requests to reach the threshold; still above the pair's limit, so that no single
    address can reach it."""
    settings.LOGIN_THROTTLE_THRESHOLD = 8
    assert settings.LOGIN_THROTTLE_THRESHOLD > settings.AXES_FAILURE_LIMIT


@pytest.fixture
def password_checks(monkeypatch):
    """Every password that gets checked, in order."""
    checked = []
    check_password = User.check_password

    def spy(user, raw_password):
        checked.append(raw_password)
        return check_password(user, raw_password)

    monkeypatch.setattr(User, "check_password", spy)
    return checked


def test_the_defaults_are_those_the_docs_give():
    assert project_settings.LOGIN_THROTTLE_THRESHOLD == 40
    assert project_settings.LOGIN_THROTTLE_WINDOW.total_seconds() == 24 * 60 * 60
    assert project_settings.LOGIN_THROTTLE_FIRST_DELAY.total_seconds() == 60
    assert project_settings.LOGIN_THROTTLE_MAX_DELAY.total_seconds() == 15 * 60
    assert project_settings.LOGIN_DEVICE_COOKIE_AGE.days == 180
    assert project_settings.TRUSTED_PROXY_COUNT == 0
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# The threshold and the delay ----------------------------------------------------------------


def test_failures_from_many_addresses_reach_the_threshold_then_the_right_password_waits(
    client, settings, direction, password_checks
):
    reach_threshold(settings, "direction")
    password_checks.clear()

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert response.status_code == 429
    assert "registration/login_throttled.html" in [t.name for t in response.templates]
    assert password_checks == []
    assert logged_in_user_id(client) is None
    assert response["Retry-After"] == "60"
    text = page_text(response)
    with translation.override("fr-ca"):
        assert translation.gettext("Login paused") in text
    assert throttled_text(1) in text
    assert "jusqu’à 15 minutes" in text


def test_below_the_threshold_the_password_is_checked(client, settings, direction):
    spread_failures("direction", settings.LOGIN_THROTTLE_THRESHOLD - 1)

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(direction.pk)


def test_after_the_delay_the_password_is_checked(client, settings, direction, password_checks):
    reach_threshold(settings, "direction")
    age_failures(settings.LOGIN_THROTTLE_FIRST_DELAY)
    password_checks.clear()

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert password_checks == [PASSWORD]
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(direction.pk)


def test_the_delay_doubles_with_each_further_failure(client, settings, direction):
    reach_threshold(settings, "direction")
    age_failures(timedelta(minutes=1))
    # One more failure, once the first delay is over: the next wait is two minutes.
    assert login(Client(), "direction", WRONG_PASSWORD, address(100)).status_code == 400
    age_failures(timedelta(minutes=1))

    one_minute_later = login(client, "direction", PASSWORD, address(101))

    assert one_minute_later.status_code == 429
    assert one_minute_later["Retry-After"] == "60"
    assert throttled_text(1) in page_text(one_minute_later)
    age_failures(timedelta(minutes=1))
    assert login(client, "direction", PASSWORD, address(102)).status_code == 302


def test_the_delay_grows_up_to_its_maximum(settings):
    threshold = settings.LOGIN_THROTTLE_THRESHOLD

    delays = [throttle.delay_after(threshold + n) for n in range(-1, 6)]

    minutes = [delay.total_seconds() / 60 for delay in delays]
    assert minutes == [0, 1, 2, 4, 8, 15, 15]
    assert throttle.delay_after(threshold + 10_000) == timedelta(minutes=15)


def test_an_attempt_refused_by_the_delay_is_not_counted(client, settings, direction):
    reach_threshold(settings, "direction")

    for _ in range(3):
        assert login(client, "direction", WRONG_PASSWORD, "203.0.113.99").status_code == 429

    assert LoginFailure.objects.count() == settings.LOGIN_THROTTLE_THRESHOLD


def test_the_pair_lock_keeps_one_address_from_pushing_the_username_into_the_delay(
    client, settings, direction
):
    # A stranger hammers from one address: only the failures axes let through are counted.
    stranger = Client()
    for _ in range(settings.LOGIN_THROTTLE_THRESHOLD + 10):
        login(stranger, "direction", WRONG_PASSWORD, "203.0.113.66")

    assert LoginFailure.objects.count() == settings.AXES_FAILURE_LIMIT
    response = login(client, "direction", PASSWORD, ADDRESS)
    assert response.status_code == 302


def test_the_attempt_is_counted_before_its_password_is_checked(client, direction, monkeypatch):
    # So that attempts sent together cannot all pass the check before any is counted.
    counted_during_the_check = []
    check_password = User.check_password

    def spy(user, raw_password):
        counted_during_the_check.append(LoginFailure.objects.count())
        return check_password(user, raw_password)

    monkeypatch.setattr(User, "check_password", spy)

    login(client, "direction", PASSWORD)

    assert counted_during_the_check == [1]
    # The right password takes the attempt back.
    assert not LoginFailure.objects.exists()


def test_a_successful_login_leaves_the_failures_over_all_addresses(client, settings, direction):
    spread_failures("direction", settings.LOGIN_THROTTLE_THRESHOLD - 1)

    assert login(client, "direction", PASSWORD).status_code == 302

    # Those may be a stranger's guesses: the person's login does not give them a fresh start.
    assert LoginFailure.objects.count() == settings.LOGIN_THROTTLE_THRESHOLD - 1


def test_failures_older_than_the_window_are_forgotten(client, settings, direction):
    reach_threshold(settings, "direction")
    age_failures(settings.LOGIN_THROTTLE_WINDOW)

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert response.status_code == 302
    # Pruned, not only ignored: the table holds the window and no more.
    assert not LoginFailure.objects.exists()


def test_the_delay_of_one_username_leaves_the_others_alone(
    client, settings, direction, coordination
):
    reach_threshold(settings, "direction")

    response = login(client, "coordination", PASSWORD, "203.0.113.99")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(coordination.pk)


def test_the_case_of_the_username_does_not_dodge_the_count(client, settings, direction):
    spread_failures("DIRECTION", settings.LOGIN_THROTTLE_THRESHOLD)

    assert login(client, "direction", PASSWORD, "203.0.113.99").status_code == 429


def test_an_unknown_username_is_counted_like_an_account(client, settings, db):
    # The answers do not tell which usernames are accounts.
    reach_threshold(settings, "personne")

    assert login(client, "personne", PASSWORD, "203.0.113.99").status_code == 429


def test_the_username_is_never_stored_as_typed(client, db):
    login(client, "Léa Tremblay", WRONG_PASSWORD)

    stored = list(LoginFailure.objects.values_list("username_key", "device"))
    assert stored == [(throttle.username_key("Léa Tremblay"), None)]
    assert "Tremblay" not in repr(stored)


def test_reaching_the_threshold_is_logged_without_what_was_typed(settings, direction, caplog):
    settings.LOGIN_THROTTLE_THRESHOLD = 3
    with caplog.at_level(logging.WARNING, logger="ema.accounts.throttle"):
        spread_failures("direction", 3)
        spread_failures("Léa Tremblay", 3, first=10)

    messages = [r.getMessage() for r in caplog.records if r.name == "ema.accounts.throttle"]
    assert len(messages) == 2
    assert "the account 'direction'" in messages[0]
    assert "a username of no account" in messages[1]
    assert "Tremblay" not in " ".join(messages)


# The device cookie --------------------------------------------------------------------------


def test_a_successful_login_gives_the_browser_a_device_cookie(client, intervenant_ss):
    response = login(client, "intervenant.ss", PASSWORD)

    cookie = response.cookies[throttle.DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == LOGIN_URL
    assert cookie["max-age"] == 180 * 24 * 60 * 60
    # Signed, and naming the username only as its keyed hash.
    assert "intervenant" not in cookie.value
    entries = signing.loads(cookie.value, salt=throttle.DEVICE_COOKIE_SALT)
    assert [entry[0] for entry in entries] == [throttle.username_key("intervenant.ss").hex]


def test_a_failed_login_gives_no_device_cookie(client, intervenant_ss):
    response = login(client, "intervenant.ss", WRONG_PASSWORD)

    assert throttle.DEVICE_COOKIE not in response.cookies


def test_the_persons_own_browser_does_not_wait(client, settings, direction, password_checks):
    login(client, "direction", PASSWORD)
    client.post(reverse("accounts:logout"))
    reach_threshold(settings, "direction")
    password_checks.clear()

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert response.status_code == 302
    assert password_checks == [PASSWORD]
    assert logged_in_user_id(client) == str(direction.pk)
    # Any other browser still waits.
    assert login(Client(), "direction", PASSWORD, "203.0.113.99").status_code == 429


def test_the_persons_own_browser_is_not_locked_by_a_stranger_at_the_same_address(client, direction):
    # The office: one address for everyone; a stranger there locks the pair for themself.
    login(client, "direction", PASSWORD, ADDRESS)
    client.post(reverse("accounts:logout"))
    stranger = Client()
    for _ in range(5):
        login(stranger, "direction", WRONG_PASSWORD, ADDRESS)
    assert login(stranger, "direction", PASSWORD, ADDRESS).status_code == 429

    response = login(client, "direction", PASSWORD, ADDRESS)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(direction.pk)


def test_a_forged_device_cookie_gives_no_exemption(client, settings, direction):
    login(client, "direction", PASSWORD)
    client.post(reverse("accounts:logout"))
    real = client.cookies[throttle.DEVICE_COOKIE].value
    reach_threshold(settings, "direction")
    forged = signing.dumps(
        signing.loads(real, salt=throttle.DEVICE_COOKIE_SALT), salt="another salt"
    )

    for value in (forged, real[:-2] + ("AA" if not real.endswith("AA") else "BB"), "n'importe"):
        client.cookies[throttle.DEVICE_COOKIE] = value
        assert login(client, "direction", PASSWORD, "203.0.113.99").status_code == 429


def test_another_accounts_device_cookie_gives_no_exemption(
    client, settings, direction, coordination
):
    login(client, "coordination", PASSWORD)
    client.post(reverse("accounts:logout"))
    reach_threshold(settings, "direction")

    response = login(client, "direction", PASSWORD, "203.0.113.99")

    assert response.status_code == 429


def test_an_expired_device_cookie_gives_no_exemption(client, settings, direction):
    login(client, "direction", PASSWORD)
    client.post(reverse("accounts:logout"))
    reach_threshold(settings, "direction")
    entries = signing.loads(
        client.cookies[throttle.DEVICE_COOKIE].value, salt=throttle.DEVICE_COOKIE_SALT
    )
    too_old = timezone.now() - settings.LOGIN_DEVICE_COOKIE_AGE - timedelta(seconds=1)
    entries[0][2] = int(too_old.timestamp())
    client.cookies[throttle.DEVICE_COOKIE] = signing.dumps(
        entries, salt=throttle.DEVICE_COOKIE_SALT, compress=True
    )

    assert login(client, "direction", PASSWORD, "203.0.113.99").status_code == 429


def test_a_browser_that_fails_too_often_itself_loses_its_exemption(client, settings, direction):
    login(client, "direction", PASSWORD)
    client.post(reverse("accounts:logout"))
    reach_threshold(settings, "direction")
    # Its own failures are checked at once (no wait), up to the limit...
    statuses = [
        login(client, "direction", WRONG_PASSWORD).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [400] * settings.AXES_FAILURE_LIMIT

    # ...then it is a browser like any other.
    assert login(client, "direction", PASSWORD, "203.0.113.99").status_code == 429


def test_a_successful_login_renews_the_browsers_cookie(client, settings, direction):
    login(client, "direction", PASSWORD)
    client.post(reverse("accounts:logout"))
    first = client.cookies[throttle.DEVICE_COOKIE].value
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "direction", WRONG_PASSWORD)
    assert login(client, "direction", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert client.cookies[throttle.DEVICE_COOKIE].value != first
    reach_threshold(settings, "direction")

    # The new cookie starts with no failure of its own.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "direction", WRONG_PASSWORD).status_code == 400
    assert login(client, "direction", PASSWORD, "203.0.113.99").status_code == 302


def test_a_shared_browser_stays_trusted_for_each_of_its_accounts(
    client, settings, intervenant_ss, coordination
):
    # The office computer.
    for username in ("intervenant.ss", "coordination"):
        assert login(client, username, PASSWORD).status_code == 302
        client.post(reverse("accounts:logout"))
    reach_threshold(settings, "intervenant.ss")
    spread_failures("coordination", settings.LOGIN_THROTTLE_THRESHOLD, first=100)

    for username in ("intervenant.ss", "coordination"):
        assert login(client, username, PASSWORD, "203.0.113.99").status_code == 302
        client.post(reverse("accounts:logout"))


# Where an attempt comes from ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy: the peer, whatever the client writes in the header.
        (0, "203.0.113.1", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "203.0.113.1", "203.0.113.1"),
        # What a client writes itself stays on the left and is not read.
        (1, "1.2.3.4, 203.0.113.1", "203.0.113.1"),
        (2, "1.2.3.4, 203.0.113.1, 10.0.0.1", "203.0.113.1"),
        # Fewer entries than proxies: the leftmost, written by a proxy of ours.
        (2, "203.0.113.1", "203.0.113.1"),
        (1, "203.0.113.1:51234", "203.0.113.1"),
        (1, "[2001:db8::1]:51234", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Not an address: the peer.
        (1, "unknown", "10.0.0.2"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(
        LOGIN_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert throttle.client_address(request) == expected


# The operator's unlock ----------------------------------------------------------------------


def test_unlock_login_lifts_both_lines(client, settings, direction):
    reach_threshold(settings, "direction")
    for _ in range(5):
        login(client, "direction", WRONG_PASSWORD)
    assert AccessAttempt.objects.filter(username="direction", ip_address=ADDRESS).exists()
    out = StringIO()

    call_command("unlock_login", "direction", stdout=out)

    assert "direction:" in out.getvalue()
    assert not AccessAttempt.objects.filter(username="direction").exists()
    assert not LoginFailure.objects.exists()
    assert login(client, "direction", PASSWORD).status_code == 302


def test_unlock_login_leaves_the_other_usernames(settings, direction, coordination):
    spread_failures("direction", 3)
    spread_failures("coordination", 3, first=10)

    call_command("unlock_login", "coordination", stdout=StringIO())

    assert LoginFailure.objects.filter(username_key=throttle.username_key("direction")).count() == 3
    assert AccessAttempt.objects.filter(username="direction").count() == 3
    assert not AccessAttempt.objects.filter(username="coordination").exists()


# Query budget -------------------------------------------------------------------------------


def test_a_failed_login_runs_a_fixed_number_of_queries(
    client, settings, intervenant_ss, django_assert_max_num_queries
):
    spread_failures("intervenant.ss", settings.LOGIN_THROTTLE_THRESHOLD - 1)

    with django_assert_max_num_queries(17):
        assert login(client, "intervenant.ss", WRONG_PASSWORD).status_code == 400


def test_a_successful_login_runs_a_fixed_number_of_queries(
    client, settings, intervenant_ss, django_assert_max_num_queries
):
    spread_failures("intervenant.ss", settings.LOGIN_THROTTLE_THRESHOLD - 1)

    # The audit trail of accounts reads the account once more before its last login is saved.
    with django_assert_max_num_queries(23):
        assert login(client, "intervenant.ss", PASSWORD).status_code == 302
