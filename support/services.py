"""Writes of clinical support: supervision sessions (atomic, validated, audited), planned
hours and the workload thresholds."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from support.models import SupervisionSession, SupervisionTheme, WorkPlan

STALE_SESSION = _(
    "Someone else saved this session while you were editing it. "
    "What you typed is kept below: check the saved version, then save again."
)


@transaction.atomic
def session_save(
    *,
    session: SupervisionSession,
    supervised: Iterable[User],
    themes: Iterable[SupervisionTheme],
    by: User,
    expected_version: int | None = None,
) -> SupervisionSession:
    """Record a new session, or update one: its author must be its supervisor or one of the
    persons supervised; an individual session supervises one person; a stale edit is refused
    (StaleEditError)."""
    supervised = list(supervised)
    supervised_ids = {user.pk for user in supervised}
    if not supervised:
        raise ValidationError({"supervised": _("Choose at least one person supervised.")})
    if session.kind == SupervisionSession.Kind.INDIVIDUAL and len(supervised) > 1:
        raise ValidationError(
            {"supervised": _("An individual session supervises one person: choose group.")}
        )
    if session.supervisor_id in supervised_ids:
        raise ValidationError(
            {"supervised": _("The supervisor cannot also be a person supervised.")}
        )
    if by.pk != session.supervisor_id and by.pk not in supervised_ids:
        raise ValidationError(
            _("You record only the sessions you lead or in which you are supervised.")
        )
    if session.pk is None:
        session.created_by = by
    else:
        claim_next_version(session, expected=expected_version, message=STALE_SESSION)
    session.full_clean()
    session.save()
    session.supervised.set(supervised)
    session.themes.set(list(themes))
    return session


@transaction.atomic
def work_plan_set(*, user: User, hours_per_week) -> WorkPlan:
    """Set the hours a week a person is planned to work."""
    plan = WorkPlan.objects.filter(user=user).first() or WorkPlan(user=user)
    plan.hours_per_week = hours_per_week
    plan.full_clean()
    plan.save()
    return plan
