"""Two-factor authentication: required of the direction and the administrators, with an
authenticator app (TOTP) and single-use recovery codes; optional for everyone else."""

import re
from base64 import b32decode
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.accounts.two_factor import RECOVERY_CODE_COUNT
from tests.factories import PASSWORD, UserFactory
from tests.helpers import french, page_text
from tests.logins import log_in, next_code, totp_device

LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("accounts:two_factor_verify")
ENROL_URL = reverse("accounts:two_factor_enrol")
SETTINGS_URL = reverse("accounts:two_factor")
RECOVERY_CODES_URL = reverse("accounts:two_factor_recovery_codes")
DISABLE_URL = reverse("accounts:two_factor_disable")
DASHBOARD_URL = reverse("dashboard")
WRONG_CODE_MESSAGE = (
    "This code is not right. Type the code the app shows now, or one of your recovery codes."
)
WRONG_FIRST_CODE_MESSAGE = (
    "This code does not match. Type the 6 digits the app shows now: the code changes every 30 "
    "seconds."
)


def password_login(client, user, **data):
    return client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD, **data})


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(next_code(device)) + 1) % 1_000_000:06d}"


def recovery_codes_of(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# The direction without a device: enrolment first --------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        DASHBOARD_URL,
        reverse("residents:household_list"),
        reverse("accounts:password_change"),
        SETTINGS_URL,
        reverse("privacy:read_log"),
    ],
)
def test_a_director_without_a_device_is_sent_to_enrolment_from_any_page(client, direction, url):
    client.force_login(direction)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{ENROL_URL}?next={quote(url, safe='')}"


def test_a_director_logging_in_with_the_password_lands_on_enrolment(client, direction):
    response = password_login(client, direction)
    assert response["Location"] == reverse("home")

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(ENROL_URL)
    assert response.status_code == 200
    assert "accounts/two_factor_enrol.html" in [t.name for t in response.templates]


def test_the_enrolment_page_shows_a_qr_code_and_the_secret_in_french(client, direction):
    client.force_login(direction)

    response = client.get(ENROL_URL)

    assert response.status_code == 200
    assert '<html lang="fr-ca">' in response.content.decode()
    assert french("Set up two-factor authentication") in page_text(response)
    device = TOTPDevice.objects.get(user=direction)
    assert not device.confirmed
    content = response.content.decode()
    assert '<svg role="img"' in content
    assert "<script" not in content.split("<main", 1)[1].split("</main>", 1)[0]
    secret = response.context["secret"]
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert secret in page_text(response)
    # The main navigation waits until the code is given.
    assert f'href="{reverse("residents:household_list")}"' not in content


def test_opening_the_enrolment_page_again_keeps_the_same_secret(client, direction):
    client.force_login(direction)

    first = client.get(ENROL_URL).context["secret"]
    second = client.get(ENROL_URL).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=direction).count() == 1


