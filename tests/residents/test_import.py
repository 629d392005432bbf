"""Import of households and residents from a spreadsheet: upload, preview, confirm."""

import csv
import io
import json
import os
import zipfile
from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from residents.import_views import PREVIEW_ROWS_SHOWN, SESSION_KEY
from residents.imports import COLUMN_KEYS, ImportResult, import_apply, parse_upload, reading
from residents.models import Consent, Household, Resident
from tests.factories import ConsentedResidentFactory, HouseholdFactory, SiteFactory

IMPORT_URL = reverse("residents:household_import")
CONFIRM_URL = reverse("residents:household_import_confirm")
CONSENT_DAY = "2025-01-15"


def adult(**values) -> dict[str, str]:
    """A valid row: an adult at Saint-Sulpice who gave her own consent."""
    return {
        "site": "Saint-Sulpice",
        "logement": "1250, app. 4",
        "menage": "Tremblay",
        "langues": "français",
        "date_arrivee": "2019-07-01",
        "prenom": "Marie",
        "nom": "Tremblay",
        "date_naissance": "1985-03-14",
        "genre": "femme",
        "telephone": "514 555-0123",
        "consentement_date": CONSENT_DAY,
        "consentement_par": "personne",
        **values,
    }


def child(**values) -> dict[str, str]:
    """A valid row: a child of 6 whose mother gave the consent."""
    return adult(
        **{
            "prenom": "Léo",
            "date_naissance": "15/05/2018",
            "genre": "homme",
            "telephone": "",
            "ecole": "École Saint-Isaac-Jogues",
            "consentement_par": "parent",
            "nom_parent": "Marie Tremblay",
            **values,
        }
    )


