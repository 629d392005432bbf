"""The access policy: the roles, and which role may do what, as named predicates.

Every decision about a role is asked here: view decorators (`allowed(can_export)`), views,
querysets (`visible_to(user)` through `User.sees_all_sites`) and templates (the `can` context
processor: `{% if can.see_dashboard %}`). No other module compares a role. Object helpers
(`household_for_user`...) live beside each app's models, start from `visible_to(user)` querysets
and ask these predicates for what a person may do with the object.
"""

from collections.abc import Callable, Collection
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # ema.accounts.models asks these predicates: its User is named here for the types only.
    from ema.accounts.models import User
    from ema.http import AuthenticatedHttpRequest

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
F = TypeVar("F", bound=Callable[..., Any])


class Role(models.TextChoices):
    INTERVENANT = "intervenant", _("Outreach worker")
    COORDINATION = "coordination", _("Coordination")
    DIRECTION = "direction", _("Direction")
    ADMIN = "admin", _("Administrator")
    # The research team of the developmental evaluation: figures, the practice journal and
    # pseudonymised data, never a name nor free text. It opens only the pages marked for it.
    RESEARCH = "recherche", _("Research")


class Authored(Protocol):
    """A record that names its author (an intervention): ema.access reads it, without
    importing the app that defines it."""

    @property
    def author_id(self) -> int | None: ...


class FollowedUp(Authored, Protocol):
    """A record with a follow-up given to someone (an intervention)."""

    @property
    def follow_up_by_id(self) -> int | None: ...


# Who sees every site and manages what spans them.
MANAGERS = frozenset({Role.COORDINATION, Role.DIRECTION, Role.ADMIN})
# Who reads every file's history and the figures of the whole organisation.
OVERSIGHT = frozenset({Role.DIRECTION, Role.ADMIN})


