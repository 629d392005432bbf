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
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.e2e.offline import DEVICE_CONTENTS, go_offline, go_online, ready_offline, wait_until
from tests.factories import (
    PASSWORD,
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    PlaceFactory,
    UserFactory,
)
from tests.logins import browser_log_in

# What waits on the page's offline script (the worker, IndexedDB, WebCrypto) may take a few
# seconds on a loaded machine.
WAIT = 15_000

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


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Afficher le menu").click()
    account = page.locator("#main-nav .dropdown-toggle")
    expect(account).to_be_visible()
    account.click()
    logout = page.get_by_role("button", name="Se déconnecter")
    expect(logout).to_be_visible()
    logout.click()


def _log_presence(page: Page, *, at: str, adults: int) -> None:
    page.locator("#id_type").select_option(label="Présence informelle")
    page.locator("#offline-start-time").fill(at)
    page.locator("#id_count_26_64").fill(str(adults))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Gardé sur cet appareil")).to_be_visible(timeout=WAIT)


def _log_contact(page: Page, *, at: str, person) -> None:
    page.locator("#id_type").select_option(label="Soutien individuel")
    page.locator("#offline-person").select_option(value=str(person.pk))
    page.locator("#offline-start-time").fill(at)
    page.locator("#id_summary").fill("Aide pour le formulaire de l’OMHM.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Gardé sur cet appareil")).to_be_visible(timeout=WAIT)


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
    expect(banner).to_contain_text("Hors ligne — aucune entrée en attente d’envoi", timeout=WAIT)
    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()

    page.goto(f"{live_server.url}/interventions/rapide/")
    for at, adults in zip(times, [3, 5, 2], strict=False):
        _log_presence(page, at=f"{at:%H:%M}", adults=adults)
    _log_contact(page, at=f"{times[3]:%H:%M}", person=field)
    expect(banner).to_contain_text("Hors ligne — 4 entrées en attente d’envoi", timeout=WAIT)

    page.reload()
    expect(banner).to_contain_text("Hors ligne — 4 entrées en attente d’envoi", timeout=WAIT)
    assert Intervention.objects.count() == 0

    go_online(context)
    wait_until(page, lambda: Intervention.objects.count() == 4)
    expect(banner).to_be_hidden(timeout=WAIT)
    logged = list(Intervention.objects.order_by("start_time"))
    assert [(i.start_time, i.count_26_64) for i in logged] == list(
        zip(times, [3, 5, 2, 0], strict=True)
    )
    assert {i.date for i in logged} == {timezone.localdate()}
    assert {i.author for i in logged} == {intervenant_ss}
    contact = logged[-1]
    assert contact.type.name == "Soutien individuel"
    assert contact.summary == "Aide pour le formulaire de l’OMHM."
    assert list(
        Participation.objects.filter(intervention=contact).values_list("resident", flat=True)
    ) == [field.pk]


def _queue_presences(page: Page, live_server, count: int) -> list[time]:
    times = _earlier_today(count)
    page.goto(f"{live_server.url}/interventions/rapide/")
    for at in times:
        _log_presence(page, at=f"{at:%H:%M}", adults=4)
    return times


def test_a_queue_sent_twice_from_two_tabs_after_a_dropped_answer_saves_each_entry_once(
    page: Page, live_server, intervenant_ss, field
):
    _ready(page, live_server, intervenant_ss.username)
    context = page.context
    go_offline(context)
    _queue_presences(page, live_server, 2)
    second_tab = context.new_page()
    second_tab.goto(f"{live_server.url}/hors-ligne/")
    expect(second_tab.locator("#offline-banner")).to_contain_text(
        "2 entrées en attente", timeout=WAIT
    )

    # The first sending reaches the server, but its answer is lost on the way back.
    sent_bodies: list[str] = []

    def drop_the_first_answer(route):
        sent_bodies.append(route.request.post_data or "")
        if len(sent_bodies) == 1:
            route.fetch()  # the server saves it
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/hors-ligne/envoyer/", drop_the_first_answer)
    go_online(context)
    wait_until(page, lambda: Intervention.objects.count() == 2)
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=WAIT)
    second_tab.reload()
    expect(second_tab.locator("#offline-banner")).to_be_hidden(timeout=WAIT)
    assert Intervention.objects.count() == 2
    assert sent_bodies.count(sent_bodies[0]) >= 2  # the lost one was sent again

    # A second device sending the same sealed entry again is told of the record made.
    answer = page.evaluate(
        """async (body) => {
            const bundle = await (await fetch("/hors-ligne/donnees/")).json();
            const response = await fetch("/hors-ligne/envoyer/", {
                method: "POST", body, headers: {"Content-Type": "application/json",
                "X-CSRFToken": bundle.csrf}});
            return [response.status, (await response.json()).status];
        }""",
        sent_bodies[0],
    )
    assert answer == [200, "already"]
    assert Intervention.objects.count() == 2