def csv_file(
    rows, *, header=COLUMN_KEYS, delimiter=",", encoding="utf-8", name="menages.csv"
) -> SimpleUploadedFile:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, header=COLUMN_KEYS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(
        "menages.xlsx",
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def preview(client, file):
    return client.post(IMPORT_URL, {"file": file})


def confirm(client):
    token = client.session.get(SESSION_KEY, {}).get("token", "")
    return client.post(CONFIRM_URL, {"submission": token})


def error_columns(response) -> list[set[str]]:
    return [row.error_columns for row in response.context["preview"].rows]


# The path of a valid file ------------------------------------------------------------------


def test_valid_csv_previews_then_imports_households_with_members_and_consents(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    rows = [
        adult(),
        child(),
        adult(logement="1250, app. 5", menage="Roy", prenom="Ahmed", nom="Roy", genre=""),
    ]

    response = preview(client, csv_file(rows))

    assert response.status_code == 200
    result = response.context["preview"]
    assert not result.has_errors
    assert (result.new_households, result.matched_households, result.new_residents) == (2, 0, 3)
    assert b'name="submission"' in response.content
    assert "Léo" in response.content.decode()
    assert not Household.objects.exists()

    response = confirm(client)

    assert response.status_code == 302
    assert response.url == reverse("residents:household_list")
    tremblay = Household.objects.get(label="Tremblay")
    assert tremblay.site == site_ss
    assert tremblay.unit == "1250, app. 4"
    assert tremblay.languages == "français"
    assert tremblay.moved_in_on == date(2019, 7, 1)
    assert sorted(tremblay.members.values_list("first_name", flat=True)) == ["Léo", "Marie"]
    assert Household.objects.count() == 2
    assert Resident.objects.count() == 3
    assert Consent.objects.count() == 3
    assert set(Consent.objects.values_list("obtained_by", flat=True)) == {coordination.pk}
    leo = Resident.objects.get(first_name="Léo")
    assert leo.date_of_birth == date(2018, 5, 15)
    assert leo.gender == Resident.Gender.MAN
    leo_consent = leo.consents.get()
    assert leo_consent.purpose == Consent.Purpose.KEEP_FILE
    assert leo_consent.given_on == date(2025, 1, 15)
    assert leo_consent.given_by == Consent.GivenBy.GUARDIAN
    assert leo_consent.guardian_name == "Marie Tremblay"
    assert LogEntry.objects.get_for_model(Resident).filter(actor=coordination).count() == 3
    assert SESSION_KEY not in client.session
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_direction_may_import_too(client_as, direction, site_ss):
    client = client_as(direction)

    assert preview(client, csv_file([adult()])).status_code == 200
    assert confirm(client).status_code == 302
    assert Resident.objects.filter(household__site=site_ss).count() == 1


def test_xlsx_with_date_cells_and_number_cells_imports(client_as, coordination, site_ss):
    client = client_as(coordination)
    rows = [
        adult(date_naissance=datetime(1985, 3, 14), consentement_date=date(2025, 1, 15)),
        child(date_naissance=None, annee_naissance=2018, consentement_date=date(2025, 1, 15)),
    ]

    response = preview(client, xlsx_file(rows))

    assert response.status_code == 200
    assert not response.context["preview"].has_errors
    assert confirm(client).status_code == 302
    marie = Resident.objects.get(first_name="Marie")
    assert marie.date_of_birth == date(1985, 3, 14)
    assert Resident.objects.get(first_name="Léo").birth_year == 2018
    assert marie.consents.get().given_on == date(2025, 1, 15)


def test_semicolon_cp1252_csv_with_french_column_names_imports(client_as, coordination, site_ag):
    client = client_as(coordination)
    header = [
        "Site",
        "Logement",
        "Ménage",
        "Prénom",
        "Nom",
        "Date de naissance",
        "Date du consentement",
    ]
    row = [
        "André-Grasset",
        "10, app. 2",
        "Bélanger",
        "Hélène",
        "Bélanger",
        "02/11/1970",
        "15/01/2025",
    ]
    content = ";".join(header) + "\r\n" + ";".join(row) + "\r\n"

    response = preview(client, SimpleUploadedFile("menages.csv", content.encode("cp1252")))

    assert response.status_code == 200
    assert not response.context["preview"].has_errors
    assert confirm(client).status_code == 302
    helene = Resident.objects.select_related("household").get()
    assert (helene.first_name, helene.last_name) == ("Hélène", "Bélanger")
    assert helene.date_of_birth == date(1970, 11, 2)
    assert helene.household.site == site_ag
    assert helene.household.label == "Bélanger"


def test_tab_delimited_csv_with_english_column_names_and_blank_rows(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    header = ["Site", "Unit", "Household", "First name", "Last name", "Birth year", "Consent date"]
    lines = [
        header,
        ["Saint-Sulpice", "7", "Roy", "Ahmed", "Roy", "1990", CONSENT_DAY],
        ["", "", "", "", "", "", ""],
        ["Saint-Sulpice", "7", "Roy", "Sara", "Roy", "1992", "2099-01-01"],
    ]
    content = "\n".join("\t".join(line) for line in lines)

    response = preview(client, SimpleUploadedFile("menages.csv", content.encode()))

    assert response.status_code == 200
    rows = response.context["preview"].rows
    assert [row.line for row in rows] == [2, 4]
    assert rows[1].error_columns == {"consentement_date"}


# Rows with errors --------------------------------------------------------------------------


def _in_years(years: int) -> str:
    return (timezone.localdate() + timedelta(days=366 * years)).isoformat()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (adult(date_naissance=_in_years(1)), "date_naissance"),
        (child(consentement_par="personne", nom_parent=""), "consentement_par"),
        (child(consentement_par="", nom_parent=""), "consentement_par"),
        (child(nom_parent=""), "nom_parent"),
        (adult(date_naissance="1985-02-30"), "date_naissance"),
        (adult(date_naissance="14 mars 1985"), "date_naissance"),
        (adult(site="Saint-Nulle-Part"), "site"),
        (adult(nom="N" * 81), "nom"),
        (adult(menage="M" * 121), "menage"),
        (adult(prenom=""), "prenom"),
        (adult(date_naissance="", annee_naissance=""), "date_naissance"),
        (adult(annee_naissance="1984"), "annee_naissance"),
        (adult(genre="peut-être"), "genre"),
        (adult(telephone="appeler la voisine"), "telephone"),
        (adult(consentement_date=""), "consentement_date"),
        (adult(consentement_date=_in_years(1)), "consentement_date"),
    ],
    ids=[
        "future-birth",
        "minor-own-consent",
        "minor-blank-consent-by",
        "guardian-unnamed",
        "impossible-date",
        "malformed-date",
        "unknown-site",
        "long-last-name",
        "long-household-name",
        "first-name-missing",
        "birth-missing",
        "year-and-date-disagree",
        "unknown-gender",
        "bad-phone",
        "consent-date-missing",
        "consent-date-future",
    ],
)
def test_row_error_is_shown_and_nothing_is_saved(client_as, coordination, site_ss, row, column):
    client = client_as(coordination)

    response = preview(client, csv_file([adult(logement="2", prenom="Autre"), row]))

    assert response.status_code == 200
    result = response.context["preview"]
    assert result.has_errors
    assert error_columns(response) == [set(), {column}]
    error = result.rows[1].errors[0]
    assert error.startswith(("Line 3, column", "Ligne 3, colonne"))
    assert column in error
    content = response.content.decode()
    assert b'name="submission"' not in response.content
    assert CONFIRM_URL not in content

    response = confirm(client)

    assert response.status_code == 400
    assert not Household.objects.exists()
    assert not Resident.objects.exists()
    assert not Consent.objects.exists()


def test_rows_of_one_unit_must_agree_on_the_household_name(client_as, coordination, site_ss):
    client = client_as(coordination)
    rows = [adult(), child(menage="Gagnon"), child(prenom="Zoé", logement="1250, APP. 4")]

    response = preview(client, csv_file(rows))

    assert error_columns(response) == [set(), {"menage"}, set()]
    assert response.context["preview"].new_households == 1


def test_same_person_twice_in_a_household_is_an_error(client_as, coordination, site_ss):
    client = client_as(coordination)

    response = preview(client, csv_file([adult(), adult(prenom="MARIE", telephone="")]))

    assert error_columns(response) == [set(), {"prenom"}]
    # The message points back at the first occurrence, in whatever language the page is in.
    assert " 2 " in response.context["preview"].rows[1].errors[0]


# Households already in EMA -----------------------------------------------------------------


def test_existing_household_with_the_same_name_gets_the_new_members(
    client_as, coordination, site_ss
):
    household = HouseholdFactory(site=site_ss, unit="1250, App. 4", label="TREMBLAY")
    ConsentedResidentFactory(
        household=household, first_name="Jean", date_of_birth=None, birth_year=1980
    )
    client = client_as(coordination)

    response = preview(client, csv_file([adult(), child()]))

    result = response.context["preview"]
    assert not result.has_errors
    assert (result.new_households, result.matched_households, result.new_residents) == (0, 1, 2)
    assert confirm(client).status_code == 302
    assert Household.objects.get() == household
    assert sorted(household.members.values_list("first_name", flat=True)) == [
        "Jean",
        "Léo",
        "Marie",
    ]
    household.refresh_from_db()
    assert household.label == "TREMBLAY"


def test_existing_household_with_another_name_is_an_error(client_as, coordination, site_ss):
    HouseholdFactory(site=site_ss, unit="1250, app. 4", label="Gagnon")
    client = client_as(coordination)

    response = preview(client, csv_file([adult(), child()]))

    assert error_columns(response) == [{"menage"}, {"menage"}]
    assert "Gagnon" in response.context["preview"].rows[1].errors[0]
    assert confirm(client).status_code == 400
    assert not Resident.objects.exists()


def test_household_that_moved_out_leaves_the_unit_free(client_as, coordination, site_ss):
    HouseholdFactory(
        site=site_ss,
        unit="1250, app. 4",
        label="Gagnon",
        status=Household.Status.MOVED_OUT,
        moved_out_on=date(2024, 6, 30),
    )
    client = client_as(coordination)

    response = preview(client, csv_file([adult()]))

    assert response.context["preview"].new_households == 1
    assert confirm(client).status_code == 302
    assert Household.objects.count() == 2


def test_resident_already_in_the_existing_household_is_an_error(client_as, coordination, site_ss):
    household = HouseholdFactory(site=site_ss, unit="1250, app. 4", label="Tremblay")
    ConsentedResidentFactory(
        household=household,
        first_name="Marie",
        last_name="Tremblay",
        date_of_birth=date(1985, 1, 1),
    )
    client = client_as(coordination)

    response = preview(client, csv_file([adult(), child()]))

    assert error_columns(response) == [{"prenom"}, set()]
    assert confirm(client).status_code == 400
    assert household.members.count() == 1


# Files that cannot be read -----------------------------------------------------------------


def test_missing_column_rerenders_the_form_with_the_error(client_as, coordination, site_ss):
    client = client_as(coordination)
    header = [column for column in COLUMN_KEYS if column != "consentement_date"]

    response = preview(client, csv_file([adult()], header=header))

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert "consentement_date" in errors[0]
    assert "consentement_date" in response.content.decode()
    assert response.context["preview"] is None
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("menages.txt", b"site,logement\n"),
        SimpleUploadedFile("menages.xlsx", b"not a spreadsheet"),
        SimpleUploadedFile("menages.csv", b""),
        SimpleUploadedFile("menages.csv", ",".join(COLUMN_KEYS).encode() + b"\n"),
        SimpleUploadedFile("menages.csv", b"\x81\x8d\x8f\x90\x9d" * 10),
    ],
    ids=["wrong-type", "damaged-xlsx", "empty", "no-rows", "undecodable"],
)
def test_unreadable_file_rerenders_the_form_with_the_error(client_as, coordination, file):
    response = preview(client_as(coordination), file)

    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_no_file_rerenders_the_form(client_as, coordination):
    response = client_as(coordination).post(IMPORT_URL, {})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_too_many_rows_is_refused(client_as, coordination, site_ss, settings):
    settings.IMPORT_MAX_ROWS = 2

    response = preview(client_as(coordination), csv_file([adult(), child(), child(prenom="Zoé")]))

    assert response.status_code == 400
    assert "2" in response.context["form"].errors["file"][0]


