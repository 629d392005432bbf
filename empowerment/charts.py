"""The ladder as a stacked bar chart (ema.charts) and as a table (ema.exports.Table), for the
dashboard, the ladder's page and the annual report."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ema.charts import BarChart, Series, bar_chart
from ema.exports import SUPPRESSED, Table, suppress
from empowerment import ladder as steps
from empowerment.selectors import Ladder


def ladder_table(ladder: Ladder) -> Table:
    """One row per quarter: the residents on each step, in all, new, moved up, stepped back;
    every column counts people (for_funders() hides the small counts)."""
    headers = [
        _("Quarter"),
        *[str(label) for label in steps.STEPS.values()],
        _("Residents on the ladder"),
        _("New on the ladder"),
        _("Moved up"),
        _("Stepped back"),
    ]
    return Table(
        title=_("Participation ladder"),
        headers=headers,
        rows=[
            [
                quarter.period.label,
                *quarter.counts,
                quarter.total,
                quarter.new,
                quarter.moved_up,
                len(quarter.stepped_back),
            ]
            for quarter in ladder.quarters
        ],
        people_columns=frozenset(range(1, len(headers))),
    )


def ladder_chart(ladder: Ladder, *, suppressed: bool = True) -> BarChart:
    """The residents on each step, quarter by quarter, stacked; with `suppressed`, a step of
    1 to 4 residents is not drawn (its table says "< 5")."""

    def shown(value: int) -> int:
        return 0 if suppressed and suppress(value) == SUPPRESSED else value

    return bar_chart(
        title=gettext_lazy("Participation ladder, by quarter"),
        description=gettext_lazy(
            "Stacked bars: for each quarter, the residents standing on each step of the "
            "ladder (the highest role they held). Steps of fewer than 5 residents are not "
            "drawn in reports."
        ),
        categories=[quarter.period.label for quarter in ladder.quarters],
        series=[
            Series(
                label=str(label),
                values=[shown(quarter.by_step.get(step, 0)) for quarter in ladder.quarters],
                css_class=f"series-{step}",
            )
            for step, label in steps.STEPS.items()
        ],
        stacked=True,
    )
