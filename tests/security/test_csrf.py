"""CSRF (ASVS 4.2.2, 50.4): every request that changes something needs the form's token. A page
of another site that makes a logged-in person's browser post here gets a 403, and nothing is
written."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.actions import ACTIONS, database_state, sign_in
from tests.security.pages import is_html, read_page
from tests.url_table import EXPECTATIONS

# Pages are read as these people, so that every form someone can see is found.
READERS = ["anonymous", "intervenant_site", "coordination", "direction"]


# POSTs that no page's form sends: the phone's queue sends JSON with the token in a header.
# Their CSRF cases, with and without the token, are where they are named.
JSON_POSTS = {"offline:sync": "tests/offline/test_sync.py::test_the_door_needs_the_csrf_token"}


def test_every_post_route_of_the_url_table_is_in_the_sweep():
    posts = {name for name, (method, _, _) in EXPECTATIONS.items() if method == "post"}
    missing = posts - {action.route for action in ACTIONS} - set(JSON_POSTS)
    assert not missing, f"POST routes without a CSRF case in tests/security/actions.py: {missing}"


def test_every_form_that_posts_is_in_the_sweep(world):
    """Read every page of the URL table and list where its POST forms go: a new form sends
    its author here to add it to ACTIONS."""
    users, objects = world
    covered = {action.route for action in ACTIONS}
    unknown = {}
    for role in READERS:
        client = Client()
        sign_in(client, users, role)
        for route, (method, target, _) in sorted(EXPECTATIONS.items()):
            if method != "get":
                continue
            url = reverse(route, args=[objects[target].pk] if target else [])
            response = client.get(url)
            if response.status_code != 200 or not is_html(response):
                continue
            for form in read_page(response, url).post_forms():
                if form.route(url) not in covered:
                    unknown.setdefault(form.route(url), url)
    assert not unknown, f"Forms posting to routes without a CSRF case (route: page): {unknown}"


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.id)
def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(world, action):
    users, objects = world
    client = Client(enforce_csrf_checks=True)
    sign_in(client, users, action.role)
    data = action.data(client, users, objects, token=False)
    before = database_state()

    response = client.post(action.url(objects), data)

    assert response.status_code == 403
    assert database_state() == before
    # Not logged in, not logged out, no language switched.
    assert set(response.cookies) <= {"csrftoken"}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.id)
def test_the_same_post_with_its_token_goes_through(world, action):
    """The control: the form above, sent with its token, is accepted and does its work, so
    the 403 above comes from the missing token and nothing else."""
    users, objects = world
    client = Client(enforce_csrf_checks=True)
    sign_in(client, users, action.role)
    data = action.data(client, users, objects)
    before = database_state()

    response = client.post(action.url(objects), data)

    assert response.status_code in {200, 302}, response.content.decode()[:2000]
    if action.changes:
        assert database_state() != before or set(response.cookies) - {"csrftoken"}
    else:
        # A search changes nothing: that it answered is the proof the token let it through.
        assert "results" in response.json()
