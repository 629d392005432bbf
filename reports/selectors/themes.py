"""Themes: the most frequent themes of a period, beside the period before."""

from django.db.models import Count

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Intervention
from reports.selectors.scope import interventions_in_period
from residents.models import Site


def _theme_counts(*, user: User, period: Period, site: Site | None) -> dict[str, int]:
    # Counted on the join table: one row per intervention and theme, in one grouped scan
    # (an exclude() on the many-to-many would test every intervention with a subquery).
    tagged = Intervention.themes.through.objects.filter(
        intervention__in=interventions_in_period(user=user, period=period, site=site)
    )
    return dict(
        # The plugin does not see an annotation on a many-to-many's through model: a false
        # "Cannot resolve keyword 'count'" (django-stubs 5.2).
        tagged.values_list("theme__name")  # type: ignore[misc]
        .annotate(count=Count("intervention_id"))
        .values_list("theme__name", "count")
    )


def top_themes(
    *, user: User, period: Period, site: Site | None = None, limit: int = 10
) -> list[tuple[str, int, int]]:
    """The most frequent themes of the period, with their count in the previous period."""
    current = _theme_counts(user=user, period=period, site=site)
    before = _theme_counts(user=user, period=period.previous(), site=site)
    ranked = sorted(current.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(name, count, before.get(name, 0)) for name, count in ranked]
