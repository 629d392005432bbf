"""Writes of interventions and group activities: atomic, validated, audited."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from ema.read_log import ReadKind, record_read
from ema.validation import loaded_relations
from interventions.models import (
    HEADCOUNT_FIELDS,
    MAX_DURATION_MINUTES,
    GroupActivity,
    Intervention,
    InterventionType,
    Level,
    Participation,
    Place,
    Tally,
    Theme,
)
from interventions.summaries import buckets_of, summaries_refresh
from residents.models import Consent, Resident, Site

STALE_INTERVENTION = _(
    "Someone else saved this intervention while you were editing it. "
    "Your text is kept below: check the current version, then save again."
)


FOLLOW_UP_IN_THE_PAST = _("A follow-up cannot be put off to a day that has passed.")


@dataclass(frozen=True)
class Participant:
    resident: Resident
    role: str = Participation.Role.PARTICIPANT


def _check_participants(
    participants: Iterable[Participant], *, on: date, already_named: set[int]
) -> None:
    """A person is newly named only under a consent to keep a file that was in force on the
    day of the intervention and has not been withdrawn since: a withdrawal stops new named
    logging at once, even of earlier days. People already named stay as they were."""
    residents = [p.resident for p in participants if p.resident.pk not in already_named]
    if not residents:
        return
    consenting = set(
        Consent.objects.in_force(on)
        .filter(purpose=Consent.Purpose.KEEP_FILE, resident__in=residents)
        .exclude(withdrawn_on__lte=timezone.localdate())
        .values_list("resident_id", flat=True)
    )
    missing = [r for r in residents if r.pk not in consenting]
    if missing:
        raise ValidationError(
            {
                "participants": _(
                    "%(names)s cannot be named: no consent to keep a file is in force. "
                    "Count them in the headcount instead."
                )
                % {"names": ", ".join(r.full_name for r in missing)}
            }
        )


@transaction.atomic
def intervention_save(
    *,
    intervention: Intervention,
    by: User,
    themes: Iterable[Theme] = (),
    co_intervenants: Iterable = (),
    participants: Iterable[Participant] = (),
    partners: Iterable | None = None,
    expected_version: int | None = None,
) -> Intervention:
    """Create or update an intervention with its themes, co-intervenants and named
    participants. An update whose expected_version is stale is refused. The people `by`
    names replace those named before, but for the ones `by` may not see (a resident whose
    household has since moved to another site): they stay as they were."""
    participants = list(participants)
    if intervention.pk is None:
        intervention.author = by
    else:
        claim_next_version(intervention, expected=expected_version, message=STALE_INTERVENTION)
    if intervention.follow_up_due and not intervention.follow_up_by_id:
        # A follow-up nobody was named for is its author's.
        intervention.follow_up_by = intervention.author
    # The related rows handed over as objects exist: no query to check them again. The
    # check constraints repeat the field validators and clean(); the database keeps them.
    intervention.full_clean(exclude=loaded_relations(intervention), validate_constraints=False)
    is_new = intervention.pk is None
    already_named = (
        set() if is_new else set(intervention.participations.values_list("resident_id", flat=True))
    )
    hidden = _named_out_of_sight(intervention, by=by) if already_named else {}
    wanted = [p for p in participants if p.resident.pk not in hidden]
    intervention.check_people([p.resident for p in wanted])
    _check_participants(wanted, on=intervention.date, already_named=already_named)
    intervention.save()
    themes = list(themes)
    co_intervenants = [user for user in co_intervenants if user.pk != intervention.author_id]
    # A new intervention has no relation yet: only what it names is written.
    if themes or not is_new:
        intervention.themes.set(themes)
    if co_intervenants or not is_new:
        intervention.co_intervenants.set(co_intervenants)
    if wanted or hidden or not is_new:
        _set_participants(intervention, [*wanted, *hidden.values()], is_new=is_new)
    if partners is not None and (partners or not is_new):
        # Partner organisations present (a concertation, a joint activity).
        intervention.partners_present.set(partners)
    _count_in_summaries(intervention)
    return intervention


def _count_in_summaries(intervention: Intervention) -> None:
    """The monthly summaries of the months the intervention counts in, and counted in."""
    summaries_refresh(buckets=buckets_of([intervention]))
    intervention.loaded_bucket = (intervention.site_id, intervention.date)


@transaction.atomic
def intervention_counts_update(
    *,
    intervention: Intervention,
    expected_version: int | None,
    duration_minutes: int,
    **headcount: int,
) -> Intervention:
    """Correct an intervention's counts and duration, nothing else (its people, themes and
    notes stay as they are); a stale version is refused like any edit."""
    claim_next_version(intervention, expected=expected_version, message=STALE_INTERVENTION)
    intervention.duration_minutes = duration_minutes
    for name, count in headcount.items():
        setattr(intervention, name, count)
    intervention.full_clean(exclude=loaded_relations(intervention), validate_constraints=False)
    intervention.save(update_fields=["duration_minutes", *headcount, "version", "updated_at"])
    _count_in_summaries(intervention)
    return intervention


def quick_log_create(
    *,
    by: User,
    type: InterventionType,
    place: Place,
    site: Site,
    duration_minutes: int,
    date: date | None = None,
    start_time: time | None = None,
    summary: str = "",
    participants: Iterable[Participant] = (),
    follow_up_due: date | None = None,
    **headcount: int,
) -> Intervention:
    """Log what the quick form says, at the type's usual level, by `by`: today at this
    minute unless the form says when; the follow-up, if any, is `by`'s."""
    if date is None:
        now = timezone.localtime()
        date = now.date()
        start_time = start_time or now.time().replace(second=0, microsecond=0)
    intervention = Intervention(
        level=type.default_level,
        type=type,
        place=place,
        site=site,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        summary=summary,
        follow_up_due=follow_up_due,
        **headcount,
    )
    return intervention_save(intervention=intervention, by=by, participants=participants)


