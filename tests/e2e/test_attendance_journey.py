"""Taking the attendance of a group session on a phone (375 × 667): one tap for everyone from
the last session, a tap per change, one to save; every row big enough for a thumb."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from interventions.models import Intervention, Level
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
)
from tests.logins import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 667}
FIRST_NAMES = [
    "Amira",
    "Benoît",
    "Chloé",
    "Dany",
    "Élise",
    "Fatou",
    "Gabriel",
    "Hugo",
    "Inès",
    "Jonathan",
    "Kelly",
    "Léa",
    "Mohamed",
]
MIN_TAP = 44


class Taps:
    """Every click the journey makes, counted, so that the test can bound them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.click()


@pytest.fixture
def homework_club(site_ss):
    """Homework help with 13 registered children; 10 of them came to the last session."""
    household = HouseholdFactory(site=site_ss)
    children = [
        ConsentedResidentFactory(household=household, first_name=name, last_name="Tremblay")
        for name in FIRST_NAMES
    ]
    activity = GroupActivityFactory(site=site_ss, usual_start_time=time(16, 30))
    activity.registered.set(children)
    last = InterventionFactory(
        activity=activity,
        site=site_ss,
        type=activity.type,
        place=activity.place,
        level=Level.GROUP,
        date=timezone.localdate() - timedelta(days=7),
    )
    for child in children[:10]:
        ParticipationFactory(intervention=last, resident=child)
    return activity, children


def open_session_page(page: Page, live_server, activity, username: str) -> None:
    browser_log_in(page, live_server, username)
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    page.locator(f"a[href$='/activites/{activity.pk}/seance/']").first.click()
    expect(page.get_by_role("heading", name="Consigner une séance")).to_be_visible()


def row_of(page: Page, first_name: str) -> Locator:
    return page.locator("label.tap-row", has_text=f"{first_name} Tremblay")


def test_the_attendance_of_the_last_session_with_two_changes_takes_three_taps(
    page: Page, live_server, intervenant_ss, homework_club
):
    activity, children = homework_club
    open_session_page(page, live_server, activity, intervenant_ss.username)
    expect(page.locator("#id_start_time")).to_have_value("16:30")
    tap = Taps()

    tap(page.get_by_role("button", name="Tout le monde de la dernière séance"))
    # The script ticked the boxes in place: no new page.
    assert "comme=" not in page.url
    for child in children[:10]:
        expect(row_of(page, child.first_name).get_by_role("checkbox")).to_be_checked()
    for child in children[10:]:
        expect(row_of(page, child.first_name).get_by_role("checkbox")).not_to_be_checked()
    tap(row_of(page, "Chloé"))  # came last week, not today
    tap(row_of(page, "Léa"))  # came today, not last week
    expect(row_of(page, "Chloé").get_by_role("checkbox")).not_to_be_checked()
    expect(row_of(page, "Léa").get_by_role("checkbox")).to_be_checked()
    assert tap.count <= 6

    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_role("heading", name=activity.name)).to_be_visible()
    session = Intervention.objects.get(activity=activity, date=timezone.localdate())
    expected = {child.first_name for child in children[:10]} - {"Chloé"} | {"Léa"}
    assert {p.resident.first_name for p in session.participations.all()} == expected
    assert session.start_time == time(16, 30)


def test_tick_everyone_then_untick_one(page: Page, live_server, intervenant_ss, homework_club):
    activity, _children = homework_club
    open_session_page(page, live_server, activity, intervenant_ss.username)
    page.get_by_role("button", name="Tout cocher").click()
    row_of(page, "Mohamed").click()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_role("heading", name=activity.name)).to_be_visible()
    session = Intervention.objects.get(activity=activity, date=timezone.localdate())
    assert {p.resident.first_name for p in session.participations.all()} == set(FIRST_NAMES) - {
        "Mohamed"
    }


def test_every_presence_row_is_at_least_44_px_square_on_a_phone(
    page: Page, live_server, intervenant_ss, homework_club
):
    activity, children = homework_club
    open_session_page(page, live_server, activity, intervenant_ss.username)
    rows = page.locator("label.tap-row")
    expect(rows).to_have_count(len(children))
    targets = [
        *rows.all(),
        page.get_by_role("button", name="Tout le monde de la dernière séance"),
        page.get_by_role("button", name="Tout cocher"),
    ]
    for target in targets:
        box = target.bounding_box()
        assert box is not None
        assert box["width"] >= MIN_TAP and box["height"] >= MIN_TAP, (target, box)
    # The page fits the phone's width: nothing to scroll sideways to read a name.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_javascript_the_links_tick_the_boxes_and_the_warning_asks_to_confirm(
    browser: Browser, live_server, intervenant_ss, homework_club
):
    activity, children = homework_club
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-CA")
    page = context.new_page()
    try:
        open_session_page(page, live_server, activity, intervenant_ss.username)
        page.get_by_role("link", name="Tout le monde de la dernière séance").click()
        assert "comme=derniere" in page.url
        for child in children[:10]:
            expect(row_of(page, child.first_name).get_by_role("checkbox")).to_be_checked()
        page.get_by_role("button", name="Enregistrer la séance").click()
        expect(page.get_by_role("heading", name=activity.name)).to_be_visible()

        # A second session the same day: the form warns first, then saves once confirmed.
        page.locator(f"a[href$='/activites/{activity.pk}/seance/']").first.click()
        expect(page.locator("#same-day")).to_be_visible()
        page.get_by_role("link", name="Tout cocher").click()
        page.get_by_role("button", name="Enregistrer la séance").click()
        expect(page.locator("#same-day")).to_be_visible()
        assert Intervention.objects.filter(activity=activity).count() == 2
        page.get_by_label("Enregistrer quand même").check()
        page.get_by_role("button", name="Enregistrer la séance").click()
        expect(page.get_by_role("heading", name=activity.name)).to_be_visible()
    finally:
        context.close()
    today = Intervention.objects.filter(activity=activity, date=timezone.localdate())
    assert sorted(session.participations.count() for session in today) == [10, 13]
