"""The research team of the evaluation: it lands on the practice journal, reads an entry and
its figures, and downloads the pseudonymised data set."""

import json
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.evaluation.factories import JournalEntryFactory
from tests.factories import InterventionFactory
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_research_reads_the_journal_and_downloads_the_data_set(
    page: Page, live_server, research, intervenant_ss, site_ss
):
    InterventionFactory(site=site_ss, author=intervenant_ss)
    JournalEntryFactory(author=intervenant_ss, title="Ateliers du mardi déplacés au soir")
    browser_log_in(page, live_server, research.username)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Journal de pratique")).to_be_visible()
    page.get_by_role("link", name="Ateliers du mardi déplacés au soir").click()
    expect(page.get_by_role("heading", name="Ateliers du mardi déplacés au soir")).to_be_visible()
    expect(page.get_by_role("table", name="Participation")).to_be_visible()

    page.goto(f"{live_server.url}/journal/")
    page.get_by_role("link", name="Données de recherche").first.click()
    expect(page.get_by_role("heading", name="Données de recherche")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les données (zip)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        package = json.loads(archive.read("datapackage.json"))
        paths = {resource["path"] for resource in package["resources"]}
        assert {"interventions.csv", "sessions.csv", "residents.csv"} <= paths
        assert paths <= set(archive.namelist())