def test_enrolment_with_a_wrong_code_is_refused_in_french_and_confirms_nothing(client, direction):
    client.force_login(direction)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=direction)

    response = client.post(ENROL_URL, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert french(WRONG_FIRST_CODE_MESSAGE) in page_text(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert not recovery_codes_of(direction)
    assert not is_verified(client)
    assert client.get(DASHBOARD_URL)["Location"].startswith(ENROL_URL)


def test_enrolment_with_letters_instead_of_digits_is_refused(client, direction):
    client.force_login(direction)
    client.get(ENROL_URL)

    response = client.post(ENROL_URL, {"code": "abcdef"})

    assert response.status_code == 400
    assert french(WRONG_FIRST_CODE_MESSAGE) in page_text(response)
    assert not TOTPDevice.objects.get(user=direction).confirmed


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once(client, direction):
    client.force_login(direction)
    client.get(f"{ENROL_URL}?next={DASHBOARD_URL}")
    device = TOTPDevice.objects.get(user=direction)

    response = client.post(ENROL_URL, {"code": next_code(device), "next": DASHBOARD_URL})

    assert response.status_code == 200
    assert "accounts/two_factor_recovery_codes.html" in [t.name for t in response.templates]
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == RECOVERY_CODE_COUNT == 10
    assert set(codes) == recovery_codes_of(direction)
    text = page_text(response)
    assert all(code in text for code in codes)
    assert french("These codes are shown only this once.") in text
    assert f'href="{DASHBOARD_URL}"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    # The session is verified, and no later page shows the codes again.
    assert is_verified(client)
    assert client.get(DASHBOARD_URL).status_code == 200
    settings_page = page_text(client.get(SETTINGS_URL))
    assert not any(code in settings_page for code in codes)


def test_a_code_accepts_spaces_as_typed_on_a_phone(client, direction):
    client.force_login(direction)
    client.get(ENROL_URL)
    code = next_code(TOTPDevice.objects.get(user=direction))

    response = client.post(ENROL_URL, {"code": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=direction).confirmed


def test_a_director_with_a_device_cannot_enrol_another_without_a_code(client, direction):
    # Otherwise the password alone would let anyone add their own phone.
    totp_device(direction)
    client.force_login(direction)

    response = client.get(ENROL_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=direction).count() == 1
    post = client.post(ENROL_URL, {"code": "123456"})
    assert post["Location"].startswith(VERIFY_URL)


def test_a_verified_director_sets_up_a_new_phone_and_the_old_one_stops_working(client, direction):
    old = totp_device(direction)
    log_in(client, direction)
    client.get(ENROL_URL)
    new = TOTPDevice.objects.get(user=direction, confirmed=False)

    client.post(ENROL_URL, {"code": next_code(new)})

    assert list(TOTPDevice.objects.filter(user=direction)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get(DASHBOARD_URL).status_code == 200


# The direction with a device: a code after the password -------------------------------------


@pytest.fixture
def enrolled_director(direction):
    device = totp_device(direction)
    codes = ["abcdefgh", "ijklmnop"]
    static = StaticDevice.objects.create(user=direction, name="Codes de secours")
    for code in codes:
        static.token_set.create(token=code)
    return direction, device, codes


def test_a_director_with_a_device_is_asked_for_a_code_after_the_password(client, enrolled_director):
    director, _, _ = enrolled_director

    response = password_login(client, director, next=DASHBOARD_URL)
    assert response["Location"] == DASHBOARD_URL
    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next={quote(DASHBOARD_URL, safe='')}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    prompt = "Open the authenticator app on your phone and type the code it shows for EMA."
    assert french(prompt) in page_text(page)
    assert f'value="{DASHBOARD_URL}"' in page.content.decode()


def test_a_wrong_code_is_refused_in_french(client, enrolled_director):
    director, device, _ = enrolled_director
    password_login(client, director)

    response = client.post(VERIFY_URL, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert french(WRONG_CODE_MESSAGE) in page_text(response)
    assert not is_verified(client)
    assert client.get(DASHBOARD_URL)["Location"].startswith(VERIFY_URL)


def test_the_right_code_lets_the_director_in_to_the_page_asked_for(client, enrolled_director):
    director, device, _ = enrolled_director
    password_login(client, director)
    session_key = client.session.session_key

    response = client.post(VERIFY_URL, {"code": next_code(device), "next": DASHBOARD_URL})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD_URL
    assert is_verified(client)
    # A new session key for the stronger login.
    assert client.session.session_key != session_key
    assert client.get(DASHBOARD_URL).status_code == 200


def test_the_same_code_cannot_be_used_twice(client, enrolled_director):
    director, device, _ = enrolled_director
    code = next_code(device)
    password_login(client, director)
    client.post(VERIFY_URL, {"code": code})
    client.post(reverse("accounts:logout"))
    password_login(client, director)
    device.refresh_from_db()
    device.throttle_reset()

    response = client.post(VERIFY_URL, {"code": code})

    assert response.status_code == 400
    assert not is_verified(client)


def test_wrong_codes_are_throttled_even_before_a_right_one(client, enrolled_director):
    director, device, _ = enrolled_director
    password_login(client, director)
    client.post(VERIFY_URL, {"code": wrong_code(device)})

    response = client.post(VERIFY_URL, {"code": next_code(device)})

    assert response.status_code == 400
    assert not is_verified(client)
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == ["throttled"]
    with translation.override("fr-ca"):
        wait = ngettext(
            "Too many wrong codes. Wait %(seconds)s second before trying again.",
            "Too many wrong codes. Wait %(seconds)s seconds before trying again.",
            1,
        ) % {"seconds": 1}
    assert wait in page_text(response)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Once the wait is over, the right code works.
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=2)
    device.save(update_fields=["throttling_failure_timestamp"])
    assert client.post(VERIFY_URL, {"code": next_code(device)}).status_code == 302
    assert is_verified(client)


def test_a_recovery_code_works_once_only(client, enrolled_director):
    director, _, codes = enrolled_director
    password_login(client, director)

    response = client.post(VERIFY_URL, {"code": codes[0].upper()})

    assert response.status_code == 302
    assert is_verified(client)
    assert recovery_codes_of(director) == {codes[1]}
    assert client.get(DASHBOARD_URL).status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, director)
    again = client.post(VERIFY_URL, {"code": codes[0]})
    assert again.status_code == 400
    assert french(WRONG_CODE_MESSAGE) in page_text(again)
    assert not is_verified(client)


def test_logging_in_with_a_recovery_code_says_how_many_are_left(client, enrolled_director):
    director, _, codes = enrolled_director
    password_login(client, director)

    response = client.post(VERIFY_URL, {"code": codes[0]}, follow=True)

    assert response.status_code == 200
    with translation.override("fr-ca"):
        left = ngettext(
            "You used a recovery code: %(left)s code is left. Make new ones from the "
            "two-factor authentication page.",
            "You used a recovery code: %(left)s codes are left. Make new ones from the "
            "two-factor authentication page.",
            1,
        ) % {"left": 1}
    assert left in page_text(response)


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_director):
    director, _, codes = enrolled_director
    log_in(client, director)

    response = client.post(RECOVERY_CODES_URL)

    assert response.status_code == 200
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert recovery_codes_of(director) == set(new_codes)
    assert not set(codes) & set(new_codes)
    assert StaticDevice.objects.filter(user=director).count() == 1


def test_new_recovery_codes_need_a_code_given_in_this_session(client, enrolled_director):
    director, _, codes = enrolled_director
    client.force_login(director)

    response = client.post(RECOVERY_CODES_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert recovery_codes_of(director) == set(codes)


def test_the_next_page_on_another_site_is_ignored(client, enrolled_director):
    director, device, _ = enrolled_director
    password_login(client, director)

    response = client.post(VERIFY_URL, {"code": next_code(device), "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_protocol_relative_next_page_is_ignored_too(client, enrolled_director):
    director, device, _ = enrolled_director
    password_login(client, director)

    response = client.post(f"{VERIFY_URL}?next=//evil.example/", {"code": next_code(device)})

    assert response["Location"] == reverse("home")


def test_the_settings_page_says_how_many_recovery_codes_are_left(client, enrolled_director):
    director, _, _ = enrolled_director
    log_in(client, director)

    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    assert response.context["has_app"]
    assert response.context["codes_left"] == 2
    # The direction cannot turn it off.
    assert f'action="{DISABLE_URL}"' not in response.content.decode()
    assert client.post(DISABLE_URL).status_code == 403
    assert TOTPDevice.objects.filter(user=director).exists()


def test_an_unverified_director_may_still_log_out_and_switch_language(client, enrolled_director):
    director, _, _ = enrolled_director
    password_login(client, director)

    switched = client.post(reverse("set_language"), {"language": "en", "next": VERIFY_URL})
    assert switched.status_code == 302
    assert switched["Location"] == VERIFY_URL
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL


def test_the_code_page_costs_few_queries(client, enrolled_director, django_assert_max_num_queries):
    director, _, _ = enrolled_director
    password_login(client, director)

    with django_assert_max_num_queries(5):  # session, user, the two kinds of device, session
        response = client.get(VERIFY_URL)

    assert response.status_code == 200


# Roles that do not require it ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "outsider"])
def test_other_roles_are_never_asked_for_a_code(client, request, persona):
    user = request.getfixturevalue(persona)

    response = password_login(client, user)
    follow = client.get(response["Location"], follow=True)

    chain = [url for url, _ in follow.redirect_chain]
    assert not any(url.startswith((VERIFY_URL, ENROL_URL)) for url in chain)
    assert not user.requires_two_factor


def test_an_intervenant_may_turn_it_on_and_is_then_asked_at_each_login(client, intervenant_ss):
    client.force_login(intervenant_ss)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=intervenant_ss)
    assert client.post(ENROL_URL, {"code": next_code(device)}).status_code == 200
    client.post(reverse("accounts:logout"))

    password_login(client, intervenant_ss)
    response = client.get(reverse("interventions:my_day"))

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert client.post(VERIFY_URL, {"code": next_code(device)}).status_code == 302
    assert client.get(reverse("interventions:my_day")).status_code == 200


def test_an_intervenant_turns_it_off(client, intervenant_ss):
    client.force_login(intervenant_ss)
    client.get(ENROL_URL)
    client.post(ENROL_URL, {"code": next_code(TOTPDevice.objects.get(user=intervenant_ss))})

    response = client.post(DISABLE_URL)

    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    assert not TOTPDevice.objects.filter(user=intervenant_ss).exists()
    assert not StaticDevice.objects.filter(user=intervenant_ss).exists()
    assert client.get(reverse("interventions:my_day")).status_code == 200


def test_an_intervenant_whose_devices_were_removed_is_let_through(client, intervenant_ss):
    device = totp_device(intervenant_ss)
    password_login(client, intervenant_ss)
    device.delete()

    assert client.get(reverse("interventions:my_day")).status_code == 200


# The Django admin ---------------------------------------------------------------------------


def test_the_admin_site_requires_the_second_factor(client, admin_user):
    totp_device(admin_user)
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)


def test_the_admin_site_refuses_an_unverified_administrator_by_itself(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    admin_user.is_verified = lambda: False
    assert not admin_site.has_permission(request)
    admin_user.is_verified = lambda: True
    assert admin_site.has_permission(request)


def test_an_administrator_deletes_a_locked_out_directors_devices(
    client, admin_user, enrolled_director
):
    director, device, _ = enrolled_director
    admin = log_in(client, admin_user)
    changelist = reverse("admin:otp_totp_totpdevice_changelist")
    assert admin.get(changelist).status_code == 200
    assert admin.get(reverse("admin:otp_static_staticdevice_changelist")).status_code == 200
    # The administrators never see the secret.
    change = admin.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert device.key not in change.content.decode()

    response = admin.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=director).exists()
    StaticDevice.objects.filter(user=director).delete()
    other = type(client)()
    password_login(other, director)
    assert other.get(DASHBOARD_URL)["Location"].startswith(ENROL_URL)


# Anonymous visitors -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [VERIFY_URL, ENROL_URL, SETTINGS_URL])
def test_the_pages_send_an_anonymous_visitor_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not TOTPDevice.objects.exists()


def test_requires_two_factor_follows_the_role(db):
    assert UserFactory(role="direction").requires_two_factor
    assert UserFactory(role="admin").requires_two_factor
    assert UserFactory(role="", is_superuser=True).requires_two_factor
    assert not UserFactory(role="coordination").requires_two_factor
    assert not UserFactory(role="direction", is_active=False).requires_two_factor


def test_recovery_codes_are_ten_random_codes(client, direction):
    log_in(client, direction)

    codes = client.post(RECOVERY_CODES_URL).context["codes"]

    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