def test_too_large_file_is_refused(client_as, coordination, site_ss, settings):
    settings.IMPORT_MAX_BYTES = 100

    response = preview(client_as(coordination), csv_file([adult(), child()]))

    assert response.status_code == 400
    assert response.context["form"].errors["file"]


# Access and the session --------------------------------------------------------------------


def test_intervenant_gets_403_on_both_pages(client_as, intervenant_ss, site_ss):
    client = client_as(intervenant_ss)

    assert client.get(IMPORT_URL).status_code == 403
    assert preview(client, csv_file([adult()])).status_code == 403
    assert client.post(CONFIRM_URL).status_code == 403
    assert not Household.objects.exists()


def test_confirm_with_nothing_in_the_session_goes_back_to_the_upload(client_as, coordination):
    response = client_as(coordination).post(CONFIRM_URL)

    assert response.status_code == 302
    assert response.url == IMPORT_URL


def test_confirm_is_post_only(client_as, coordination):
    assert client_as(coordination).get(CONFIRM_URL).status_code == 405


def test_confirm_of_an_older_preview_saves_nothing(client_as, coordination, site_ss):
    client = client_as(coordination)
    preview(client, csv_file([adult()]))

    response = client.post(CONFIRM_URL, {"submission": "an-older-preview-of-the-file"})

    assert response.status_code == 400
    assert not Resident.objects.exists()
    assert response.context["notice"]
    # The preview of the file now waiting can still be confirmed.
    assert client.session[SESSION_KEY]["token"] in response.content.decode()
    assert confirm(client).status_code == 302
    assert Resident.objects.count() == 1


