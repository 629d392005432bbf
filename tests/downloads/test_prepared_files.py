"""Big exports and the annual report, made by a job: the page says so and asks, the job writes
the file with its progress, the asker alone downloads it (recorded in the read log), a request
the queue could not take waits for the next pass, and files leave after a day."""

import csv
import io
import os
from dataclasses import replace
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from downloads.kinds import KINDS
from downloads.models import PreparedFile
from downloads.services import old_prepared_files_remove, prepared_file_ask, prepared_file_make
from downloads.tasks import make_waiting_files
from ema.read_log import ReadKind
from privacy.models import ReadEvent
from tests.factories import InterventionFactory


@pytest.fixture
def many(site_ss, intervenant_ss, settings):
    settings.EXPORT_IN_BACKGROUND_ROWS = 3
    for _ in range(5):
        InterventionFactory(author=intervenant_ss, site=site_ss)


def _export_url(**query):
    return (
        reverse("interventions:intervention_export")
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def test_a_big_export_is_prepared_by_a_job_and_downloaded_by_its_asker(
    client_as, coordination, many
):
    client = client_as(coordination)
    response = client.get(_export_url(format="csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("downloads:prepare_interventions"))
    page = client.get(response["Location"])
    assert "environ 5 lignes" in page.content.decode()

    ready = client.post(response["Location"], follow=True)
    prepared = PreparedFile.objects.get()
    assert (prepared.owner, prepared.state, prepared.rows_done) == (
        coordination,
        PreparedFile.State.READY,
        5,
    )
    assert "Le fichier est prêt." in ready.content.decode()

    assert not ReadEvent.objects.filter(kind=ReadKind.EXPORT).exists()
    download = client.get(reverse("downloads:file", args=[prepared.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "Date" and len(rows) == 6
    event = ReadEvent.objects.get(kind=ReadKind.EXPORT)
    assert event.actor == coordination
    assert event.details["export"] == "interventions"


def test_a_small_export_is_still_made_at_once(client_as, coordination, site_ss, intervenant_ss):
    InterventionFactory(author=intervenant_ss, site=site_ss)
    response = client_as(coordination).get(_export_url(format="csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_the_page_shows_progress_and_asks_again_by_itself(client_as, coordination, many):
    prepared = prepared_file_ask(
        user=coordination, kind="interventions", query=_query(), enqueue=lambda pk: None
    )
    page = client_as(coordination).get(prepared.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "En attente de son tour." in page


def _query() -> QueryDict:
    return QueryDict("format=xlsx")


def test_a_request_the_queue_could_not_take_waits_for_the_next_pass(coordination, many):
    def queue_down(pk):
        raise ConnectionRefusedError("Redis is down")

    prepared = prepared_file_ask(
        user=coordination, kind="interventions", query=_query(), enqueue=queue_down
    )
    assert PreparedFile.objects.get(pk=prepared.pk).state == PreparedFile.State.WAITING
    assert make_waiting_files() == 1
    prepared.refresh_from_db()
    assert prepared.state == PreparedFile.State.READY
    assert prepared.filename.endswith(".xlsx")
    # Made once: a second run of the job leaves it as it is.
    assert prepared_file_make(pk=prepared.pk).ready_at == prepared.ready_at


def test_only_the_asker_sees_or_downloads_it(client_as, coordination, direction, many):
    prepared = prepared_file_ask(
        user=coordination, kind="interventions", query=_query(), enqueue=lambda pk: None
    )
    prepared_file_make(pk=prepared.pk)
    client = client_as(direction)
    assert client.get(prepared.get_absolute_url()).status_code == 404
    assert client.get(reverse("downloads:file", args=[prepared.pk])).status_code == 404


def test_a_failed_file_says_so(client_as, coordination, many, monkeypatch):
    def broken(user, query):
        raise RuntimeError("disk full")

    monkeypatch.setitem(KINDS, "interventions", replace(KINDS["interventions"], make=broken))
    prepared = prepared_file_ask(
        user=coordination, kind="interventions", query=_query(), enqueue=lambda pk: None
    )
    assert prepared_file_make(pk=prepared.pk).state == PreparedFile.State.FAILED
    page = client_as(coordination).get(prepared.get_absolute_url()).content.decode()
    assert "n’a pas pu être préparé" in page


def test_files_leave_after_a_day(coordination, many):
    prepared = prepared_file_ask(
        user=coordination, kind="interventions", query=_query(), enqueue=lambda pk: None
    )
    prepared = prepared_file_make(pk=prepared.pk)
    path = prepared.file.path
    assert old_prepared_files_remove(now=timezone.now() + timedelta(hours=23)) == 0
    assert old_prepared_files_remove(now=timezone.now() + timedelta(hours=25)) == 1
    assert not PreparedFile.objects.exists()
    assert not os.path.exists(path)


def test_the_annual_report_of_a_big_year_is_prepared_by_a_job(
    client_as, direction, site_ss, intervenant_ss, settings
):
    settings.ANNUAL_REPORT_IN_BACKGROUND = 2
    for _ in range(3):
        InterventionFactory(author=intervenant_ss, site=site_ss)
    client = client_as(direction)
    response = client.get(reverse("annual_report") + "?format=xlsx")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("downloads:prepare_annual_report"))
    client.post(response["Location"])
    prepared = PreparedFile.objects.get()
    assert prepared.state == PreparedFile.State.READY
    assert prepared.filename.startswith("rapport-annuel-") and prepared.filename.endswith(".xlsx")


def test_only_who_may_export_asks_for_a_file(client_as, intervenant_ss, many):
    client = client_as(intervenant_ss)
    url = reverse("downloads:prepare_interventions")
    assert client.post(url).status_code == 403
    assert not PreparedFile.objects.exists()
