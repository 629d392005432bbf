"""Balance: the share of time at the individual, group and collective levels."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Level
from reports.selectors.scope import work_totals
from residents.models import Site


@dataclass(frozen=True)
class Balance:
    overall: dict[str, float]
    by_site: list[tuple[str, dict[str, float]]]
    by_intervenant: list[tuple[str, dict[str, float]]]


def _shares(rows: Iterable[dict[str, Any]], key: str) -> list[tuple[str, dict[str, float]]]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        totals.setdefault(row[key], dict.fromkeys(Level.values, 0))[row["level"]] = row["minutes"]
    return [(name, _percentages(minutes)) for name, minutes in totals.items()]


def _percentages(minutes: dict[str, int]) -> dict[str, float]:
    total = sum(minutes.values())
    return {level: round(100 * m / total, 1) if total else 0.0 for level, m in minutes.items()}


def balance_figures(
    *, user: User, period: Period, site: Site | None = None, by_person: bool = True
) -> Balance:
    """The share of time at the individual, group and collective levels, for the whole team,
    by site and by intervenant (not with by_person=False: for whoever may not see names)."""

    def totals(*by: str) -> QuerySet:
        return work_totals(user=user, period=period, site=site, by=by)

    overall = dict.fromkeys(Level.values, 0)
    for row in totals("level"):
        overall[row["level"]] = row["minutes"]
    by_site = totals("site__name", "level").order_by("site__name")
    by_author = (
        []
        if not by_person
        else totals("author__first_name", "author__last_name", "level").order_by(
            "author__first_name", "author__last_name"
        )
    )
    return Balance(
        overall=_percentages(overall),
        by_site=_shares(by_site, "site__name"),
        by_intervenant=_shares(
            [
                {**row, "who": f"{row['author__first_name']} {row['author__last_name']}"}
                for row in by_author
            ],
            "who",
        ),
    )