def test_upload_page_documents_the_columns_and_drops_an_old_preview(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    preview(client, csv_file([adult()]))

    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    content = response.content.decode()
    for column in COLUMN_KEYS:
        assert column in content
    assert 'enctype="multipart/form-data"' in content
    assert SESSION_KEY not in client.session


def test_example_file_imports_without_errors(client_as, coordination, site_ss):
    client = client_as(coordination)

    download = client.get(IMPORT_URL, {"exemple": "1"})

    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    response = preview(client, SimpleUploadedFile("exemple.csv", download.content))
    result = response.context["preview"]
    assert not result.has_errors
    assert (result.new_households, result.new_residents) == (1, 2)


# Query budget ------------------------------------------------------------------------------


def _rows_in_several_units(count: int) -> list[dict[str, str]]:
    return [
        adult(logement=f"{unit // 3}", menage=f"Famille {unit // 3}", prenom=f"Personne {unit}")
        for unit in range(count)
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_preview_query_count_does_not_grow_with_the_rows(
    client_as, coordination, site_ss, django_assert_max_num_queries, count
):
    SiteFactory(name="André-Grasset")
    for unit in range(0, count // 3, 2):
        household = HouseholdFactory(site=site_ss, unit=str(unit), label=f"Famille {unit}")
        ConsentedResidentFactory(household=household)
    client = client_as(coordination)
    upload = csv_file(_rows_in_several_units(count))

    with django_assert_max_num_queries(8):
        response = preview(client, upload)

    assert response.status_code == 200
    assert not response.context["preview"].has_errors
    assert response.context["preview"].matched_households >= 1


# The service on its own --------------------------------------------------------------------


def _parsed(rows) -> list[dict[str, str]]:
    return parse_upload(file=csv_file(rows))


def test_import_apply_returns_what_it_saved(coordination, site_ss):
    household = HouseholdFactory(site=site_ss, unit="9", label="Roy")

    result = import_apply(
        rows=_parsed([adult(), child(), adult(logement="9", menage="roy", prenom="Ahmed")]),
        user=coordination,
    )

    assert result == ImportResult(households_created=1, households_completed=1, residents_created=3)
    assert household.members.get().first_name == "Ahmed"


def test_import_apply_refuses_rows_with_errors_and_saves_nothing(coordination, site_ss):
    rows = _parsed([adult(), child(nom_parent="")])

    with pytest.raises(ValidationError) as error:
        import_apply(rows=rows, user=coordination)

    assert "nom_parent" in error.value.messages[0]
    assert not Household.objects.exists()
    assert not Consent.objects.exists()


# Hostile files ----------------------------------------------------------------------------
#
# Made here, in a temporary folder: an XLSX is a zip archive, and a few kilobytes of it can
# hold millions of empty rows or one endless string once uncompressed.

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _header_row() -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + number)}1" t="inlineStr"><is><t>{key}</t></is></c>'
        for number, key in enumerate(COLUMN_KEYS)
    )
    return f'<row r="1">{cells}</row>'.encode()