def _has_role(user: "User", roles: Collection[str]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


# What an account is ------------------------------------------------------------------------


def has_a_role(user: "User") -> bool:
    """An account without a role (or disabled) logs in but sees nothing."""
    return bool(user.is_authenticated and user.is_active and user.role)


def reads_only_the_evaluation(user: "User") -> bool:
    """The research role opens only the pages marked `open_to_research` (and the account's
    own pages): no file, no list, no form of the field work."""
    return _has_role(user, {Role.RESEARCH})


def can_see_every_site(user: "User") -> bool:
    """Coordination, the direction and the administrators see every site; an intervenant
    sees the sites they are assigned to. The research team counts every site too: its pages
    (marked `open_to_research`) show figures, the journal and pseudonymised data only."""
    return _has_role(user, MANAGERS | {Role.RESEARCH})


def must_give_a_second_factor(user: "User") -> bool:
    """Whoever sees every file or opens the Django admin logs in with a second factor."""
    return bool(user.is_active and (user.role in OVERSIGHT or user.is_superuser))


def can_open_the_admin(user: "User") -> bool:
    """The Django admin is the administrators' (the site also asks for the second factor)."""
    return bool(user.is_active and (user.role == Role.ADMIN or user.is_superuser))


def can_see_site(user: "User", site_id: int | None) -> bool:
    """Whoever sees every site, or a person assigned to this one: the rule behind every
    `visible_to(user)` queryset, for a row already in hand (no query once the sites are
    read)."""
    if not has_a_role(user):
        return False
    return can_see_every_site(user) or site_id in user.site_ids


# What a person may do ------------------------------------------------------------------------


def can_view_history(user: "User") -> bool:
    """The audit history of a file is for the direction (and the administrators)."""
    return _has_role(user, OVERSIGHT)


def can_correct_a_closed_file(user: "User") -> bool:
    """The file of a household that moved out is closed; the direction and the
    administrators may still correct it."""
    return _has_role(user, OVERSIGHT)


def can_import_households(user: "User") -> bool:
    """Bulk imports touch every site: coordination, direction and administrators."""
    return _has_role(user, MANAGERS)


def can_export(user: "User") -> bool:
    """The lists of interventions and referrals as files (without names)."""
    return _has_role(user, MANAGERS)


def can_manage_partners(user: "User") -> bool:
    """Coordination keeps the partner directory; the direction and administrators may too."""
    return _has_role(user, MANAGERS)


def can_follow_up_partners(user: "User") -> bool:
    """Coordination follows the partners up: the weekly summary of stale referrals, the
    agreements about to end."""
    return _has_role(user, {Role.COORDINATION})


def can_manage_concertation(user: "User") -> bool:
    """Coordination and the direction (and administrators) record the concertation meetings,
    their decisions and the commitments made there."""
    return _has_role(user, MANAGERS)


def can_follow_up_commitments(user: "User") -> bool:
    """Whoever sits at the tables marks a commitment kept or dropped, or opens it again: the
    managers, and the intervenants, who attend tables too and hear first what was done. The
    intervenants record no meeting of their own: coordination keeps the record."""
    return _has_role(user, MANAGERS | {Role.INTERVENANT})


def can_act_on_referrals(user: "User") -> bool:
    """Coordination manages every referral and intervenants those of their sites (the only
    ones they see); the direction reads them."""
    return _has_role(user, {Role.COORDINATION, Role.INTERVENANT, Role.ADMIN})


def can_see_dashboard(user: "User") -> bool:
    """The dashboard: the direction and administrators see all of it, coordination the
    referral figures, the research team every figure without a name."""
    return _has_role(user, MANAGERS | {Role.RESEARCH})


def can_see_every_figure(user: "User") -> bool:
    """The whole dashboard: activity, reach, balance, participation, themes, workload."""
    return _has_role(user, OVERSIGHT)


def can_see_every_dashboard_panel(user: "User") -> bool:
    """Every panel of the dashboard: those who see every figure, and the research team (whose
    panels show no name: can_see_names_on_dashboard)."""
    return can_see_every_figure(user) or reads_only_the_evaluation(user)


def can_see_names_on_dashboard(user: "User") -> bool:
    """Whether a panel of the dashboard may name someone (an intervenant's row, a link to a
    list of households): never for the research team, which reads figures only. Every panel
    that names a person, or links to a page that does, asks this."""
    return has_a_role(user) and not reads_only_the_evaluation(user)


def can_open_the_field_work(user: "User") -> bool:
    """The pages of the field work (my day, files, referrals, reminders, offline forms): every
    role but the research team's."""
    return has_a_role(user) and not reads_only_the_evaluation(user)


def can_read_practice_journal(user: "User") -> bool:
    """The practice journal: the staff who write it, and the research team that reads it."""
    return _has_role(user, {Role.INTERVENANT, *MANAGERS, Role.RESEARCH})


def can_write_practice_journal(user: "User") -> bool:
    """The staff write in the practice journal; the research team reads it only (its own
    observations are fed back to the team, which records what it makes of them)."""
    return _has_role(user, {Role.INTERVENANT, *MANAGERS})


def can_edit_journal_entry(user: "User", entry: Authored) -> bool:
    """A journal entry is changed by its author and the direction."""
    return can_write_practice_journal(user) and (
        entry.author_id == user.pk or _has_role(user, {Role.DIRECTION})
    )


def can_export_research_data(user: "User") -> bool:
    """The pseudonymised data set of the evaluation: the research team and the direction."""
    return _has_role(user, {Role.RESEARCH, Role.DIRECTION})


def can_see_the_ladder(user: "User") -> bool:
    """The participation ladder of the sites one sees, and who stepped back on it (the
    residents to reach out to, named to whoever may open their files): every role of the
    field work, not the research team."""
    return _has_role(user, {Role.INTERVENANT, *MANAGERS})


def can_set_targets(user: "User") -> bool:
    """The mix of the three levels and the months before a household counts as not reached
    are the direction's choice."""
    return _has_role(user, {Role.DIRECTION})


def can_read_annual_report(user: "User") -> bool:
    return _has_role(user, OVERSIGHT)


def can_review_privacy(user: "User") -> bool:
    """The read log, the account changes, the files due for anonymisation and the exports of
    a person's information (Law 25): the direction, which is in charge of personal
    information."""
    return _has_role(user, {Role.DIRECTION})


def can_keep_incident_register(user: "User") -> bool:
    """The register of confidentiality incidents is the direction's."""
    return _has_role(user, {Role.DIRECTION})


def can_follow_collective_issues(user: "User") -> bool:
    """A site's collective issues: the intervenants of the site (their querysets keep them to
    it), coordination, the direction and the administrators; never the research role."""
    return _has_role(user, {Role.INTERVENANT, Role.COORDINATION, Role.DIRECTION, Role.ADMIN})


def lands_on_referrals(user: "User") -> bool:
    """Coordination starts its day with the referrals that need action and its follow-ups."""
    return _has_role(user, {Role.COORDINATION})


def lands_on_the_journal(user: "User") -> bool:
    """The research team starts with the practice journal (and the dashboard beside it)."""
    return reads_only_the_evaluation(user)


def lands_on_the_month(user: "User") -> bool:
    """The direction starts with the month's figures on one screen."""
    return _has_role(user, {Role.DIRECTION})


def can_edit_intervention(user: "User", intervention: Authored) -> bool:
    """Its author and the direction may change or delete an intervention."""
    return user.is_active and (
        intervention.author_id == user.pk or _has_role(user, {Role.DIRECTION})
    )


def can_handle_follow_up(user: "User", intervention: FollowedUp) -> bool:
    """The person the follow-up was given to, its author and the direction may close,
    reopen or postpone it."""
    return user.is_active and (
        intervention.follow_up_by_id == user.pk or can_edit_intervention(user, intervention)
    )


def can_see_team_support(user: "User") -> bool:
    """The direction sees how often each person had clinical supervision (never what was
    said, nor its themes), sets the planned hours and the workload thresholds."""
    return _has_role(user, {Role.DIRECTION})


def can_have_supervision(user: "User") -> bool:
    """Staff of the field work record their clinical supervision sessions (not research)."""
    return has_a_role(user) and not reads_only_the_evaluation(user)


def can_read_restricted_note(user: "User", intervention: Authored) -> bool:
    """A restricted note is for its author and the direction, nobody else."""
    return user.is_active and (
        intervention.author_id == user.pk or _has_role(user, {Role.DIRECTION})
    )


# The staff who meet as a team: outreach workers, coordination and the direction.
TEAM = frozenset({Role.INTERVENANT, Role.COORDINATION, Role.DIRECTION})


def can_take_part_in_team_meetings(user: "User") -> bool:
    """Team meetings are the staff's: any of them may record one and be one of its
    participants; administrators and research are not of the team."""
    return _has_role(user, TEAM)


def can_read_every_team_meeting(user: "User") -> bool:
    """The direction reads every team meeting, case discussions included; everyone else only
    those they attended."""
    return _has_role(user, {Role.DIRECTION})


# Who is in the team ------------------------------------------------------------------------


def the_team() -> models.Q:
    """The accounts of the field work whose clinical support the direction follows and who
    may be supervised: intervenants, coordination and the direction (never research)."""
    return models.Q(is_active=True, role__in=TEAM)


def the_intervenants() -> models.Q:
    """The accounts whose logged work the workload signals measure."""
    return models.Q(is_active=True, role=Role.INTERVENANT)


# Views and templates ask them --------------------------------------------------------------


def allowed(
    predicate: Callable[["User"], bool],
) -> Callable[
    [Callable[Concatenate["AuthenticatedHttpRequest", P], R]],
    Callable[Concatenate["AuthenticatedHttpRequest", P], R],
]:
    """Decorate a function view that only those for whom `predicate(user)` holds may open."""

    def decorator(
        view_func: Callable[Concatenate["AuthenticatedHttpRequest", P], R],
    ) -> Callable[Concatenate["AuthenticatedHttpRequest", P], R]:
        @wraps(view_func)
        def wrapped(request: "AuthenticatedHttpRequest", *args: P.args, **kwargs: P.kwargs) -> R:
            if not predicate(request.user):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


def role_not_required(view_func: F) -> F:
    """Mark a view that an account without a role may still open (log out, language...)."""
    # A mark that RoleRequiredMiddleware reads with getattr: a function's own attribute.
    view_func.role_not_required = True  # type: ignore[attr-defined]
    return view_func


def open_to_research(view_func: F) -> F:
    """Mark a view that the research role may open (RoleRequiredMiddleware refuses it every
    other one); the view still asks its own predicate."""
    # A mark that RoleRequiredMiddleware reads with getattr: a function's own attribute.
    view_func.open_to_research = True  # type: ignore[attr-defined]
    return view_func


def two_factor_not_required(view_func: F) -> F:
    """Mark a view that a person who still owes the second factor may open (log out...)."""
    # A mark that TwoFactorMiddleware reads with getattr: a function's own attribute.
    view_func.two_factor_not_required = True  # type: ignore[attr-defined]
    return view_func


class Permissions:
    """What the person may do, for templates: `can.see_dashboard` asks can_see_dashboard."""

    def __init__(self, user: "User | AnonymousUser"):
        # Anonymous on the login page: each predicate asks whether the person is logged in.
        self._user = user

    def __getattr__(self, name: str) -> bool:
        predicate = globals().get(f"can_{name}")
        if predicate is None:
            raise AttributeError(name)
        return predicate(self._user)


def permissions(request: HttpRequest) -> dict[str, Permissions]:
    """The context processor behind `can` in every template."""
    return {"can": Permissions(request.user)}
