"""Logging without a signal, on a phone: the installed app's pages open offline, what is
logged waits on the device, sealed, and reaches the server once when the network returns;
a stale correction is shown with both versions; a logout leaves no name on the device."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interventions.models import Intervention, Level, Participation
from interventions.services import intervention_counts_update
from offline.models import AtHand
from tests.e2e.offline import DEVICE_CONTENTS, go_offline, go_online, ready_offline, wait_until
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    PlaceFactory,
    UserFactory,
)
from tests.logins import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def field(site_ss, intervenant_ss):
    """Two types, a place, and a resident whom the intervenant keeps at hand."""
    PlaceFactory(name="Cour intérieure")
    InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)
    InterventionTypeFactory(name="Soutien individuel", default_level=Level.INDIVIDUAL)
    household = HouseholdFactory(site=site_ss, label="Bélanger", unit="1250, app. 4")
    etienne = ConsentedResidentFactory(
        household=household,
        first_name="Étienne",
        last_name="Bélanger",
        consent__given_on=timezone.localdate() - timedelta(days=30),
    )
    AtHand.objects.create(user=intervenant_ss, resident=etienne)
    return etienne


def _ready(page: Page, live_server, username: str) -> None:
    browser_log_in(page, live_server, username)
    page.goto(f"{live_server.url}/ma-journee/")
    ready_offline(page)


def _log_presence(page: Page, *, at: str, adults: int) -> None:
    page.locator("#id_type").select_option(label="Présence informelle")
    page.locator("#offline-start-time").fill(at)
    page.locator("#id_count_26_64").fill(str(adults))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Gardé sur cet appareil")).to_be_visible()


def _log_contact(page: Page, *, at: str, person) -> None:
    page.locator("#id_type").select_option(label="Soutien individuel")
    page.locator("#offline-person").select_option(value=str(person.pk))
    page.locator("#offline-start-time").fill(at)
    page.locator("#id_summary").fill("Aide pour le formulaire de l’OMHM.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Gardé sur cet appareil")).to_be_visible()


def _earlier_today(count: int) -> list[time]:
    """`count` times of the last hour (or since midnight), oldest first, all past."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    start = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))
    step = (now - start) / (count + 1)
    return [(start + step * (i + 1)).time().replace(second=0, microsecond=0) for i in range(count)]


def test_four_entries_logged_offline_reach_the_server_once_with_their_values(
    page: Page, live_server, intervenant_ss, field
):
    times = _earlier_today(4)
    _ready(page, live_server, intervenant_ss.username)
    context = page.context
    go_offline(context)
    page.reload()
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("Hors ligne — aucune entrée en attente d’envoi")
    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()

    page.goto(f"{live_server.url}/interventions/rapide/")
    for at, adults in zip(times, [3, 5, 2], strict=False):
        _log_presence(page, at=f"{at:%H:%M}", adults=adults)
    _log_contact(page, at=f"{times[3]:%H:%M}", person=field)
    expect(banner).to_contain_text("Hors ligne — 4 entrées en attente d’envoi")

    page.reload()
    expect(banner).to_contain_text("Hors ligne — 4 entrées en attente d’envoi")
    assert Intervention.objects.count() == 0

    go_online(context)
    wait_until(lambda: Intervention.objects.count() == 4)
    expect(banner).to_be_hidden()
    logged = list(Intervention.objects.order_by("start_time"))
    assert [(i.start_time, i.count_26_64) for i in logged] == list(
        zip(times, [3, 5, 2, 0], strict=True)
    )
    assert {i.date for i in logged} == {timezone.localdate()}
    assert {i.author for i in logged} == {intervenant_ss}
    contact = logged[-1]
    assert contact.type.name == "Soutien individuel"
    assert contact.summary == "Aide pour le formulaire de l’OMHM."
    assert list(Participation.objects.filter(intervention=contact).values_list("resident", flat=True)) == [field.pk]
