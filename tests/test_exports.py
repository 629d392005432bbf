"""The export helper and the exports of lists: streamed files, formulas kept as text, the
read log written once the file is made, and a fixed number of queries whatever the rows."""

import csv
import io
from datetime import date, time

import pytest
from django.http import FileResponse
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from ema import exports
from ema.exports import SUPPRESSED, Rows, Table, export_response, suppress
from interventions.models import Level
from privacy.models import ReadEvent
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
    ThemeFactory,
    UserFactory,
)

EXPORT_URL = reverse("interventions:intervention_export")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _csv(response) -> list[list[str]]:
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return workbook[workbook.sheetnames[0]]


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# The response helper ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_table_is_streamed_from_a_file_and_the_export_recorded(coordination, fmt):
    table = Table(title="Essai", headers=["Nom", "Nombre"], rows=[["Érable", 3], ["Saule", 12]])

    response = export_response(
        _request(coordination), table, what="test", fmt=fmt, filename="essai", details={"a": 1}
    )

    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == f'attachment; filename="essai.{fmt}"'
    assert int(response["Content-Length"]) > 0
    rows = _csv(response) if fmt == "csv" else _values(_sheet(response))
    assert [list(map(str, row)) for row in rows] == [
        ["Nom", "Nombre"],
        ["Érable", "3"],
        ["Saule", "12"],
    ]
    event = ReadEvent.objects.get()
    assert (event.kind, event.actor) == (ReadEvent.Kind.EXPORT, coordination)
    assert event.details == {"export": "test", "format": fmt, "a": 1}


def test_the_workbook_is_written_in_write_only_mode(coordination, monkeypatch):
    """A streamed sheet appends rows at its end; a normal one rescans itself for each row."""
    made = []
    workbook_class = exports.Workbook

    def spy(*args, **kwargs):
        made.append(kwargs)
        return workbook_class(*args, **kwargs)

    monkeypatch.setattr(exports, "Workbook", spy)
    table = Table(title="T", headers=["n"], rows=Rows(lambda: ([n] for n in range(3000))))

    response = export_response(_request(coordination), table, what="t", fmt="xlsx", filename="t")

    assert made == [{"write_only": True}]
    values = _values(_sheet(response))
    assert len(values) == 3001
    assert values[-1] == [2999]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nothing_is_recorded_when_writing_the_file_fails(coordination, fmt):
    def rows():
        yield ["une ligne"]
        raise RuntimeError("the database went away")

    table = Table(title="T", headers=["h"], rows=Rows(rows))

    with pytest.raises(RuntimeError):
        export_response(_request(coordination), table, what="t", fmt=fmt, filename="t")

    assert not ReadEvent.objects.exists()


def test_headers_are_bold_formulas_stay_text_and_control_characters_go(coordination):
    formula = '=HYPERLINK("https://evil.example/","Cliquer")'
    table = Table(
        title="T",
        headers=["Nom", "Note"],
        rows=[[formula, "+1 514"], ["Bip\x07", ""]],
    )

    response = export_response(_request(coordination), table, what="t", fmt="xlsx", filename="t")

    sheet = _sheet(response)
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == formula
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "Bip"
    assert sheet["B3"].value is None


def test_csv_cells_that_a_spreadsheet_would_compute_get_a_quote(coordination):
    table = Table(title="T", headers=["=h"], rows=[["=1+1", "@SUM(A1)", "-2", "Marie"]])

    response = export_response(_request(coordination), table, what="t", filename="t")

    assert _csv(response) == [["'=h"], ["'=1+1", "'@SUM(A1)", "'-2", "Marie"]]


def test_sheet_names_are_valid_and_unique(coordination):
    long_title = "Références: [reçues] / envoyées * ? par partenaire et par mois"
    tables = [Table(title=long_title, headers=["h"], rows=[]) for _ in range(2)]

    response = export_response(_request(coordination), tables, what="t", fmt="xlsx", filename="t")

    names = load_workbook(io.BytesIO(response.getvalue())).sheetnames
    assert len(set(names)) == 2
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_csv_holds_one_table_only(coordination):
    tables = [Table(title="A", headers=["h"], rows=[]), Table(title="B", headers=["h"], rows=[])]

    with pytest.raises(ValueError):
        export_response(_request(coordination), tables, what="t", filename="t")


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (12, 12), (2.5, 2.5)]
)
def test_counts_of_one_to_four_are_hidden_and_zero_stays_zero(value, shown):
    assert suppress(value) == shown


def test_only_the_people_columns_and_rows_are_suppressed_for_funders():
    table = Table(
        title="T",
        headers=["what", "people", "hours"],
        rows=[["a", 3, 3], ["b", 0, 2], ["c", 7, 1]],
        people_columns=frozenset({1}),
        people_rows=frozenset({2}),
    )
    assert table.for_funders().rows == [
        ["a", SUPPRESSED, 3],
        ["b", 0, 2],
        ["c", 7, SUPPRESSED],
    ]


def test_the_annual_report_workbook_hides_small_counts(client_as, direction, site_ss):
    household = HouseholdFactory(site=site_ss)
    ParticipationFactory(
        resident=ConsentedResidentFactory(household=household), intervention__site=site_ss
    )

    response = client_as(direction).get(reverse("annual_report"), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(response.getvalue()))
    cells = [v for sheet in workbook.worksheets for row in _values(sheet) for v in row]
    assert SUPPRESSED in cells


# The export of interventions --------------------------------------------------------------


