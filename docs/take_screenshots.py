"""Take the README's screenshots from a running demo (`make run` in another terminal):

.venv/bin/python docs/take_screenshots.py [http://127.0.0.1:8000]
"""

import base64
import hashlib
import hmac
import os
import re
import struct
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
BASE = ARGS[0] if ARGS else "http://127.0.0.1:8000"
# Playwright cuts the service worker's requests too only with this (the offline shots).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
OUT = Path(__file__).parent / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def log_in(page, username: str) -> None:
    page.goto(f"{BASE}/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "ema-demo-2026")
    page.click("button[type=submit]:not([name=language])")


def totp(secret: str, *, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for a base32 key (RFC 6238)."""
    key = base64.b32decode(secret.replace(" ", "").upper())
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def enrol_two_factor(page) -> None:
    """The director's first login: set up the authenticator app, keep the recovery codes."""
    page.screenshot(path=OUT / "two-factor-enrol.png", full_page=True)
    secret = page.inner_text("#two-factor-secret")
    page.fill("#id_code", totp(secret))
    page.click("main form button[type=submit]")
    page.click("main a.btn-primary")


def _cut_worker(route) -> None:
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def offline_shots(browser) -> None:
    """The quick log without a network, on a phone: two presences waiting to be sent."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-CA")
    phone = context.new_page()
    log_in(phone, "intervenant.ss")
    phone.goto(f"{BASE}/ma-journee/")
    kept = """async () => !!navigator.serviceWorker.controller && await caches.has("ema-pages")
        && (await (await caches.open("ema-pages")).keys()).length >= 2"""
    for _ in range(100):
        if phone.evaluate(kept):
            break
        phone.wait_for_timeout(100)
    context.set_offline(True)
    context.route("**/*", _cut_worker)
    phone.goto(f"{BASE}/interventions/rapide/")
    for adults in ("3", "5"):
        phone.select_option("#id_type", label="Présence informelle")
        phone.fill("#id_count_26_64", adults)
        phone.click("main form [data-offline-submit]")
        phone.wait_for_selector("text=Gardé sur cet appareil")
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=OUT / "offline-phone.png")
    context.unroute("**/*", _cut_worker)
    context.set_offline(False)  # the two presences reach the demo database
    phone.wait_for_timeout(2000)
    context.close()


def _first_link(page, prefix: str) -> None:
    """Open the first record linked from the page's main content: `prefix` and a number."""
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.pathname)")
    record = re.compile(re.escape(prefix) + r"\d+/")
    page.goto(BASE + next(href for href in hrefs if record.fullmatch(href)))


def practice_shots(browser) -> None:
    """The team's practice and the evaluation: meetings, support, ladder, collective issues,
    concertation, the practice journal and the research data set."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-CA")
    log_in(page, "intervenant.ss")
    page.goto(f"{BASE}/reunions/")
    _first_link(page, "/reunions/")
    page.screenshot(path=OUT / "team-meeting.png", full_page=True)
    page.goto(f"{BASE}/parcours/echelle/")
    page.screenshot(path=OUT / "ladder.png", full_page=True)
    page.goto(f"{BASE}/enjeux/?site=1")
    _first_link(page, "/enjeux/")
    page.screenshot(path=OUT / "collective-issue.png", full_page=True)
    page.goto(f"{BASE}/soutien/")
    page.screenshot(path=OUT / "supervision.png")
    page.context.clear_cookies()
    log_in(page, "coordination")
    page.goto(f"{BASE}/concertation/")
    _first_link(page, "/concertation/")
    page.screenshot(path=OUT / "concertation-meeting.png", full_page=True)
    page.context.clear_cookies()
    log_in(page, "recherche")
    page.goto(f"{BASE}/journal/")
    page.screenshot(path=OUT / "journal.png")
    _first_link(page, "/journal/")
    page.screenshot(path=OUT / "journal-entry.png", full_page=True)
    page.goto(f"{BASE}/recherche/export/")
    page.screenshot(path=OUT / "research-export.png")
    page.close()


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        if "--practice-only" in sys.argv:
            practice_shots(browser)
            return
        offline_shots(browser)
        if "--offline-only" in sys.argv:
            return
        practice_shots(browser)
        desktop = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-CA")
        desktop.goto(f"{BASE}/compte/connexion/")
        desktop.screenshot(path=OUT / "login.png")
        log_in(desktop, "direction")
        enrol_two_factor(desktop)
        desktop.goto(f"{BASE}/")
        desktop.screenshot(path=OUT / "home-direction.png")
        desktop.goto(f"{BASE}/sites/")
        desktop.screenshot(path=OUT / "sites.png")
        desktop.goto(f"{BASE}/menages/?site=1")
        desktop.screenshot(path=OUT / "households.png")
        desktop.click("table tbody tr:first-child a")
        desktop.screenshot(path=OUT / "household.png", full_page=True)

        desktop.goto(f"{BASE}/tableau-de-bord/?kind=fiscal_year")
        desktop.screenshot(path=OUT / "dashboard.png")
        desktop.goto(f"{BASE}/interventions/")
        desktop.screenshot(path=OUT / "interventions.png")
        desktop.goto(f"{BASE}/activites/")
        desktop.click("main ul li:first-child a.fw-semibold")
        desktop.screenshot(path=OUT / "group-activity.png", full_page=True)
        desktop.goto(f"{BASE}/journal-des-consultations/")
        desktop.screenshot(path=OUT / "read-log.png")
        desktop.goto(f"{BASE}/residents/1/renseignements/")
        desktop.screenshot(path=OUT / "personal-information.png")
        desktop.goto(f"{BASE}/incidents/nouveau/")
        desktop.screenshot(path=OUT / "incident-form.png")

        desktop.context.clear_cookies()
        log_in(desktop, "coordination")
        desktop.screenshot(path=OUT / "home-coordination.png")
        desktop.goto(f"{BASE}/references/")
        desktop.screenshot(path=OUT / "referral-queue.png")
        desktop.click("main .list-group-item a.fw-semibold >> nth=0")
        desktop.screenshot(path=OUT / "referral.png", full_page=True)
        desktop.goto(f"{BASE}/partenaires/reseau/")
        desktop.screenshot(path=OUT / "network.png", full_page=True)

        phone = browser.new_page(viewport={"width": 375, "height": 812}, locale="fr-CA")
        log_in(phone, "intervenant.ss")
        phone.screenshot(path=OUT / "my-day-phone.png")
        phone.click("main .quick-types a.btn-lg >> nth=0")
        phone.screenshot(path=OUT / "quick-log-phone.png")
        # The type-ahead, typed without accents: the names come from the person's own sites.
        phone.goto(f"{BASE}/interventions/rapide/")
        phone.locator("#id_participants-ts-control").press_sequentially("elisa", delay=40)
        phone.wait_for_selector(".ts-dropdown .option")
        phone.screenshot(path=OUT / "picker-phone.png")
        # A presence counted as people arrive.
        phone.goto(f"{BASE}/interventions/rapide/?type=1")
        phone.click("text=Démarrer un décompte")
        for _ in range(5):
            phone.click("button[data-step='1'] >> nth=1")
        phone.click("button[data-step='1'] >> nth=4")
        phone.screenshot(path=OUT / "tally-phone.png")
        phone.click("text=Abandonner ce décompte")
        phone.click("text=Abandonner, ne rien consigner")
        phone.goto(f"{BASE}/suivis/")
        phone.screenshot(path=OUT / "follow-ups-phone.png")
        phone.goto(f"{BASE}/menages/nouveau/")
        phone.screenshot(path=OUT / "household-form-phone.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
