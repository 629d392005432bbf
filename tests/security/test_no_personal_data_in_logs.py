"""No personal data in logs or URLs (ASVS 7.1.1, 8.3.1): log files and the server's access log
are read by people and tools that must never learn who the families are. A realistic day is
played with distinctive names and notes, and every log record and every URL of it is searched.

The logs are captured as production writes them: DEBUG off (so django.db.backends logs no
SQL), every logger at its configured level, the root logger at DEBUG (the most talkative
LOG_LEVEL an operator could set)."""

import logging
from urllib.parse import unquote_plus, urlencode

import pytest
from django.conf import settings
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from interventions.models import Intervention
from partners.links import TokenConverter
from residents.models import Resident
from tests.factories import PASSWORD, ConsentedResidentFactory, HouseholdFactory
from tests.security.actions import ACTIONS_BY_ID, sign_in
from tests.security.pages import is_html, read_page

FIRST_NAME = "Zéphirine"
LAST_NAME = "Tremblay-Quintal"
GUARDIAN = "Ophélie Tremblay-Quintal"
NOTE = "NOTE-SECRETE-7731"
SUMMARY = "RESUME-CONFIDENTIEL-4410"
REASON = "MOTIF-CONFIDENTIEL-5521"
SECRETS = [FIRST_NAME, LAST_NAME, GUARDIAN, NOTE, SUMMARY, REASON, PASSWORD]


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


class Day:
    """A client that keeps every URL it asked for or was sent to, and every link it saw."""

    def __init__(self, users, objects, role):
        self.users, self.objects = users, objects
        self.client = Client(raise_request_exception=False)
        sign_in(self.client, users, role)
        self.urls: list[str] = []

    def _seen(self, url, response):
        self.urls.append(url)
        if "Location" in response:
            self.urls.append(response["Location"])
        if is_html(response):
            self.urls += read_page(response, url).links
        return response

    def get(self, url, params=None):
        full = f"{url}?{urlencode(params)}" if params else url
        return self._seen(full, self.client.get(full))

    def submit(self, action_id, **fields):
        """Open a form page, fill it in and send it (see tests/security/actions.py)."""
        action = ACTIONS_BY_ID[action_id]
        url = action.url(self.objects)
        self.get(url)
        data = action.data(self.client, self.users, self.objects, **fields)
        return self._seen(url, self.client.post(url, data))


def _household_with_the_family(day):
    fields = {
        "label": LAST_NAME,
        "members-0-first_name": FIRST_NAME,
        "members-0-last_name": LAST_NAME,
        "members-0-date_of_birth": "2018-05-04",
        "members-0-consent_given_by": "guardian",
        "members-0-guardian_name": GUARDIAN,
    }
    # A form error first: the child's consent without the guardian's name.
    response = day.submit("household_create", **{**fields, "members-0-guardian_name": ""})
    assert response.status_code == 400
    response = day.submit("household_create", **fields)
    assert response.status_code == 302
    return Resident.objects.get(first_name=FIRST_NAME)