def activity_session_create(
    *,
    activity: GroupActivity,
    by: User,
    date: date,
    start_time: time | None,
    duration_minutes: int,
    summary: str = "",
    present: Iterable[Resident] = (),
    walk_ins: Iterable[Resident] = (),
    **headcount: int,
) -> Intervention:
    """Log a session of a group activity, with who came (registered or not) and how many
    others: on the activity's site, of its type, at its place, at the group level."""
    people = {resident.pk: resident for resident in [*present, *walk_ins]}
    session = Intervention(
        activity=activity,
        site=activity.site,
        type=activity.type,
        place=activity.place,
        level=Level.GROUP,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        summary=summary,
        **headcount,
    )
    return intervention_save(
        intervention=session,
        by=by,
        participants=[Participant(resident=resident) for resident in people.values()],
    )


def _named_out_of_sight(intervention: Intervention, *, by: User) -> dict[int, Participant]:
    """The people an intervention names whom `by` may not see, by resident id."""
    return {
        participation.resident_id: Participant(
            resident=participation.resident, role=participation.role
        )
        for participation in intervention.participations.exclude(
            resident__in=Resident.objects.visible_to(by)
        ).select_related("resident")
    }


def _set_participants(
    intervention: Intervention, participants: list[Participant], *, is_new: bool
) -> None:
    wanted = {p.resident.pk: p.role for p in participants}
    existing = {} if is_new else {p.resident_id: p for p in intervention.participations.all()}
    for resident_id, participation in existing.items():
        if resident_id not in wanted:
            participation.delete()
        elif participation.role != wanted[resident_id]:
            participation.role = wanted[resident_id]
            participation.save(update_fields=["role"])
    Participation.objects.bulk_create(
        Participation(intervention=intervention, resident_id=resident_id, role=role)
        for resident_id, role in wanted.items()
        if resident_id not in existing
    )


@transaction.atomic
def intervention_delete(*, intervention: Intervention) -> None:
    """Delete an intervention; the audit trail keeps what it was."""
    buckets = buckets_of([intervention])
    intervention.participations.all().delete()
    intervention.delete()
    summaries_refresh(buckets=buckets)


@transaction.atomic
def follow_up_complete(*, intervention: Intervention, on: date | None = None) -> Intervention:
    """Mark the follow-up of an intervention done."""
    claim_next_version(intervention, expected=None, message="")
    intervention.follow_up_done_on = on or timezone.localdate()
    intervention.save(update_fields=["follow_up_done_on", "version", "updated_at"])
    return intervention


@transaction.atomic
def follow_up_reopen(*, intervention: Intervention) -> Intervention:
    """Open again a follow-up marked done (the "undo" after "done")."""
    claim_next_version(intervention, expected=None, message="")
    intervention.follow_up_done_on = None
    intervention.save(update_fields=["follow_up_done_on", "version", "updated_at"])
    return intervention


def follow_up_date_problem(due: date) -> str | None:
    """Why a follow-up cannot be put off to `due`, or None: a new date is never in the past."""
    if due < timezone.localdate():
        return str(FOLLOW_UP_IN_THE_PAST)
    return None


