"""Themes: the most frequent themes of a period, beside the period before."""

from ema.accounts.models import User
from ema.periods import Period
from reports.selectors.scope import theme_totals
from residents.models import Site


def top_themes(
    *, user: User, period: Period, site: Site | None = None, limit: int = 10
) -> list[tuple[str, int, int]]:
    """The most frequent themes of the period, with their count in the previous period."""
    current = theme_totals(user=user, period=period, site=site)
    before = theme_totals(user=user, period=period.previous(), site=site)
    ranked = sorted(current.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(name, count, before.get(name, 0)) for name, count in ranked]
