"""The ladder in the dashboard and in the annual report: its chart and its table, small counts
hidden, on the site chosen or for all of EMA."""

from datetime import date

from django.urls import reverse

from ema.exports import SUPPRESSED
from tests.empowerment.paths import attend
from tests.factories import GroupActivityFactory, resident_of
from tests.helpers import french


def five_participants_and_one_volunteer(site):
    activity = GroupActivityFactory(site=site)
    for _index in range(5):
        attend(resident_of(site), date(2025, 5, 6), activity=activity)
    attend(resident_of(site), date(2025, 5, 6), level="collective", role="volunteer")


def test_the_dashboard_shows_the_ladder_of_the_year_with_small_counts_hidden(
    client_as, direction, site_ss
):
    five_participants_and_one_volunteer(site_ss)

    response = client_as(direction).get(
        reverse("dashboard"), {"kind": "fiscal_year", "day": "2025-06-01"}
    )

    assert response.status_code == 200
    first = response.context["ladder_table"].rows[0]
    assert (first[1], first[3], first[7]) == (5, SUPPRESSED, 6)
    html = response.content.decode()
    assert french("Participation ladder") in html
    assert "&lt; 5" in html


def test_the_dashboard_ladder_follows_the_site_chosen(client_as, direction, site_ss, site_ag):
    five_participants_and_one_volunteer(site_ss)

    response = client_as(direction).get(
        reverse("dashboard"), {"kind": "fiscal_year", "day": "2025-06-01", "site": site_ag.pk}
    )

    assert response.context["ladder"].site == site_ag
    assert response.context["ladder_table"].rows[0][7] == 0


def test_the_annual_report_has_the_ladder_table_and_chart_with_small_counts_hidden(
    client_as, direction, site_ss
):
    five_participants_and_one_volunteer(site_ss)

    response = client_as(direction).get(reverse("annual_report"), {"year": "2025"})

    table = next(t for t in response.context["tables"] if t.title == french("Participation ladder"))
    assert table.rows[0][1:4] == [5, 0, SUPPRESSED]
    assert response.context["report"].ladder_chart.categories[0] == "T1 2025-2026"
