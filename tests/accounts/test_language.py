"""The language switch: French (Canada) by default, English on request, for everyone."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD
from tests.helpers import page_text

LOGIN_URL = reverse("accounts:login")
# Django's French catalogue writes the apostrophe as U+2019.
FRENCH_USERNAME_LABEL = "Nom d\u2019utilisateur"
SET_LANGUAGE_URL = reverse("set_language")


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def switch(client, language, next_url=LOGIN_URL):
    return client.post(SET_LANGUAGE_URL, {"language": language, "next": next_url})


def test_default_language_is_canadian_french(client, db):
    response = client.get(LOGIN_URL)

    assert '<html lang="fr-ca">' in response.content.decode()
    # The switch offers the other language, labelled in that language.
    assert 'name="language" value="en"' in response.content.decode()


def test_anonymous_visitor_switches_to_english(client, db):
    response = switch(client, "en")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(LOGIN_URL)
    assert '<html lang="en">' in page.content.decode()
    text = page_text(page)
    assert "Username" in text
    assert "Password" in text
    assert FRENCH_USERNAME_LABEL not in text
    assert 'name="language" value="fr-ca"' in page.content.decode()


def test_switching_back_gives_french_again(client, db):
    switch(client, "en")

    response = switch(client, "fr-ca")

    assert response.status_code == 302
    page = client.get(LOGIN_URL)
    assert '<html lang="fr-ca">' in page.content.decode()
    text = page_text(page)
    assert FRENCH_USERNAME_LABEL in text
    assert "Mot de passe" in text


def test_english_login_errors_are_in_english(client, intervenant_ss):
    switch(client, "en")

    response = client.post(LOGIN_URL, {"username": "intervenant.ss", "password": "faux"})

    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()
    assert in_language("en", "Log in") in page_text(response)


@pytest.mark.parametrize("persona", ["intervenant_ss", "direction", "outsider"])
def test_logged_in_accounts_switch_too_with_or_without_a_role(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))
    sites = reverse("residents:site_list")

    response = switch(client, "en", next_url=sites)

    assert response.status_code == 302
    assert response["Location"] == sites
    page = client.get(sites)
    assert '<html lang="en">' in page.content.decode()


def test_switch_refuses_to_send_to_another_site(client, db):
    response = switch(client, "en", next_url="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_the_site_does_not_offer_falls_back_to_french(client, db):
    # Django knows German, so set_language stores it; the site offers only fr-ca and en.
    response = switch(client, "de")

    assert response.status_code == 302
    assert '<html lang="fr-ca">' in client.get(LOGIN_URL).content.decode()


def test_language_choice_survives_login(client, intervenant_ss):
    switch(client, "en")
    client.post(LOGIN_URL, {"username": "intervenant.ss", "password": PASSWORD})

    page = client.get(reverse("residents:site_list"))

    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_an_english_browser_still_gets_french_until_the_person_switches(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="fr-ca"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="en"' in response.content.decode()
