"""Every page of the URL × role table on a small phone, and the main pages through axe-core.

A page read at 320 or 375 px wide must not scroll sideways; the main pages must have no
accessibility violation that axe-core rates "critical" or "serious". One logged-in browser
context per role serves all its pages, so that the sweep runs in a couple of minutes.
axe-core comes from npm (package.json), never from a CDN; the context bypasses the
Content-Security-Policy only to inject it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from interventions.models import Participation
from tests.factories import InterventionFactory
from tests.logins import browser_log_in
from tests.url_table import EXPECTATIONS, OK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (320, 375)
# Who opens a page in the sweep: the first of these that the table lets see it.
SWEEP_ROLES = ("intervenant_site", "coordination", "direction", "admin", "no_role", "anonymous")
# Pages each role sees in its own way, swept for that role too.
ALSO = {("home", "direction")}
AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
GRAVE = ("critical", "serious")

NO_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
SCROLL_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


# A word longer than a phone is wide, as a pasted address or a reference number can be.
LONG_WORD = "Rendez-vous-au-bureau-de-l’OMHM-pour-le-renouvellement-du-bail-numéro-2026-0042"


@pytest.fixture
def busy_world(world):
    """The world with rows on its lists: open follow-ups of today and of last week that name
    a resident, an entry of today with a long summary, a follow-up of the coordinator."""
    users, objects = world
    author, resident = users["intervenant_site"], objects["resident"]
    intervention = objects["intervention"]
    today = timezone.localdate()
    for due in (today - timedelta(days=7), today):
        followed = InterventionFactory(
            site=intervention.site,
            author=author,
            follow_up_by=author,
            follow_up_due=due,
            summary=f"Appeler la famille au sujet du bail. {LONG_WORD}",
        )
        Participation.objects.create(intervention=followed, resident=resident)
    InterventionFactory(
        site=intervention.site,
        author=users["coordination"],
        follow_up_by=users["coordination"],
        follow_up_due=today,
        summary=LONG_WORD,
    )
    return world


def _pages_by_role(objects: dict) -> dict[str, list[tuple[str, str]]]:
    """Route name and concrete URL of every GET page, under the role that opens it."""
    pages: dict[str, list[tuple[str, str]]] = {}
    for route, (method, target, expected) in sorted(EXPECTATIONS.items()):
        if method != "get":
            continue
        url = reverse(route, args=[objects[target].pk] if target else [])
        roles = [role for role in SWEEP_ROLES if expected[role] == OK][:1]
        roles += [role for name, role in sorted(ALSO) if name == route and role not in roles]
        for role in roles:
            pages.setdefault(role, []).append((route, url))
    return pages


def _context(browser: Browser, live_server, users: dict, role: str) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 640}, locale="fr-CA", bypass_csp=True
    )
    if role != "anonymous":
        browser_log_in(context.new_page(), live_server, users[role].username)
    return context


def _opened(page: Page, url: str) -> bool:
    """Open a URL; False for a download (an export), which is not a page."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False
        raise
    return response is not None and response.headers.get("content-type", "").startswith("text/html")


def test_no_page_scrolls_sideways_on_a_small_phone(browser: Browser, live_server, busy_world):
    users, objects = busy_world
    scrolling = []
    swept = 0
    for role, pages in _pages_by_role(objects).items():
        context = _context(browser, live_server, users, role)
        page = context.new_page()
        for route, url in pages:
            # Each page is loaded once, at the narrowest width, then read again at each
            # wider one: the browser lays it out anew, media queries included.
            page.set_viewport_size({"width": WIDTHS[0], "height": 640})
            if not _opened(page, f"{live_server.url}{url}"):
                continue
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 640})
                swept += 1
                if not page.evaluate(NO_SCROLL):
                    wide = page.evaluate(SCROLL_WIDTH)
                    scrolling.append(f"{route} as {role} at {width} px: {wide[0]} > {wide[1]}")
        context.close()
    assert swept > 60, "the sweep opened too few pages"
    assert not scrolling, "pages that scroll sideways:\n" + "\n".join(scrolling)


@pytest.mark.parametrize("role", ["intervenant_site", "coordination", "direction", "admin"])
def test_the_main_navigation_shows_whole_at_1280_px(browser: Browser, live_server, world, role):
    users, _ = world
    # The longest bar is each role's own, with a long name in its account menu.
    users[role].first_name, users[role].last_name = "Marie-Ève-Geneviève", "Pierre-Louis-Tremblay"
    users[role].save(update_fields=["first_name", "last_name"])
    context = _context(browser, live_server, users, role)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}{reverse('interventions:my_day')}")
    assert not page.locator(".navbar-toggler").is_visible()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    assert navigation.get_by_role("link", name="Mes suivis").is_visible()
    # On one line: the bar is no taller than one line of links, the language switch inside.
    assert page.locator("nav.navbar").bounding_box()["height"] < 80
    switch = page.locator("form.language-switch button").bounding_box()
    assert switch["x"] + switch["width"] <= 1280
    assert page.locator("link[rel=icon]").get_attribute("href").endswith(".svg")
    context.close()


def _main_pages(objects: dict) -> list[tuple[str, str, str]]:
    household, resident = objects["household"], objects["resident"]
    referral = objects["referral"]
    return [
        ("intervenant_site", "Ma journée", reverse("interventions:my_day")),
        ("intervenant_site", "Saisie rapide", reverse("interventions:quick_log")),
        ("intervenant_site", "Interventions", reverse("interventions:intervention_list")),
        ("intervenant_site", "Nouvelle intervention", reverse("interventions:intervention_create")),
        ("intervenant_site", "Ménages", reverse("residents:household_list")),
        ("intervenant_site", "Ménage", reverse("residents:household_detail", args=[household.pk])),
        (
            "intervenant_site",
            "Résident·e",
            reverse("residents:resident_detail", args=[resident.pk]),
        ),
        ("intervenant_site", "Mes suivis", reverse("interventions:follow_ups")),
        (
            "intervenant_site",
            "Décompte",
            reverse("interventions:tally_detail", args=[objects["tally"].pk]),
        ),
        (
            "intervenant_site",
            "Séance",
            reverse("interventions:session_create", args=[objects["activity"].pk]),
        ),
        ("coordination", "Références", reverse("partners:referral_queue")),
        ("coordination", "Nouvelle référence", reverse("partners:referral_create")),
        ("coordination", "Référence", reverse("partners:referral_detail", args=[referral.pk])),
        ("coordination", "Accueil de la coordination", reverse("home")),
        ("direction", "Tableau de bord", reverse("dashboard")),
        ("direction", "Ce mois-ci", reverse("home")),
        ("intervenant_site", "Mon mois", reverse("my_month")),
    ]


def test_the_main_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_server, busy_world
):
    users, objects = busy_world
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    contexts: dict[str, BrowserContext] = {}
    for role, name, url in _main_pages(objects):
        if role not in contexts:
            contexts[role] = _context(browser, live_server, users, role)
        page = contexts[role].new_page()
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{live_server.url}{url}")
            page.add_script_tag(content=axe)
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
            )
            problems += [
                f"{name} ({width} px): {v['id']} [{v['impact']}] {v['help']} — {v['nodes']}"
                for v in violations
                if v["impact"] in GRAVE
            ]
        page.close()
    for context in contexts.values():
        context.close()
    assert not problems, "accessibility violations:\n" + "\n".join(problems)