def test_an_offline_correction_of_an_entry_changed_meanwhile_shows_both_and_loses_nothing(
    page: Page, live_server, intervenant_ss, site_ss, direction, field
):
    logged = InterventionFactory(
        author=intervenant_ss, site=site_ss, count_6_12=0, count_13_17=0, count_26_64=2
    )
    _ready(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/hors-ligne/")
    ready_offline(page)
    context = page.context
    go_offline(context)
    page.reload()
    page.get_by_text("Corriger les nombres ou la durée").click()
    page.locator(f"#id_edit_{logged.pk}_count_26_64").fill("5")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.locator("#offline-banner")).to_contain_text(
        "1 entrée en attente d’envoi", timeout=WAIT
    )

    # Meanwhile, the direction corrects the same entry from the office.
    saved = Intervention.objects.get(pk=logged.pk)
    intervention_counts_update(
        intervention=saved,
        expected_version=saved.version,
        duration_minutes=90,
        count_26_64=7,
    )
    go_online(context)
    queue = page.locator("#offline-queue")
    expect(queue).to_contain_text("Modifié par quelqu’un d’autre entre-temps", timeout=WAIT)
    row = queue.locator("tr", has_text="26-64")
    expect(row).to_contain_text("5")
    expect(row).to_contain_text("7")
    logged.refresh_from_db()
    assert (logged.count_26_64, logged.duration_minutes) == (7, 90)  # not overwritten unseen

    page.get_by_role("button", name="Garder les miennes").click()
    wait_until(page, lambda: Intervention.objects.get(pk=logged.pk).count_26_64 == 5)
    logged.refresh_from_db()
    assert logged.duration_minutes == 60  # what the phone showed and sent, chosen knowingly
    expect(queue).to_contain_text("Rien n’attend", timeout=WAIT)


def test_a_logout_leaves_no_name_on_the_device_and_another_account_never_sends_the_queue(
    page: Page, live_server, intervenant_ss, site_ss, field
):
    colleague = UserFactory(username="collegue.ss", role=intervenant_ss.role, sites=[site_ss])
    _ready(page, live_server, intervenant_ss.username)
    context = page.context
    go_offline(context)
    page.goto(f"{live_server.url}/interventions/rapide/")
    _log_contact(page, at=f"{_earlier_today(1)[0]:%H:%M}", person=field)
    # The name was on the device while the session lasted: that is what "at hand" is for.
    expect(page.locator("#offline-person")).to_contain_text("Étienne Bélanger")

    # The network comes back but the server cannot be reached: the entry stays queued.
    context.route("**/hors-ligne/envoyer/", lambda route: route.abort("connectionrefused"))
    go_online(context)
    page.goto(f"{live_server.url}/ma-journee/")
    _log_out(page)
    expect(page.get_by_label("Nom d’utilisateur")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text(
        "1 entrée attend sur cet appareil", timeout=WAIT
    )

    def device_contents() -> str:
        return page.evaluate(DEVICE_CONTENTS)

    wait_until(page, lambda: "ema-pages" not in page.evaluate("caches.keys()"))
    kept = device_contents()
    for name in ("Étienne", "Bélanger", "OMHM"):
        assert name not in kept, f"{name} is still on the device"
    assert '"state":"pending"' in kept  # the sealed entry is still there

    context.unroute("**/hors-ligne/envoyer/")
    browser_log_in(page, live_server, colleague.username)
    page.goto(f"{live_server.url}/ma-journee/")
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=WAIT)
    page.wait_for_timeout(2000)
    assert Intervention.objects.count() == 0  # never sent under another account

    _log_out(page)
    browser_log_in(page, live_server, intervenant_ss.username)
    wait_until(page, lambda: Intervention.objects.count() == 1)
    contact = Intervention.objects.get()
    assert contact.author == intervenant_ss
    assert list(contact.participations.values_list("resident", flat=True)) == [field.pk]


def test_the_app_passes_chromiums_installability_checks(
    playwright, live_server, intervenant_ss, tmp_path
):
    # A profile on disk, as a phone's browser has: an incognito context is never installable.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        viewport={"width": 375, "height": 667},
        locale="fr-CA",
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        _ready(page, live_server, intervenant_ss.username)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_a_sync_after_the_session_ended_asks_to_log_in_then_sends_the_queue(
    page: Page, live_server, intervenant_ss, field
):
    from django.contrib.sessions.models import Session

    _ready(page, live_server, intervenant_ss.username)
    context = page.context
    go_offline(context)
    page.goto(f"{live_server.url}/interventions/rapide/")
    # No time typed: the time of the save, in Montréal's time zone (the browser runs in the
    # machine's zone), not the time it reaches the server.
    page.locator("#id_type").select_option(label="Présence informelle")
    page.locator("#offline-start-time").fill("")
    page.locator("#id_count_26_64").fill("6")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    saved_at = timezone.localtime()
    Session.objects.all().delete()  # the session ended on the server meanwhile

    go_online(context)
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("connectez-vous pour l’envoyer", timeout=WAIT)
    assert Intervention.objects.count() == 0
    page.locator("#offline-banner").get_by_role("link", name="Se connecter").click()
    page.get_by_label("Nom d’utilisateur").fill(intervenant_ss.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    wait_until(page, lambda: Intervention.objects.count() == 1)
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=WAIT)
    logged = Intervention.objects.get()
    assert logged.date == saved_at.date()
    minutes = lambda moment: moment.hour * 60 + moment.minute  # noqa: E731
    assert abs(minutes(logged.start_time) - minutes(saved_at)) <= 2
