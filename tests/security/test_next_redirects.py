"""Open redirects (ASVS 5.1.5): a link to the login, the second factor, the language switch or
the logout that carries `next=<another site>` never sends the person there: a phishing page
could otherwise borrow our login to look genuine."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.logins import next_code, totp_device
from tests.security.actions import sign_in
from tests.security.pages import read_page

OFF_SITE = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example",
    "http://evil.example\\@testserver/",
]


def stays_on_site(url: str) -> bool:
    """A path of this site, or an absolute address of it. Browsers read a backslash as a
    slash, drop tabs, and take `https:host` for `https://host`: those count as leaving."""
    parts = urlsplit(url.replace("\t", "").replace("\\", "/"))
    if parts.scheme:
        return parts.scheme in {"http", "https"} and parts.netloc == "testserver"
    return parts.netloc == ""


def assert_stays(response):
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


def test_the_check_itself_tells_our_pages_from_another_site():
    assert stays_on_site("/ma-journee/?page=2")
    assert stays_on_site("http://testserver/ma-journee/")
    assert not any(stays_on_site(url) for url in OFF_SITE)


@pytest.mark.parametrize("next_url", OFF_SITE)
@pytest.mark.parametrize("role", ["intervenant_site", "direction"])
def test_logging_in_never_sends_to_another_site(world, role, next_url):
    users, _ = world
    client = Client()
    url = reverse("accounts:login")

    response = client.post(
        url, {"username": users[role].username, "password": PASSWORD, "next": next_url}
    )

    assert_stays(response)
    # The direction is asked for its code next: that page must not carry the address on.
    if users[role].requires_two_factor:
        page = client.get(response["Location"], follow=True)
        assert [link for link in read_page(page, url).links if not stays_on_site(link)] == []
        assert next_url not in page.content.decode()


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_login_page_of_someone_logged_in_never_sends_to_another_site(world, next_url):
    users, _ = world
    client = Client()
    sign_in(client, users, "intervenant_site")

    assert_stays(client.get(reverse("accounts:login"), {"next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_second_factor_never_sends_to_another_site(world, next_url):
    users, _ = world
    client = Client()
    sign_in(client, users, "direction_owing_a_code")
    url = reverse("accounts:two_factor_verify")
    code = next_code(totp_device(users["direction"]))

    assert_stays(client.post(f"{url}?next={next_url}", {"code": code, "next": next_url}))
    # Once verified, the page sends on at once.
    assert_stays(client.get(url, {"next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_link_after_setting_up_the_app_stays_on_the_site(world, next_url):
    users, _ = world
    client = Client()
    sign_in(client, users, "intervenant_site")
    url = reverse("accounts:two_factor_enrol")
    client.get(url)
    device = users["intervenant_site"].totpdevice_set.get(confirmed=False)

    response = client.post(url, {"code": next_code(device), "next": next_url})

    assert response.status_code == 200
    assert [link for link in read_page(response, url).links if not stays_on_site(link)] == []


@pytest.mark.parametrize("next_url", OFF_SITE)
@pytest.mark.parametrize("role", ["anonymous", "intervenant_site"])
def test_switching_the_language_never_sends_to_another_site(world, role, next_url):
    users, _ = world
    client = Client()
    sign_in(client, users, role)
    url = reverse("set_language")

    assert_stays(client.post(url, {"language": "en", "next": next_url}))
    # Without `next`, Django goes back to the referring page: only if it is ours.
    assert_stays(client.post(url, {"language": "fr-ca"}, headers={"referer": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_logging_out_never_sends_to_another_site(world, next_url):
    users, _ = world
    client = Client()
    sign_in(client, users, "intervenant_site")

    assert_stays(client.post(reverse("accounts:logout"), {"next": next_url}))
