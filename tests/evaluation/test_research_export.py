"""The research data set: no name, no text typed by the team, no count under 5; stable codes;
rows of one's own only with a research consent; a stable shift of each person's dates; a
datapackage.json describing every column in French and English; the read log."""

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ema.read_log import ReadKind
from evaluation.dataset import Options, dataset_tables, date_shift, pseudonym
from evaluation.package import research_zip
from interventions.models import Participation
from privacy.models import ReadEvent
from tests.evaluation.conftest import SECRETS, research_consent

DOWNLOAD_URL = reverse("evaluation:research_export_download")
PAGE_URL = reverse("evaluation:research_export")


def _download(client, **params):
    response = client.get(DOWNLOAD_URL, {"kind": "fiscal_year", **params})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _rows(archive, path):
    return list(csv.DictReader(io.StringIO(archive.read(path).decode("utf-8"))))


def _options(**values):
    today = timezone.localdate()
    return Options(start=date(today.year - 1, 1, 1), end=today, today=today, **values)


def _zip(options):
    return zipfile.ZipFile(research_zip(options=options, filters={}))


def test_the_data_set_holds_no_name_no_note_and_no_count_under_5(
    client_as, research, evaluation_data
):
    archive = _download(client_as(research))
    found = {
        name: [secret for secret in SECRETS if secret in archive.read(name).decode("utf-8")]
        for name in archive.namelist()
    }
    assert {name: secrets for name, secrets in found.items() if secrets} == {}
    counted = {
        table.path: [column.name for column in table.columns if column.counts]
        for table in dataset_tables(_options())
    }
    small = [
        (path, column, row[column])
        for path, columns in counted.items()
        for row in _rows(archive, path)
        for column in columns
        if row[column].isdigit() and 1 <= int(row[column]) <= 4
    ]
    assert small == []
    # The counts are there, hidden where small: six sessions of 2 to 7 people named.
    sessions = _rows(archive, "sessions.csv")
    assert len(sessions) == 6
    assert {row["named"] for row in sessions} == {"< 5", "5", "6", "7"}


def test_only_residents_with_a_research_consent_have_rows(research, evaluation_data):
    options = _options()
    archive = _zip(options)
    consenting = {pseudonym(r.pk, options) for r in evaluation_data.consenting}
    others = {pseudonym(r.pk, options) for r in evaluation_data.others}
    people = {row["person"] for row in _rows(archive, "residents.csv")}
    assert people == consenting
    attending = {row["person"] for row in _rows(archive, "attendance.csv")}
    assert attending == consenting
    referred = {row["person"] for row in _rows(archive, "referral_steps.csv")}
    # Four referrals: two of consenting residents, two without a person's code.
    assert referred == {pseudonym(r.pk, options) for r in evaluation_data.consenting[:2]} | {""}
    assert not referred & others
    # The age group from the birth year: the child of the guardian's consent is 6-12.
    groups = {row["age_group"] for row in _rows(archive, "residents.csv")}
    assert "6-12" in groups
    assert "date_of_birth" not in archive.read("residents.csv").decode()


def test_codes_are_the_same_in_two_exports_and_differ_with_another_key(
    client_as, research, evaluation_data
):
    client = client_as(research)
    first = {row["person"] for row in _rows(_download(client), "residents.csv")}
    second = {row["person"] for row in _rows(_download(client), "residents.csv")}
    assert first == second and len(first) == 3
    with override_settings(RESEARCH_PSEUDONYM_KEY="une-autre-cle"):
        other = {row["person"] for row in _rows(_download(client), "residents.csv")}
    assert other.isdisjoint(first) and len(other) == 3


def test_each_persons_dates_move_by_the_same_days_in_every_export(research, evaluation_data):
    plain = _rows(_zip(_options()), "referral_steps.csv")
    shifted_once = _rows(_zip(_options(shift_dates=True)), "referral_steps.csv")
    shifted_twice = _rows(_zip(_options(shift_dates=True)), "referral_steps.csv")
    assert shifted_once == shifted_twice
    by_referral = {}
    for before, after in zip(plain, shifted_once, strict=True):
        days = (date.fromisoformat(after["date"]) - date.fromisoformat(before["date"])).days
        by_referral.setdefault(before["referral"], set()).add(days)
        assert abs(days) <= 14
    assert all(len(days) == 1 for days in by_referral.values())
    options = _options(shift_dates=True)
    resident = evaluation_data.consenting[0]
    assert date_shift(f"resident:{resident.pk}", options) == date_shift(
        f"resident:{resident.pk}", options
    )
    assert _options().shift_dates is False
    assert date_shift(f"resident:{resident.pk}", _options()).days == 0


