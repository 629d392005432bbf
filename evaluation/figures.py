"""The dashboard figures a journal entry may cite: each named figure is a small table of
(label, value) rows computed by the reports selectors, for a period and a site. An entry
keeps the rows it cites as they were (JournalEntry.figures); nothing here names a person."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Level
from reports.selectors.activity import activity_figures
from reports.selectors.balance import balance_figures
from reports.selectors.participation import participation_figures
from reports.selectors.reach import reach_figures
from reports.selectors.referrals import referral_figures
from reports.selectors.themes import top_themes
from residents.models import Site

Rows = list[list[str | int | float | None]]


@dataclass(frozen=True)
class Scope:
    user: User
    period: Period
    site: Site | None


def _hours_by_level(scope: Scope) -> Rows:
    activity = activity_figures(user=scope.user, period=scope.period, site=scope.site)
    return [[str(Level(level).label), activity.hours_by_level[level]] for level in Level.values]


def _interventions_by_level(scope: Scope) -> Rows:
    activity = activity_figures(user=scope.user, period=scope.period, site=scope.site)
    return [[str(Level(level).label), activity.count_by_level[level]] for level in Level.values]


def _balance(scope: Scope) -> Rows:
    balance = balance_figures(
        user=scope.user, period=scope.period, site=scope.site, by_person=False
    )
    return [[str(Level(level).label), share] for level, share in balance.overall.items()]


def _reach(scope: Scope) -> Rows:
    reach = reach_figures(user=scope.user, period=scope.period, site=scope.site)
    rows: Rows = [[row.site, row.rate] for row in reach.sites]
    rows.append([str(_("New households reached")), reach.new_households])
    rows.append([str(_("Households already known")), reach.known_households])
    return rows


def _age_groups(scope: Scope) -> Rows:
    reach = reach_figures(user=scope.user, period=scope.period, site=scope.site)
    return [[str(group), count] for group, count in reach.residents_by_age_group.items()]


def _participation(scope: Scope) -> Rows:
    figures = participation_figures(user=scope.user, period=scope.period, site=scope.site)
    return [
        [str(_("group sessions")), figures.sessions],
        [str(_("people per session, on average")), figures.average_attendance],
        [str(_("residents who came back")), figures.returning],
        [str(_("residents in a tenant committee")), figures.in_committees],
        [str(_("residents in collective actions")), figures.in_collective_actions],
    ]


def _referrals(scope: Scope) -> Rows:
    figures = referral_figures(user=scope.user, period=scope.period, site=scope.site)
    return [
        [str(_("Created")), figures.created],
        [str(_("Sent")), figures.sent],
        [str(_("Accepted")), figures.accepted],
        [str(_("Completed")), figures.completed],
        [str(_("Median days to acceptance")), figures.median_days_to_acceptance],
    ]


def _themes(scope: Scope) -> Rows:
    themes = top_themes(user=scope.user, period=scope.period, site=scope.site)
    return [[name, count] for name, count, _before in themes]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    rows: Callable[[Scope], Rows]


# The order of the form's checkboxes.
FIGURES = [
    Figure("hours_by_level", _("Hours by level"), _hours_by_level),
    Figure("interventions_by_level", _("Interventions by level"), _interventions_by_level),
    Figure("balance", _("Share of the time at each level (%)"), _balance),
    Figure("reach", _("Reach: households reached over households living there (%)"), _reach),
    Figure("age_groups", _("Residents reached, by age group"), _age_groups),
    Figure("participation", _("Participation"), _participation),
    Figure("referrals", _("Referrals"), _referrals),
    Figure("themes", _("Themes"), _themes),
]
BY_KEY = {figure.key: figure for figure in FIGURES}


def figure_choices() -> list[tuple[str, Promise]]:
    return [(figure.key, figure.label) for figure in FIGURES]


def figures_snapshot(*, keys: list[str], scope: Scope) -> list[dict]:
    """The figures named by `keys`, computed now, as plain data to keep in an entry."""
    return [
        {"key": key, "label": str(BY_KEY[key].label), "rows": BY_KEY[key].rows(scope)}
        for key in keys
        if key in BY_KEY
    ]


def period_snapshot(scope: Scope) -> dict:
    """The period and site the figures cover, as plain data."""
    return {
        "label": str(scope.period.label),
        "start": scope.period.start.isoformat(),
        "end": scope.period.end.isoformat(),
        "site": scope.site.name if scope.site else str(_("all sites")),
    }
