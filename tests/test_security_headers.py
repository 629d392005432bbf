"""Headers that protect the residents' files in the browser."""

from django.urls import reverse


def test_pages_forbid_inline_scripts_and_framing(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("interventions:my_day"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_of_a_logged_in_person_are_never_stored(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("residents:household_list"))
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_carries_the_policy_too(client):
    assert "Content-Security-Policy" in client.get(reverse("accounts:login"))
