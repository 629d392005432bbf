"""What the upper floors' pages show of the ladder: the dashboard's panel and the annual
report's table and chart, their small counts hidden (reports for the board and funders)."""

from typing import Any

from ema.accounts.models import User
from ema.periods import Period
from empowerment.charts import ladder_chart, ladder_table
from empowerment.selectors import ladder_of
from residents.models import Site


def ladder_panel(*, user: User, year: Period, site: Site | None = None) -> dict[str, Any]:
    """The context of empowerment/includes/dashboard_ladder.html: the ladder of the fiscal
    year, its chart and its table, counts of 1 to 4 hidden (three queries)."""
    ladder = ladder_of(user=user, year=year, site=site)
    return {
        "ladder": ladder,
        "ladder_chart": ladder_chart(ladder, suppressed=True),
        "ladder_table": ladder_table(ladder).for_funders(),
    }