def hostile_xlsx(tmp_path, members: dict) -> SimpleUploadedFile:
    """A real workbook whose members named in `members` are replaced by the given chunks of
    bytes, written to the archive as they come (never held whole in memory)."""
    workbook = Workbook()
    workbook.active.append(list(COLUMN_KEYS))
    base = io.BytesIO()
    workbook.save(base)
    path = tmp_path / "menages.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in members:
                out.writestr(info.filename, source.read(info.filename))
        for name, chunks in members.items():
            with out.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=XLSX_TYPE)


def empty_rows(count: int):
    """A sheet of the column names and `count` empty rows (<row/>: each is the next row)."""
    yield SHEET_START + b"<sheetData>" + _header_row()
    for start in range(0, count, 100_000):
        yield b"<row/>" * min(100_000, count - start)
    yield b"</sheetData></worksheet>"


def one_long_string(megabytes: int):
    """A shared-strings table holding one string of `megabytes` MB."""
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
    yield b'/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    for _ in range(megabytes):
        yield b"A" * 1_000_000
    yield b"</t></si></sst>"


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """The files openpyxl was asked to open: a refused file must never reach it."""
    calls = []
    load_workbook = reading.load_workbook

    def spy(file, **kwargs):
        calls.append(file.name)
        return load_workbook(file, **kwargs)

    monkeypatch.setattr(reading, "load_workbook", spy)
    return calls


def _file_error(response) -> str:
    assert response.status_code == 400
    assert response.context["preview"] is None
    (error,) = response.context["form"].errors["file"]
    return error