@pytest.fixture
def played_day(world, caplog, monkeypatch):
    """The day: who logs what, and every URL that went by."""
    users, objects = world
    caplog.set_level(logging.DEBUG)
    day = Day(users, objects, "intervenant_site")

    child = _household_with_the_family(day)
    response = day.submit(
        "intervention_create",
        level="individual",
        participants=str(child.pk),
        summary=SUMMARY,
        restricted_note=NOTE,
        count_6_12="0",
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get(summary=SUMMARY)
    response = day.submit(
        "referral_create",
        household=str(child.household_id),
        resident=str(child.pk),
        reason=REASON,
    )
    assert response.status_code == 302
    for url in (
        child.get_absolute_url(),
        child.household.get_absolute_url(),
        intervention.get_absolute_url(),
        reverse("interventions:intervention_list") + f"?resident={child.pk}",
        reverse("partners:referral_queue"),
        reverse("interventions:my_day"),
    ):
        assert day.get(url).status_code == 200
    # A 403 and a 404: a page of the direction, a file of another site.
    assert day.get(reverse("dashboard")).status_code == 403
    other = Day(users, objects, "intervenant_other_site")
    assert other.get(child.get_absolute_url()).status_code == 404
    assert other.get(intervention.get_absolute_url()).status_code == 404
    # A 500 while saving the family.
    monkeypatch.setattr("residents.services.household_save", _server_error)
    broken = day.submit(
        "household_create",
        label=LAST_NAME,
        unit="300, app. 2",
        **{"members-0-first_name": FIRST_NAME, "members-0-last_name": LAST_NAME},
    )
    assert broken.status_code == 500
    # A 500 whose exception carries the family's records (a deletion refused because other
    # rows point to them): the log names them by number only.
    monkeypatch.setattr("residents.services.household_save", lambda **kwargs: _protected(child))
    broken = day.submit(
        "household_create",
        label=LAST_NAME,
        unit="300, app. 3",
        **{"members-0-first_name": FIRST_NAME, "members-0-last_name": LAST_NAME},
    )
    assert broken.status_code == 500
    # Failed logins, one with the child's name typed as the username, then a lockout.
    stranger = Day(users, objects, "anonymous")
    login = reverse("accounts:login")
    stranger.client.post(login, {"username": f"{FIRST_NAME} {LAST_NAME}", "password": NOTE})
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = stranger.client.post(
            login, {"username": users["coordination"].username, "password": PASSWORD + "x"}
        )
    assert response.status_code == 429
    return caplog.records, day.urls + other.urls + stranger.urls


def _server_error(**kwargs):
    raise RuntimeError("The database went away")


def _protected(child):
    raise ProtectedError("Cannot delete some rows", {child, child.household, *child.consents.all()})


def test_the_logs_are_those_of_production():
    assert settings.DEBUG is False


def test_no_log_record_names_a_resident_or_quotes_a_note(played_day):
    records, _ = played_day
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    leaks = {
        record.name: _leaks(f"{formatter.format(record)} {record.args!r}")
        for record in records
        if _leaks(f"{formatter.format(record)} {record.args!r}")
    }
    assert not leaks
    # The capture worked: the 403, 404, 400 and 500 and the lockout were logged.
    levels = {(record.name, record.levelname) for record in records}
    assert {("django.request", "WARNING"), ("django.request", "ERROR")} <= levels
    protected = [r for r in records if r.exc_info and isinstance(r.exc_info[1], ProtectedError)]
    assert protected
    assert "residents.Resident #" in formatter.format(protected[0])
    assert any(record.name.startswith("axes") for record in records)


def test_no_url_of_the_day_carries_personal_data(played_day):
    _, urls = played_day
    assert urls
    assert not {url: _leaks(unquote_plus(url)) for url in urls if _leaks(unquote_plus(url))}


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _patterns(entry, f"{prefix}{entry.pattern}")
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.pattern}", entry.pattern.converters


def test_urls_name_records_by_number_only():
    """A pattern with a <str:…> or <slug:…> part could put a name in the address. A partner
    link's token is random, of a fixed shape: it names no one."""
    not_numbers = {
        route: sorted(converters)
        for route, converters in _patterns(get_resolver())
        if any(
            not isinstance(converter, IntConverter | TokenConverter)
            for converter in converters.values()
        )
    }
    assert not not_numbers


def test_searching_a_household_by_name_keeps_the_name_out_of_the_address(world):
    users, objects = world
    family = HouseholdFactory(site=objects["household"].site, label=LAST_NAME)
    ConsentedResidentFactory(household=family, first_name=FIRST_NAME, last_name=LAST_NAME)
    day = Day(users, objects, "intervenant_site")
    url = reverse("residents:household_list")
    search = read_page(day.get(url), url)
    form = next(form for form in search.forms if "q" in form.names)
    data = form.data({"q": LAST_NAME})

    if form.method == "get":
        response = day.get(form.target(url), data)
    else:
        response = day.client.post(form.target(url), data, follow=True)
        day.urls += [path for path, _status in response.redirect_chain]
        day._seen(url, response)

    assert family in response.context["page_obj"]
    assert not [address for address in day.urls if LAST_NAME in unquote_plus(address)]


@pytest.mark.parametrize(
    "role, path, status",
    [
        ("intervenant_site", f"/menages/{LAST_NAME}/", 404),
        ("intervenant_site", f"/{LAST_NAME}/<script>alert(1)</script>", 404),
        ("intervenant_site", f"/rapport-annuel/?q={LAST_NAME}", 403),
    ],
)
def test_error_pages_do_not_echo_the_address(world, role, path, status):
    """Only the language switch carries the address, to come back to it, escaped. (A form
    sent back with errors shows what the person typed: that is their own input.)"""
    users, objects = world
    day = Day(users, objects, role)
    response = day.get(path)
    assert response.status_code == status
    page = read_page(response, path)
    content = response.content.decode()
    carried = [value for form in page.forms for name, value in form.fields if name == "next"]
    assert content.count(LAST_NAME) == sum(value.count(LAST_NAME) for value in carried)
    assert "<script>alert(1)" not in content
    assert page.script_hooks() == []