@pytest.fixture
def two_interventions(site_ss):
    author = UserFactory(first_name="Julie", last_name="Côté", username="julie.cote")
    logement, sante = ThemeFactory(name="Logement"), ThemeFactory(name="Santé")
    ThemeFactory(name="Alimentation")
    accompaniment = InterventionFactory(
        site=site_ss,
        author=author,
        date=date(2026, 3, 2),
        start_time=time(9, 30),
        level=Level.INDIVIDUAL,
        type=InterventionTypeFactory(name="Accompagnement"),
        place=PlaceFactory(name="CLSC"),
        duration_minutes=90,
        count_6_12=0,
        count_13_17=0,
    )
    accompaniment.themes.set([sante, logement])
    household = HouseholdFactory(site=site_ss)
    for _ in range(2):
        ParticipationFactory(
            intervention=accompaniment, resident=ConsentedResidentFactory(household=household)
        )
    presence = InterventionFactory(
        site=site_ss, author=author, date=date(2026, 3, 1), start_time=None
    )
    return accompaniment, presence, logement


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_intervention_is_one_row_with_all_its_themes(
    client_as, coordination, two_interventions, fmt
):
    response = client_as(coordination).get(EXPORT_URL, {"format": fmt})

    assert response.status_code == 200
    rows = _csv(response) if fmt == "csv" else _values(_sheet(response))
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    assert rows[1:] == [
        [
            "2026-03-02",
            "09:30",
            "Saint-Sulpice",
            str(Level.INDIVIDUAL.label),
            "Accompagnement",
            "CLSC",
            "90",
            "0",
            "2",
            "Logement, Santé",
            "Julie Côté",
        ],
        [
            "2026-03-01",
            "",
            "Saint-Sulpice",
            str(Level.COLLECTIVE.label),
            "Présence informelle",
            "Local communautaire",
            "60",
            "6",
            "0",
            "",
            "Julie Côté",
        ],
    ]


def test_a_filter_on_a_theme_still_exports_every_theme_of_the_row(
    client_as, coordination, two_interventions
):
    _accompaniment, _presence, logement = two_interventions

    response = client_as(coordination).get(EXPORT_URL, {"theme": logement.pk})

    _header, *rows = _csv(response)
    assert [row[9] for row in rows] == ["Logement, Santé"]


@pytest.mark.parametrize("count", [3, 45])
def test_the_xlsx_export_reads_its_rows_in_one_query_whatever_their_number(
    client_as, coordination, site_ss, count, django_assert_max_num_queries
):
    themes = [ThemeFactory(name=name) for name in ("Logement", "Santé", "Loisirs")]
    household = HouseholdFactory(site=site_ss)
    for number in range(count):
        intervention = InterventionFactory(site=site_ss, author=UserFactory())
        intervention.themes.set(themes[: number % 4])
        ParticipationFactory(
            intervention=intervention, resident=ConsentedResidentFactory(household=household)
        )
    client = client_as(coordination)

    # session, user, the filter form's choices, the rows with their themes, the audit entry
    with django_assert_max_num_queries(7):
        response = client.get(EXPORT_URL, {"format": "xlsx"})

    assert len(_values(_sheet(response))) == count + 1


def test_the_rows_are_read_in_chunks_from_the_database(
    client_as, coordination, site_ss, monkeypatch
):
    """More rows than a chunk: the rows arrive in several fetches of one query, and each
    intervention's themes stay together across a chunk's edge."""
    from interventions import selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK_ROWS", 4)
    themes = [ThemeFactory(name=name) for name in ("Logement", "Santé", "Loisirs")]
    for _ in range(5):
        intervention = InterventionFactory(site=site_ss)
        intervention.themes.set(themes)
    in_list_order = ", ".join(theme.name for theme in intervention.themes.all())

    response = client_as(coordination).get(EXPORT_URL)

    _header, *rows = _csv(response)
    assert [row[9] for row in rows] == [in_list_order] * 5


def test_the_intervention_export_names_nobody_and_is_recorded(client_as, coordination, site_ss):
    resident = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss), first_name="Zéphirine"
    )
    ParticipationFactory(resident=resident, intervention__site=site_ss)
    response = client_as(coordination).get(reverse("interventions:intervention_export"))
    text = response.getvalue().decode()
    assert response.status_code == 200
    assert "Zéphirine" not in text
    assert len(text.strip().splitlines()) == 2
    assert ReadEvent.objects.filter(
        kind=ReadEvent.Kind.EXPORT, actor=coordination, details__export="interventions"
    ).exists()


def test_the_referral_export_is_a_workbook(client_as, coordination):
    response = client_as(coordination).get(reverse("partners:referral_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.getvalue())).sheetnames


@pytest.mark.parametrize("count", [3, 40])
def test_the_exports_query_count_does_not_grow(
    client_as, coordination, site_ss, count, django_assert_max_num_queries
):
    household = HouseholdFactory(site=site_ss)
    for _ in range(count):
        ParticipationFactory(
            resident=ConsentedResidentFactory(household=household), intervention__site=site_ss
        )
    client = client_as(coordination)
    # session, user, the filter form's choices, the rows and their themes, the audit entry
    with django_assert_max_num_queries(8):
        response = client.get(reverse("interventions:intervention_export"))
    assert len(response.getvalue().decode().strip().splitlines()) == count + 1
    with django_assert_max_num_queries(8):
        client.get(reverse("partners:referral_export"), {"format": "xlsx"})
