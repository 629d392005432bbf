"""The annual report and the exports: what funders and the team download."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ema.exports import SUPPRESSED, Table, suppress
from privacy.models import ReadEvent
from tests.factories import ConsentedResidentFactory, HouseholdFactory, ParticipationFactory


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


def test_the_annual_report_downloads_as_a_workbook_with_one_sheet_per_table(
    client_as, direction, site_ss
):
    response = client_as(direction).get(reverse("annual_report"), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert len(workbook.sheetnames) == 8
    first = workbook[workbook.sheetnames[0]]
    assert first["A1"].font.bold
    entry = ReadEvent.objects.get(kind=ReadEvent.Kind.EXPORT)
    assert entry.actor == direction
    assert entry.details["export"] == "annual_report"


def test_the_annual_report_hides_small_counts_of_people(client_as, direction, site_ss):
    household = HouseholdFactory(site=site_ss)
    ParticipationFactory(
        resident=ConsentedResidentFactory(household=household), intervention__site=site_ss
    )
    page = client_as(direction).get(reverse("annual_report"))
    reach = next(t for t in page.context["tables"] if len(t.headers) == 5 and t.people_columns)
    assert reach.rows[0][1] == SUPPRESSED


def test_one_table_downloads_as_csv_that_excel_reads(client_as, direction):
    client = client_as(direction)
    page = client.get(reverse("annual_report"))
    slug = page.context["tables"][0].slug
    response = client.get(reverse("annual_report"), {"format": "csv", "table": slug})
    assert response.status_code == 200
    assert response.getvalue().startswith("\ufeff".encode())
    assert (
        client.get(reverse("annual_report"), {"format": "csv", "table": "nope"}).status_code == 404
    )


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


@pytest.mark.parametrize("count", [3, 60])
def test_the_annual_report_query_count_does_not_grow(
    client_as, direction, site_ss, count, django_assert_max_num_queries
):
    household = HouseholdFactory(site=site_ss)
    for _ in range(count):
        ParticipationFactory(
            resident=ConsentedResidentFactory(household=household), intervention__site=site_ss
        )
    client = client_as(direction)
    # two fiscal years of every figure, in aggregates; and the verified device
    with django_assert_max_num_queries(35):
        client.get(reverse("annual_report"))


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


def test_the_annual_report_shows_its_chart(client_as, direction):
    response = client_as(direction).get(reverse("annual_report"))
    assert response.context["report"].chart.series
    assert 'role="img"' in response.content.decode()


def test_the_targets_page_has_a_fixed_query_count(
    client_as, direction, django_assert_max_num_queries
):
    client = client_as(direction)
    # session, user, the verified device, and the settings row (created, in a savepoint, on
    # its first reading)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("dashboard_settings")).status_code == 200
