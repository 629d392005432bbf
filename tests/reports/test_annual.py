"""The annual activity report: what the board and the funders read and download."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ema.exports import SUPPRESSED
from privacy.models import ReadEvent
from tests.factories import ConsentedResidentFactory, HouseholdFactory, ParticipationFactory


def test_the_annual_report_downloads_as_a_workbook_with_one_sheet_per_table(
    client_as, direction, site_ss
):
    response = client_as(direction).get(reverse("annual_report"), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert len(workbook.sheetnames) == 9  # with the participation ladder (empowerment)
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
    # two fiscal years of every figure, in aggregates; the verified device; and the
    # participation ladder by quarter (three queries)
    with django_assert_max_num_queries(38):
        client.get(reverse("annual_report"))


def test_the_annual_report_shows_its_chart(client_as, direction):
    response = client_as(direction).get(reverse("annual_report"))
    assert response.context["report"].chart.series
    assert 'role="img"' in response.content.decode()