def test_an_xlsx_of_ten_million_empty_rows_is_refused_before_it_is_parsed(
    client_as, coordination, site_ss, tmp_path, openpyxl_calls
):
    upload = hostile_xlsx(tmp_path, {SHEET: empty_rows(10_000_000)})
    assert upload.size < 200_000

    response = preview(client_as(coordination), upload)

    error = _file_error(response)
    assert "Une fois ouvert, ce fichier Excel contient" in error
    assert "la limite est de 20,0\xa0Mio" in error
    assert openpyxl_calls == []
    assert SESSION_KEY not in client_as(coordination).session
    assert not Household.objects.exists()


def test_an_xlsx_holding_one_string_of_fifty_megabytes_is_refused_before_it_is_parsed(
    client_as, coordination, site_ss, tmp_path, openpyxl_calls, settings
):
    # A larger allowance, to see the ratio refuse it too.
    settings.IMPORT_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
    sheet = [SHEET_START, b"<sheetData>", _header_row(), b'<row r="2"><c r="A2" t="s">']
    sheet += [b"<v>0</v></c></row></sheetData></worksheet>"]
    upload = hostile_xlsx(tmp_path, {SHEET: sheet, STRINGS: one_long_string(50)})
    assert upload.size < 200_000

    response = preview(client_as(coordination), upload)

    error = _file_error(response)
    assert "Ce fichier Excel grossit de plus de 100 fois à l’ouverture" in error
    assert "il n’a pas été lu" in error
    assert openpyxl_calls == []


def test_an_xlsx_too_large_once_uncompressed_is_refused_whatever_its_ratio(
    client_as, coordination, site_ss, tmp_path, openpyxl_calls, settings
):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    # Random bytes do not compress: the ratio is 1, the size alone is refused.
    image = [os.urandom(1024 * 1024) for _ in range(3)]
    upload = hostile_xlsx(tmp_path, {"xl/media/image1.png": image})

    error = _file_error(preview(client_as(coordination), upload))

    assert "la limite est de 2,0\xa0Mio" in error
    assert openpyxl_calls == []


def test_an_xlsx_row_wider_than_excel_allows_is_refused_before_it_is_parsed(
    client_as, coordination, site_ss, tmp_path, openpyxl_calls
):
    """openpyxl builds a whole row before giving it: a row a million cells wide would hold
    the worker for seconds and hundreds of megabytes."""
    row = b'<row r="2">' + b"<c><v>1</v></c>" * 16_385 + b"</row>"
    sheet = [SHEET_START, b"<sheetData>", _header_row(), row, b"</sheetData></worksheet>"]

    error = _file_error(preview(client_as(coordination), hostile_xlsx(tmp_path, {SHEET: sheet})))

    assert error.startswith("Le fichier n’a pas pu être lu.")
    assert openpyxl_calls == []


def test_an_xlsx_with_more_cells_than_the_limit_is_refused_before_it_is_parsed(
    client_as, coordination, site_ss, settings, openpyxl_calls
):
    settings.IMPORT_MAX_CELLS = 100

    error = _file_error(preview(client_as(coordination), xlsx_file([adult()] * 10)))

    assert error.startswith("Ce fichier Excel contient plus de 100 cellules : il n’a pas été lu.")
    assert openpyxl_calls == []


def test_an_xlsx_declaring_xml_entities_is_refused_before_it_is_parsed(
    client_as, coordination, site_ss, tmp_path, openpyxl_calls
):
    entities = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    sheet = [SHEET_START.replace(b"<worksheet", entities + b"<worksheet"), b"<sheetData>"]
    sheet += [_header_row(), b"</sheetData></worksheet>"]

    error = _file_error(preview(client_as(coordination), hostile_xlsx(tmp_path, {SHEET: sheet})))

    assert error.startswith("Le fichier n’a pas pu être lu.")
    assert openpyxl_calls == []


def test_an_ordinary_xlsx_passes_the_zip_checks(client_as, coordination, site_ss, openpyxl_calls):
    response = preview(client_as(coordination), xlsx_file([adult(), child()]))

    assert response.status_code == 200
    assert openpyxl_calls == ["menages.xlsx"]


