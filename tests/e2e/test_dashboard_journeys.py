"""The director reads the live picture of the team's work."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.factories import InterventionFactory
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_director_changes_the_period_and_the_site_and_sees_the_charts(
    page: Page, live_server, direction, intervenant_ss, site_ss, site_ag
):
    InterventionFactory(site=site_ss, author=intervenant_ss, duration_minutes=90)
    InterventionFactory(site=site_ag, author=intervenant_ss, duration_minutes=30)
    browser_log_in(page, live_server, direction.username)
    page.goto(f"{live_server.url}/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    activity = page.get_by_role("region", name="Activité")
    expect(activity.locator("svg[role=img]")).to_be_visible()
    expect(activity.get_by_role("rowheader", name="André-Grasset")).to_be_visible()

    page.locator("#id_kind").select_option("fiscal_year")
    page.locator("#id_site").select_option(str(site_ss.pk))
    page.get_by_role("button", name="Afficher", exact=True).click()

    assert "kind=fiscal_year" in page.url
    expect(page.get_by_text("Exercice", exact=False).first).to_be_visible()
    activity = page.get_by_role("region", name="Activité")
    expect(activity.locator("svg[role=img]")).to_be_visible()
    expect(activity.get_by_role("rowheader", name="Saint-Sulpice")).to_be_visible()
    expect(activity.get_by_role("rowheader", name="André-Grasset")).to_have_count(0)


def test_the_director_downloads_the_annual_report_as_a_workbook(
    page: Page, live_server, direction, intervenant_ss, site_ss
):
    InterventionFactory(site=site_ss, author=intervenant_ss)
    browser_log_in(page, live_server, direction.username)
    page.goto(f"{live_server.url}/tableau-de-bord/")
    page.get_by_role("link", name="Rapport annuel d’activités").click()
    expect(page.get_by_role("heading", name="Rapport annuel d’activités")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    assert len(workbook.sheetnames) == 9
    assert "Participation" in workbook.sheetnames