@transaction.atomic
def follow_up_postpone(*, intervention: Intervention, due: date) -> Intervention:
    """Put an open follow-up off to a new due date, today or later (the audit trail keeps
    the old one)."""
    problem = follow_up_date_problem(due)
    if problem:
        raise ValidationError({"due": problem}, code="past")
    if intervention.follow_up_done_on is not None:
        raise ValidationError(_("This follow-up is already done."), code="done")
    # The field's own bounds (within twenty years); the rest of the row does not change.
    Intervention._meta.get_field("follow_up_due").clean(due, intervention)
    claim_next_version(intervention, expected=None, message="")
    intervention.follow_up_due = due
    intervention.save(update_fields=["follow_up_due", "version", "updated_at"])
    return intervention


def restricted_note_read(*, intervention: Intervention, by: User) -> None:
    """Record in the read log that someone read a restricted note (never its content)."""
    if not intervention.restricted_note:
        return
    record_read(user=by, kind=ReadKind.RESTRICTED_NOTE, target=intervention)


@transaction.atomic
def activity_save(*, activity: GroupActivity, registered: Iterable[Resident]) -> GroupActivity:
    """Create or update a group activity and its registered participants, who live on the
    activity's site."""
    registered = list(registered)
    activity.full_clean()
    activity.check_registered(registered)
    activity.save()
    activity.registered.set(registered)
    return activity


def tally_start(
    *,
    by: User,
    type: InterventionType,
    place: Place,
    site: Site,
    summary: str = "",
    **headcount: int,
) -> Tally:
    """Start counting a presence now, with whoever is there already."""
    tally = Tally(author=by, type=type, place=place, site=site, summary=summary, **headcount)
    tally.full_clean(exclude=loaded_relations(tally))
    tally.save()
    return tally


def tally_set_counts(*, tally: Tally, counts: dict[str, int]) -> Tally:
    """Set the counts sent (absolute numbers, so that a retry counts nobody twice)."""
    unknown = set(counts) - set(HEADCOUNT_FIELDS.values())
    if unknown:
        raise ValueError(f"not a count of a tally: {sorted(unknown)}")
    if tally.logged_as_id is not None:
        raise ValidationError(_("This tally is closed: its counts are in its intervention."))
    for name, value in counts.items():
        setattr(tally, name, value)
    if counts:
        tally.full_clean(exclude=loaded_relations(tally), validate_constraints=False)
        Tally.objects.filter(pk=tally.pk).update(**counts)
    return tally


def _ended_at(tally: Tally, end_time: time | None) -> datetime:
    """When a tally ended: now, or the time given on the day it started (or the next day,
    for a tally closed after midnight)."""
    if end_time is None:
        return timezone.localtime()
    started = timezone.localtime(tally.started_at)
    ended = started.replace(hour=end_time.hour, minute=end_time.minute, second=0, microsecond=0)
    return ended if ended >= started.replace(second=0, microsecond=0) else ended + timedelta(days=1)


@transaction.atomic
def tally_close(
    *, tally: Tally, by: User, end_time: time | None = None, summary: str | None = None
) -> Intervention:
    """Log the tally as one intervention that lasted from its start to its end, with its
    counts and its summary (or `summary`); the tally keeps the link to it."""
    tally = (
        Tally.objects.select_for_update().select_related("type", "place", "site").get(pk=tally.pk)
    )
    if tally.logged_as_id is not None:
        raise ValidationError(_("This tally is already closed."))
    started = timezone.localtime(tally.started_at)
    ended = _ended_at(tally, end_time)
    minutes = math.ceil((ended - started).total_seconds() / 60)
    if ended > timezone.localtime() + timedelta(minutes=5):
        raise ValidationError({"end_time": _("This time has not come yet.")})
    if minutes > MAX_DURATION_MINUTES:
        raise ValidationError(
            {"end_time": _("A tally lasts at most 12 hours: log this presence with the full form.")}
        )
    intervention = quick_log_create(
        by=by,
        type=tally.type,
        place=tally.place,
        site=tally.site,
        duration_minutes=max(minutes, 1),
        date=started.date(),
        start_time=started.time().replace(second=0, microsecond=0),
        summary=tally.summary if summary is None else summary,
        **{name: getattr(tally, name) for name in HEADCOUNT_FIELDS.values()},
    )
    tally.logged_as = intervention
    tally.save(update_fields=["logged_as"])
    return intervention


def tally_discard(*, tally: Tally) -> None:
    """Forget a tally started by mistake: nothing was logged from it."""
    if tally.logged_as_id is not None:
        raise ValidationError(_("This tally is closed: delete its intervention instead."))
    tally.delete()
