"""Every URL pattern of the project against every role. A new URL without an expectation
here fails the suite: access is decided on purpose, never by accident."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.logins import log_in
from tests.url_table import (
    ADMIN_EXPECTED,
    ADMIN_SAMPLES,
    EXPECTATIONS,
    LOGIN,
    NOT_ALLOWED,
    REDIRECT,
    ROLES,
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
