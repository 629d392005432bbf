"""The charts of the dashboards and the annual report, built from their figures with the SVG
bar charts of ema.charts."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ema.charts import BarChart, Series, bar_chart
from interventions.models import Level
from reports.selectors.activity import Activity
from reports.selectors.reach import Reach

LEVEL_CLASSES: dict[str, str] = {
    Level.INDIVIDUAL: "level-individual",
    Level.GROUP: "level-group",
    Level.COLLECTIVE: "level-collective",
}


def activity_chart(activity: Activity, *, title: str | Promise) -> BarChart:
    """The hours of each month, stacked by level."""
    return bar_chart(
        title=title,
        description=gettext_lazy(
            "Stacked bars: the hours logged each month at the individual, group and "
            "collective levels."
        ),
        categories=[f"{month:%Y-%m}" for month in activity.months],
        series=[
            Series(
                label=str(Level(level).label),
                values=activity.hours_by_month_and_level[level],
                css_class=LEVEL_CLASSES[level],
            )
            for level in Level.values
        ],
        stacked=True,
        unit="h",
        row_totals=activity.hours_by_month,
    )


def reach_chart(reach: Reach) -> BarChart:
    """The reach rate of each site, one horizontal bar each."""
    return bar_chart(
        title=gettext_lazy("Households reached, by site"),
        description=gettext_lazy(
            "For each site, the share of the households living there that at least "
            "one intervention named in the period."
        ),
        categories=[row.site for row in reach.sites],
        series=[
            Series(
                label=str(gettext_lazy("Reach rate")),
                values=[row.rate or 0 for row in reach.sites],
                css_class="series-1",
            )
        ],
        stacked=False,
        unit="%",
        horizontal=True,
    )


def themes_chart(themes: list[tuple[str, int, int]]) -> BarChart:
    """The most frequent themes (from top_themes), this period beside the previous one."""
    return bar_chart(
        title=gettext_lazy("Most frequent themes"),
        description=gettext_lazy(
            "Interventions by theme in the period, beside the previous period."
        ),
        categories=[name for name, _count, _before in themes],
        series=[
            Series(
                label=str(gettext_lazy("This period")),
                values=[count for _name, count, _before in themes],
                css_class="series-1",
            ),
            Series(
                label=str(gettext_lazy("Previous period")),
                values=[before for _name, _count, before in themes],
                css_class="series-2",
            ),
        ],
        stacked=False,
        horizontal=True,
    )