def test_a_file_that_is_no_zip_archive_is_unreadable(client_as, coordination, openpyxl_calls):
    upload = SimpleUploadedFile("menages.xlsx", b"PK\x03\x04 but no archive", XLSX_TYPE)

    assert "Enregistrez-le de nouveau" in _file_error(preview(client_as(coordination), upload))
    assert openpyxl_calls == []


@pytest.fixture
def lines_read(monkeypatch):
    """How many lines the import pulled from the file, header included."""
    counted = []

    def counting(reader):
        def read(file):
            for number, cells in enumerate(reader(file), start=1):
                counted[:] = [number]
                yield cells

        return read

    for suffix, reader in list(reading.TABLE_READERS.items()):
        monkeypatch.setitem(reading.TABLE_READERS, suffix, counting(reader))
    return counted


def test_reading_stops_at_the_line_limit_counting_blank_lines(
    client_as, coordination, site_ss, tmp_path, settings, lines_read
):
    settings.IMPORT_MAX_LINES = 500
    # Small enough to pass the zip checks: openpyxl reads it, and the lines are counted.
    upload = hostile_xlsx(tmp_path, {SHEET: empty_rows(5_000)})

    error = _file_error(preview(client_as(coordination), upload))

    assert "Le fichier compte plus de 500 lignes, lignes vides comprises." in error
    assert lines_read == [501]


def test_an_xlsx_whose_second_row_is_numbered_a_million_stops_at_the_line_limit(
    client_as, coordination, site_ss, tmp_path, settings, lines_read
):
    """openpyxl gives an empty row for each row number skipped: a few bytes, a million rows."""
    settings.IMPORT_MAX_LINES = 300
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = [SHEET_START, b"<sheetData>", _header_row(), last, b"</sheetData></worksheet>"]
    upload = hostile_xlsx(tmp_path, {SHEET: sheet})

    error = _file_error(preview(client_as(coordination), upload))

    assert "plus de 300 lignes" in error
    assert lines_read == [301]


def test_blank_csv_lines_count_against_the_line_limit(
    client_as, coordination, site_ss, settings, lines_read
):
    settings.IMPORT_MAX_LINES = 10
    content = ",".join(COLUMN_KEYS) + "\n" * 5_000

    response = preview(client_as(coordination), SimpleUploadedFile("menages.csv", content.encode()))

    assert "plus de 10 lignes" in _file_error(response)
    assert lines_read == [11]


def test_blank_lines_under_the_limit_are_skipped(client_as, coordination, site_ss, settings):
    settings.IMPORT_MAX_LINES = 10
    rows = [adult(), *[{}] * 7, child()]

    response = preview(client_as(coordination), csv_file(rows))

    assert response.status_code == 200
    assert [row.line for row in response.context["preview"].rows] == [2, 10]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_longer_than_the_limit_refuses_the_file_naming_its_line_and_column(
    client_as, coordination, site_ss, kind
):
    rows = [adult(), adult(prenom="Léa", ecole="É" * 1001)]
    upload = csv_file(rows) if kind == "csv" else xlsx_file(rows)

    error = _file_error(preview(client_as(coordination), upload))

    assert error == (
        "La ligne 3, colonne ecole, contient 1001 caractères; une cellule peut en contenir au "
        "plus 1000. Raccourcissez-la dans votre tableur, puis choisissez le fichier de nouveau."
    )


def test_a_value_a_little_too_long_stays_an_error_of_its_row(client_as, coordination, site_ss):
    response = preview(client_as(coordination), csv_file([adult(ecole="É" * 1000)]))

    assert response.status_code == 200
    assert error_columns(response) == [{"ecole"}]