def test_the_datapackage_describes_every_column_in_french_and_english(research, evaluation_data):
    archive = _zip(_options())
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert package["ema"]["app_version"]
    paths = {resource["path"] for resource in package["resources"]}
    assert paths == {name for name in archive.namelist() if name.endswith(".csv")}
    assert "references/age_groups.csv" in paths
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode("utf-8"))))
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == header, resource["path"]
        for field in fields:
            assert field["type"] in {"string", "integer", "number", "date", "yearmonth", "boolean"}
            assert field["descriptions"]["fr"] and field["descriptions"]["en"]
            assert field["description"] == (
                f"{field['descriptions']['fr']} / {field['descriptions']['en']}"
            )
    month = package["resources"][0]["schema"]["fields"][0]
    assert month["descriptions"] == {"fr": "Mois (AAAA-MM)", "en": "Month (YYYY-MM)"}
    levels = next(
        field
        for resource in package["resources"]
        if resource["path"] == "interventions.csv"
        for field in resource["schema"]["fields"]
        if field["name"] == "level"
    )
    assert levels["constraints"]["enum"] == ["individual", "group", "collective"]


def test_each_export_is_in_the_read_log(client_as, research, evaluation_data):
    _download(client_as(research), shift_dates="on")
    event = ReadEvent.objects.get(kind=ReadKind.EXPORT)
    assert event.actor == research
    assert event.details["export"] == "research_dataset"
    assert event.details["dates_shifted"] is True


def test_the_export_page_offers_the_filters(client_as, direction, django_assert_max_num_queries):
    client = client_as(direction)
    with django_assert_max_num_queries(8):
        response = client.get(PAGE_URL)
    assert response.status_code == 200
    assert 'name="shift_dates"' in response.content.decode()


def test_bad_filters_are_shown_in_french_and_nothing_is_exported(client_as, research):
    response = client_as(research).get(
        DOWNLOAD_URL, {"kind": "custom", "start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "La fin de la période ne peut pas précéder son début." in response.content.decode()
    assert not ReadEvent.objects.filter(kind=ReadKind.EXPORT).exists()


@pytest.mark.parametrize("persona", ["coordination", "intervenant_ss"])
def test_staff_other_than_the_direction_may_not_export(client_as, request, persona):
    response = client_as(request.getfixturevalue(persona)).get(DOWNLOAD_URL)
    assert response.status_code == 403


def test_the_query_count_does_not_grow_with_the_data(
    client_as, research, evaluation_data, site_ss, django_assert_max_num_queries
):
    client = client_as(research)
    with CaptureQueriesContext(connection) as before:
        _download(client)
    for session in evaluation_data.sessions:
        for resident in evaluation_data.others:
            Participation.objects.get_or_create(intervention=session, resident=resident)
    for resident in evaluation_data.others[:4]:
        research_consent(resident, by=evaluation_data.author)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as after:
        _download(client)
    assert len(after) == len(before)


def test_the_path_to_power_has_rows_for_consenting_residents_and_counts_for_everyone(
    research, evaluation_data
):
    options = _options()
    archive = _zip(options)
    consenting = {pseudonym(r.pk, options) for r in evaluation_data.consenting}
    steps = _rows(archive, "path_steps.csv")
    # The three consenting residents attended sessions: they are on the ladder, nobody else.
    assert {row["person"] for row in steps} == consenting
    # Each came to three sessions or more: returning participants (step 2).
    assert {(row["role"], row["step"]) for row in steps} == {("returning", "2")}
    assert all(row["site"] == "Saint-Sulpice" for row in steps)
    # Seven residents attended: five of them three times or more, two less (a small cell);
    # everyone is counted, without a code.
    counts = {row["role"]: row["residents"] for row in _rows(archive, "path_counts.csv")}
    assert counts == {"returning": "5", "participant": "< 5"}
    assert "person" not in archive.read("path_counts.csv").decode().splitlines()[0]
    roles = {row["code"] for row in _rows(archive, "references/path_roles.csv")}
    assert roles >= {"participant", "returning", "board"}
