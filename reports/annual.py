"""The annual activity report (rapport annuel d'activités): the dashboard's figures for a fiscal
year beside the year before, as tables that print, download as XLSX and CSV, and hide small
counts of people for funders."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ema.accounts.models import User
from ema.charts import BarChart
from ema.exports import Table
from ema.periods import Period, fiscal_year_of
from empowerment.charts import ladder_chart, ladder_table
from empowerment.selectors import ladder_of
from interventions.models import Intervention, Level
from reports.charts import activity_chart
from reports.selectors.activity import Activity, activity_figures
from reports.selectors.participation import ParticipationFigures, participation_figures
from reports.selectors.reach import Reach, reach_figures
from reports.selectors.referrals import ReferralFigures, referral_figures
from reports.selectors.themes import top_themes
from residents.models import AgeGroup


@dataclass(frozen=True)
class AnnualReport:
    year: Period
    previous: Period
    tables: list[Table]
    chart: BarChart
    # The participation ladder by quarter (empowerment): its table is among `tables`.
    ladder_chart: BarChart


def annual_report_year(asked: str, *, today: date) -> Period:
    """The fiscal year a report asks for ("2026": the year starting in 2026), this one when
    the request names none or one out of reach."""
    current = fiscal_year_of(today)
    if asked.isdigit() and 2000 <= int(asked) <= current.start.year:
        return fiscal_year_of(current.start.replace(year=int(asked)))
    return current


def annual_report_filename(year: Period) -> str:
    return f"rapport-annuel-{year.start.year}-{year.end.year}"


def annual_report_is_big(*, year: Period) -> bool:
    """Whether the year's workbook is for a job to make (ANNUAL_REPORT_IN_BACKGROUND)."""
    interventions = Intervention.objects.filter(date__gte=year.start, date__lte=year.end)
    return interventions.count() > settings.ANNUAL_REPORT_IN_BACKGROUND


def annual_report(*, user: User, year: Period) -> AnnualReport:
    """Every table of the report; counts of people are marked for suppression."""
    previous = year.previous()
    # The figures of each topic, this year and the one before.
    now: dict[str, Any] = {
        "activity": activity_figures(user=user, period=year),
        "reach": reach_figures(user=user, period=year),
        "participation": participation_figures(user=user, period=year),
        "referrals": referral_figures(user=user, period=year),
        "themes": top_themes(user=user, period=year),
    }
    before: dict[str, Any] = {
        "activity": activity_figures(user=user, period=previous),
        "reach": reach_figures(user=user, period=previous),
        "participation": participation_figures(user=user, period=previous),
        "referrals": referral_figures(user=user, period=previous),
    }
    ladder = ladder_of(user=user, year=year)
    this_year, last_year = year.label, previous.label
    tables = [
        _activity_by_level_table(now["activity"], before["activity"], this_year, last_year),
        Table(
            title=_("Interventions by type"),
            headers=[_("Type"), _("Interventions"), _("Hours")],
            rows=[list(row) for row in now["activity"].by_type],
        ),
        _reach_by_site_table(now["reach"], before["reach"], this_year, last_year),
        Table(
            title=_("Residents reached by age group"),
            headers=[_("Age group"), this_year, last_year],
            rows=[
                [
                    str(AgeGroup(group).label),
                    now["reach"].residents_by_age_group[group],
                    before["reach"].residents_by_age_group[group],
                ]
                for group in AgeGroup.values
            ],
            people_columns=frozenset({1, 2}),
        ),
        _participation_table(now["participation"], before["participation"], this_year, last_year),
        ladder_table(ladder),
        _referrals_table(now["referrals"], before["referrals"], this_year, last_year),
        Table(
            title=_("Referrals by partner"),
            headers=[_("Partner"), _("Referrals"), _("Completed")],
            rows=[list(row) for row in now["referrals"].by_partner],
            people_columns=frozenset({1, 2}),
        ),
        Table(
            title=_("Most frequent themes"),
            headers=[_("Theme"), this_year, last_year],
            rows=[list(row) for row in now["themes"]],
        ),
    ]
    chart = activity_chart(now["activity"], title=gettext_lazy("Hours by level, month by month"))
    return AnnualReport(
        year=year,
        previous=previous,
        tables=tables,
        chart=chart,
        ladder_chart=ladder_chart(ladder, suppressed=True),
    )


def _activity_by_level_table(
    now: Activity, before: Activity, this_year: str, last_year: str
) -> Table:
    rows = [
        [
            str(Level(level).label),
            now.count_by_level[level],
            now.hours_by_level[level],
            before.count_by_level[level],
            before.hours_by_level[level],
        ]
        for level in Level.values
    ]
    rows.append([_("Total"), now.total, now.total_hours, before.total, before.total_hours])
    return Table(
        title=_("Interventions by level"),
        headers=[
            _("Level"),
            _("Interventions, %(year)s") % {"year": this_year},
            _("Hours, %(year)s") % {"year": this_year},
            _("Interventions, %(year)s") % {"year": last_year},
            _("Hours, %(year)s") % {"year": last_year},
        ],
        rows=rows,
    )


def _reach_by_site_table(now: Reach, before: Reach, this_year: str, last_year: str) -> Table:
    earlier = {row.site: row for row in before.sites}
    return Table(
        title=_("Households reached by site"),
        headers=[
            _("Site"),
            _("Households reached, %(year)s") % {"year": this_year},
            _("Households living there"),
            _("Rate (%)"),
            _("Households reached, %(year)s") % {"year": last_year},
        ],
        rows=[
            [
                row.site,
                row.reached,
                row.living,
                row.rate if row.rate is not None else "",
                earlier[row.site].reached if row.site in earlier else 0,
            ]
            for row in now.sites
        ],
        people_columns=frozenset({1, 2, 4}),
    )


def _participation_table(
    now: ParticipationFigures, before: ParticipationFigures, this_year: str, last_year: str
) -> Table:
    return Table(
        title=_("Participation"),
        headers=[_("Indicator"), this_year, last_year],
        rows=[
            [_("Group sessions"), now.sessions, before.sessions],
            [
                _("People per session, on average"),
                now.average_attendance,
                before.average_attendance,
            ],
            [_("Residents who came back"), now.returning, before.returning],
            [_("Residents in a tenant committee"), now.in_committees, before.in_committees],
            [
                _("Residents in collective actions"),
                now.in_collective_actions,
                before.in_collective_actions,
            ],
        ],
        # The last three rows count people.
        people_rows=frozenset({2, 3, 4}),
    )


def _referrals_table(
    now: ReferralFigures, before: ReferralFigures, this_year: str, last_year: str
) -> Table:
    return Table(
        title=_("Referrals"),
        headers=[_("Step reached"), this_year, last_year],
        rows=[
            [_("Created"), now.created, before.created],
            [_("Sent"), now.sent, before.sent],
            [_("Accepted"), now.accepted, before.accepted],
            [_("Completed"), now.completed, before.completed],
        ],
        people_columns=frozenset({1, 2}),
    )