def test_a_row_thousands_of_cells_wide_reads_only_the_known_columns(
    client_as, coordination, site_ss, tmp_path
):
    """The cells of unknown columns are never looked at, however many and long they are."""
    filled = "".join(
        f'<c r="{chr(65 + number)}2" t="inlineStr"><is><t>{value}</t></is></c>'
        for number, value in enumerate(adult().get(key, "") for key in COLUMN_KEYS)
    )
    far = '<c r="XFD2" t="inlineStr"><is><t>' + "x" * 5000 + "</t></is></c>"
    sheet = [SHEET_START, b"<sheetData>", _header_row(), f'<row r="2">{filled}{far}</row>'.encode()]
    sheet += [b"</sheetData></worksheet>"]

    response = preview(client_as(coordination), hostile_xlsx(tmp_path, {SHEET: sheet}))

    assert response.status_code == 200
    assert not response.context["preview"].has_errors


# What the preview shows and what the session keeps -----------------------------------------


def _many_adults(count: int, **values) -> list[dict[str, str]]:
    return [
        adult(
            logement=str(number), menage=f"Famille {number}", prenom=f"Personne{number}", **values
        )
        for number in range(count)
    ]


def test_the_preview_shows_one_page_of_rows_and_counts_the_others(client_as, coordination, site_ss):
    response = preview(client_as(coordination), csv_file(_many_adults(PREVIEW_ROWS_SHOWN + 30)))

    assert response.status_code == 200
    assert response.context["preview"].new_residents == PREVIEW_ROWS_SHOWN + 30
    assert len(response.context["shown_rows"]) == PREVIEW_ROWS_SHOWN
    content = response.content.decode()
    assert "Personne0 " in content
    assert f"Personne{PREVIEW_ROWS_SHOWN} " not in content
    assert "30 autres lignes ne sont pas affichées." in content


def test_a_preview_with_errors_shows_one_page_of_the_rows_with_errors(
    client_as, coordination, site_ss
):
    response = preview(
        client_as(coordination), csv_file(_many_adults(PREVIEW_ROWS_SHOWN + 5, genre="peut-être"))
    )

    shown = response.context["shown_rows"]
    assert len(shown) == PREVIEW_ROWS_SHOWN
    assert all(row.errors for row in shown)
    assert "5 autres lignes avec des erreurs ne sont pas affichées" in response.content.decode()


def test_the_session_keeps_an_importable_file_compactly_and_imports_exactly_it(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    rows = [adult(), child()]
    preview(client, csv_file(rows))

    pending = client.session[SESSION_KEY]
    # The column names once, then each row's line and values.
    assert pending["rows"]["rows"][0][:4] == ["2", "Saint-Sulpice", "1250, app. 4", "Tremblay"]
    assert all(isinstance(row, list) for row in pending["rows"]["rows"])
    assert len(json.dumps(pending)) < len(json.dumps(parse_upload(file=csv_file(rows))))

    assert confirm(client).status_code == 302
    assert sorted(Resident.objects.values_list("first_name", flat=True)) == ["Léo", "Marie"]
    assert Resident.objects.get(first_name="Léo").consents.get().guardian_name == "Marie Tremblay"


def test_the_session_keeps_no_row_of_a_file_with_errors(client_as, coordination, site_ss):
    client = client_as(coordination)
    preview(client, csv_file([adult(), child(nom_parent="")]))

    assert set(client.session[SESSION_KEY]) == {"token", "file_name"}

    response = confirm(client)

    assert response.status_code == 400
    assert "le dernier fichier lu, menages.csv, contient des erreurs" in response.content.decode()
    assert not Resident.objects.exists()


def test_a_file_with_errors_read_in_another_tab_replaces_the_waiting_one(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    preview(client, csv_file([adult()]))
    token = client.session[SESSION_KEY]["token"]
    preview(client, csv_file([adult(prenom="")]))

    response = client.post(CONFIRM_URL, {"submission": token})

    assert response.status_code == 400
    assert response.context["notice"]
    assert not Resident.objects.exists()


def test_rows_waiting_in_a_session_from_before_the_compact_form_still_import(
    client_as, coordination, site_ss
):
    client = client_as(coordination)
    session = client.session
    session[SESSION_KEY] = {
        "token": "older",
        "file_name": "menages.csv",
        "rows": parse_upload(file=csv_file([adult()])),
    }
    session.save()

    assert client.post(CONFIRM_URL, {"submission": "older"}).status_code == 302
    assert Resident.objects.get().first_name == "Marie"
