"""Writes to collective issues: atomic, validated, audited (django-auditlog keeps the issue,
its links to households, interventions and partners, its status steps and responses)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collective.models import CollectiveIssue, IssueResponse, IssueStatus, IssueStatusChange
from ema.accounts.models import User
from ema.concurrency import claim_next_version
from interventions.models import Intervention
from partners.models import Organisation
from residents.models import Household

STALE_ISSUE = _(
    "Someone else saved this collective issue while you were editing it. "
    "What you typed is kept below: check the saved version, then save again."
)
OTHER_SITE = _("This belongs to another site than the issue’s.")


@transaction.atomic
def issue_save(
    *,
    issue: CollectiveIssue,
    partners: Iterable[Organisation],
    by: User,
    expected_version: int | None = None,
) -> CollectiveIssue:
    """Open a new issue (its first status step is « open » on the day it was opened), or
    update one; a stale expected_version is refused (StaleEditError)."""
    is_new = issue.pk is None
    if is_new:
        issue.created_by = by
        issue.status = IssueStatus.OPEN
        issue.status_changed_on = issue.opened_on
    else:
        claim_next_version(issue, expected=expected_version, message=STALE_ISSUE)
        first = issue.status_changes.order_by("changed_on", "pk").first()
        if first is not None and issue.opened_on and first.changed_on < issue.opened_on:
            raise ValidationError(
                {"opened_on": _("The issue cannot open after its first status change.")}
            )
    issue.full_clean()
    issue.save()
    if is_new:
        step = IssueStatusChange(
            issue=issue, status=IssueStatus.OPEN, changed_on=issue.opened_on, by=by
        )
        step.full_clean()
        step.save()
    issue.partners.set(list(partners))
    return issue


@transaction.atomic
def issue_set_status(
    *, issue: CollectiveIssue, status: str, on: date | None, by: User, note: str = ""
) -> IssueStatusChange:
    """Move the issue to `status` on day `on` (today when None), kept as a step of its
    history; the day comes after the issue opened and after its latest step."""
    on = on or timezone.localdate()
    if status == issue.status:
        raise ValidationError(
            {"status": _("The issue already has this status: choose another one.")}
        )
    if on < issue.opened_on:
        raise ValidationError({"on": _("A status cannot change before the issue was opened.")})
    if issue.status_changed_on and on < issue.status_changed_on:
        raise ValidationError(
            {"on": _("A status cannot change before the latest change of the issue.")}
        )
    step = IssueStatusChange(issue=issue, status=status, changed_on=on, note=note, by=by)
    step.full_clean()
    step.save()
    issue.status, issue.status_changed_on = status, on
    issue.full_clean()
    issue.save(update_fields=["status", "status_changed_on", "updated_at"])
    return step


def _same_site(issue: CollectiveIssue, rows: Iterable[Household | Intervention]) -> None:
    if any(row.site_id != issue.site_id for row in rows):
        raise ValidationError(OTHER_SITE, code="other_site")


@transaction.atomic
def issue_add_households(
    *, issue: CollectiveIssue, households: Iterable[Household], by: User
) -> int:
    """Add households of the issue's site to those affected; returns how many were new."""
    households = list(households)
    _same_site(issue, households)
    known = set(issue.households.values_list("pk", flat=True))
    new = [household for household in households if household.pk not in known]
    issue.households.add(*new)
    return len(new)


@transaction.atomic
def issue_remove_household(*, issue: CollectiveIssue, household: Household, by: User) -> None:
    """The household is no longer counted among those affected (the audit trail keeps that it
    was)."""
    issue.households.remove(household)


@transaction.atomic
def issue_link_interventions(
    *, issue: CollectiveIssue, interventions: Iterable[Intervention], by: User
) -> int:
    """Link interventions of the issue's site, at any level; returns how many were new."""
    interventions = list(interventions)
    _same_site(issue, interventions)
    known = set(issue.interventions.values_list("pk", flat=True))
    new = [intervention for intervention in interventions if intervention.pk not in known]
    issue.interventions.add(*new)
    return len(new)


@transaction.atomic
def issue_unlink_intervention(
    *, issue: CollectiveIssue, intervention: Intervention, by: User
) -> None:
    issue.interventions.remove(intervention)


@transaction.atomic
def issue_response_create(
    *,
    issue: CollectiveIssue,
    organisation: Organisation,
    received_on: date,
    answer: str,
    by: User,
) -> IssueResponse:
    """Record what a partner answered or did; the partner counts among those mobilised."""
    response = IssueResponse(
        issue=issue,
        organisation=organisation,
        received_on=received_on,
        answer=answer,
        recorded_by=by,
    )
    response.full_clean()
    response.save()
    issue.partners.add(organisation)
    return response
