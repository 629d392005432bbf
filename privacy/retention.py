"""Retention (Law 25): a household's file is kept `settings.RETENTION_MONTHS` months after its
last activity, then anonymised by `manage.py apply_retention`; the direction sees the files
due on a page beforehand.

Anonymising keeps every row that a figure or a report counts (households, residents, consents,
interventions, participations, referrals and their steps, with their dates, statuses, sites,
levels, durations, headcounts, birth years) and removes what identifies a person: names,
dates of birth, contacts, unit, free text and restricted notes, and their copies in the audit
history. The dashboards and the annual report therefore show the same figures before and after.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.models import RoleRecord
from interventions.models import GroupActivity, Intervention, Participation
from partners.models import CommitteeMembership, Referral, ReferralEvent
from privacy import retention_history, retention_sessions
from residents.models import Consent, Household, HouseholdQuerySet, Resident
from team.models import AgendaItem, MeetingAction

# What anonymised records hold instead: stored data, the same whatever the reader's language.
ANONYMISED_LABEL = "Ménage anonymisé"
ANONYMISED_FIRST_NAME = "Personne"
ANONYMISED_LAST_NAME = "anonymisée"
ANONYMISED_NAME = f"{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}"
# Where a text is required (a referral's reason, a guardian's name for a guardian's consent,
# the justification of an exception to consent): says that there was one, not what it was.
ANONYMISED_TEXT = "[anonymisé]"
# A day before any activity: SQL's GREATEST needs a date where a household has no such row.
NOTHING = date(1900, 1, 1)


def anonymised_unit(household: Household) -> str:
    """A unit nobody lives in: it frees the real unit and keeps one active household a unit."""
    return f"anonymisé-{household.pk}"


def retention_cutoff(today: date) -> date:
    """The earliest day of activity that still keeps a file: RETENTION_MONTHS months before
    `today` (the same day of that month, or its last day)."""
    year, index = divmod(today.year * 12 + today.month - 1 - settings.RETENTION_MONTHS, 12)
    return date(year, index + 1, min(today.day, calendar.monthrange(year, index + 1)[1]))


def _day_or_nothing(value) -> Coalesce:
    return Coalesce(value, Value(NOTHING), output_field=DateField())


def _latest(rows: QuerySet, group: str, day) -> Coalesce:
    """The latest `day` among `rows` of the outer household, or NOTHING: one subquery."""
    latest = rows.order_by().values(group).annotate(latest=Max(day)).values("latest")
    return _day_or_nothing(Subquery(latest, output_field=DateField()))


def last_activity(today: date) -> Greatest:
    """The day of the latest activity on a household's file, for a household queryset (see
    households_due_for_retention): one expression, a fixed number of subqueries."""
    household = OuterRef("pk")
    return Greatest(
        _day_or_nothing("moved_out_on"),
        _day_or_nothing("moved_in_on"),
        TruncDate("updated_at"),
        _latest(Resident.objects.filter(household=household), "household", TruncDate("updated_at")),
        _latest(
            Consent.objects.filter(resident__household=household),
            "resident__household",
            Greatest("given_on", _day_or_nothing("withdrawn_on"), TruncDate("created_at")),
        ),
        _latest(
            Participation.objects.filter(resident__household=household),
            "resident__household",
            F("intervention__date"),
        ),
        _latest(
            Referral.objects.filter(household=household),
            "household",
            Greatest(
                TruncDate("created_at"), TruncDate("updated_at"), TruncDate("status_changed_at")
            ),
        ),
        _latest(
            Intervention.objects.filter(referrals__household=household),
            "referrals__household",
            F("date"),
        ),
        _latest(
            CommitteeMembership.objects.filter(resident__household=household),
            "resident__household",
            Greatest("since", Coalesce("until", Value(today), output_field=DateField())),
        ),
        _latest(
            RoleRecord.objects.filter(resident__household=household),
            "resident__household",
            Greatest("since", Coalesce("until", Value(today), output_field=DateField())),
        ),
        _latest(
            GroupActivity.objects.filter(registered__household=household),
            "registered__household",
            Greatest(TruncDate("created_at"), _day_or_nothing("sessions__date")),
        ),
        output_field=DateField(),
    )


def households_due_for_retention(*, today: date | None = None) -> HouseholdQuerySet:
    """Households not yet anonymised whose last activity is older than RETENTION_MONTHS,
    oldest first, annotated with `last_activity` and `member_count`. One query.

    The last activity of a household's file is the latest of: its move-out (or move-in) date;
    the last change to the household or to one of its members (`updated_at`, which includes
    their creation); the last consent of a member given, withdrawn or recorded; the last
    intervention that names a member; the last referral of the household created, changed or
    moving to a new status, and the last intervention linked to one; a member's seat on a
    tenant committee or a role recorded on their path (until it ends: an open one is activity
    today); and a member's
    registration to a group activity (as of its last session, or its creation).

    A household that never recorded its move-out is due too when nothing at all happened on
    its file for the whole period: it stays a household of its site, with its status and its
    dates, so the figures of every period stay the same (see anonymise_household).
    """
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    cutoff_start = datetime.combine(cutoff, time.min, timezone.get_current_timezone())
    member_count = (
        Resident.objects.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        # The household's own dates first: a cheap filter that leaves out most households
        # before the subqueries run.
        Household.objects.filter(anonymised_on__isnull=True, updated_at__lt=cutoff_start)
        .filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__lt=cutoff))
        .annotate(last_activity=last_activity(today))
        .filter(last_activity__lt=cutoff)
        .annotate(member_count=Coalesce(Subquery(member_count), 0))
        .select_related("site")
        .order_by("last_activity", "pk")
    )


@dataclass(frozen=True)
class _Scope:
    """The rows that name a household or its members, today or in the audit history (rows
    deleted since are known from their deletion entry)."""

    members: set[int]
    residents: set[int]
    consents: set[int]
    participations: set[int]
    interventions: set[int]
    referrals: set[int]
    events: set[int]


def _ids(queryset: QuerySet) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _scope(household: Household) -> _Scope:
    deleted = retention_history.deleted
    members = _ids(household.members.all())
    residents = members | set(deleted(Resident, "household", [household.pk]))
    consents = _ids(Consent.objects.filter(resident__in=residents))
    consents |= set(deleted(Consent, "resident", residents))
    named = set(
        Participation.objects.filter(resident__in=residents).values_list("pk", "intervention")
    )
    gone = deleted(Participation, "resident", residents)
    gone_interventions = {
        int(changes["intervention"][0])
        for changes in gone.values()
        if str((changes.get("intervention") or ["None"])[0]).isdigit()
    }
    referrals = _ids(household.referrals.all()) | set(
        deleted(Referral, "household", [household.pk])
    )
    events = _ids(ReferralEvent.objects.filter(referral__in=referrals))
    events |= set(deleted(ReferralEvent, "referral", referrals))
    return _Scope(
        members=members,
        residents=residents,
        consents=consents,
        participations={pk for pk, _intervention in named} | set(gone),
        interventions={intervention for _pk, intervention in named}
        | gone_interventions
        | _ids(Intervention.objects.filter(referrals__household=household)),
        referrals=referrals,
        events=events,
    )


def _anonymise_rows(household: Household, scope: _Scope, today: date) -> None:
    """Clear what identifies a person; queryset updates, which the audit trail does not log."""
    Household.objects.filter(pk=household.pk).update(
        label=ANONYMISED_LABEL,
        unit=anonymised_unit(household),
        languages="",
        anonymised_on=today,
        search_key=Household.key_of(label=ANONYMISED_LABEL, unit=anonymised_unit(household)),
        version=F("version") + 1,
    )
    # The birth year stays: the age groups of every report are computed from it.
    Resident.objects.filter(pk__in=scope.members).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=ANONYMISED_LAST_NAME,
        search_key=Resident.key_of(
            first_name=ANONYMISED_FIRST_NAME, last_name=ANONYMISED_LAST_NAME
        ),
        date_of_birth=None,
        phone="",
        school="",
        languages="",
        version=F("version") + 1,
    )
    Consent.objects.filter(pk__in=scope.consents).update(
        guardian_name=Case(
            When(given_by=Consent.GivenBy.GUARDIAN, then=Value(ANONYMISED_TEXT)),
            default=Value(""),
        )
    )
    Intervention.objects.filter(pk__in=scope.interventions).update(
        summary="", decisions="", restricted_note="", version=F("version") + 1
    )
    Referral.objects.filter(pk__in=scope.referrals).update(
        reason=ANONYMISED_TEXT,
        information_shared="",
        exception_justification=Case(
            When(consent_exception="", then=Value("")), default=Value(ANONYMISED_TEXT)
        ),
        version=F("version") + 1,
    )
    ReferralEvent.objects.filter(pk__in=scope.events).update(note="")
    # A role recorded on a member's path keeps its dates (the ladder's figures), not its note.
    RoleRecord.objects.filter(resident__in=scope.members).update(note="")
    # A case discussion about the household or a member keeps its date and who attended (the
    # team's work), not what was said, decided or given to do.
    discussed = AgendaItem.objects.filter(Q(household=household) | Q(resident__in=scope.residents))
    MeetingAction.objects.filter(item__in=discussed).update(what=ANONYMISED_TEXT)
    discussed.update(said="", decisions="", version=F("version") + 1)


def _reprs_of(queryset: QuerySet) -> dict:
    return {(queryset.model, row.pk): str(row) for row in queryset}


@transaction.atomic
def anonymise_household(*, household: Household, today: date | None = None) -> Household:
    """Anonymise a household that is due (see households_due_for_retention), its members,
    their consents, the interventions that name them and the household's referrals, with
    their copies in the audit history and the Django admin's log, and what live sessions
    still hold of them (searches, pending imports); then record one entry saying that it
    was done.
    A household already anonymised is returned as it is; one not due is refused.

    Kept: the household's site, status, move-in and move-out dates; each member's birth
    year and gender; every date, status, type, level, duration, headcount, theme, place,
    partner and outcome. Cleared: the household's name (a neutral label), unit (a neutral
    value, which frees the unit) and languages; members' names, date of birth, phone, school
    and languages; the name of a parent or guardian; the summary, decisions and restricted
    note of every intervention naming a member (even when it names other people too: free
    text may name the person) or linked to one of the household's referrals; a referral's
    reason, information shared and justification, and the notes of its steps; what was said
    and decided in a case discussion about the household or a member, and its actions' words
    (their owners, dates and the meeting's participants stay). Free text that
    names a member in an intervention that does not name them as a participant is not
    looked for.
    """
    today = today or timezone.localdate()
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.anonymised_on is not None:
        return household
    if not households_due_for_retention(today=today).filter(pk=household.pk).exists():
        raise ValidationError(
            _("This household had activity during the retention period: it is not due."),
            code="not_due",
        )
    scope = _scope(household)
    # The names as older history entries wrote them (a resident's representation was once
    # their name), to be found and replaced there.
    names = {
        pk: resident.full_name for pk, resident in Resident.objects.in_bulk(scope.members).items()
    }
    typed = [
        household.label,
        *names.values(),
        *Consent.objects.filter(pk__in=scope.consents).values_list("guardian_name", flat=True),
    ]
    with disable_auditlog():
        _anonymise_rows(household, scope, today)
        household.refresh_from_db()
        reprs = {
            (Household, household.pk): str(household),
            **_reprs_of(Resident.objects.filter(pk__in=scope.members)),
            **_reprs_of(Consent.objects.filter(pk__in=scope.consents).select_related("resident")),
            **_reprs_of(
                Participation.objects.filter(pk__in=scope.participations).select_related("resident")
            ),
            **_reprs_of(
                Referral.objects.filter(pk__in=scope.referrals).select_related(
                    "organisation", "resident", "household"
                )
            ),
        }
        retention_history.scrub_history(
            records={
                Household: {household.pk},
                Resident: scope.residents,
                Consent: scope.consents,
                Participation: scope.participations,
                Intervention: scope.interventions,
                Referral: scope.referrals,
                ReferralEvent: scope.events,
            },
            reprs=reprs,
            neutral={
                Household: str(household),
                Resident: ANONYMISED_NAME,
                Consent: ANONYMISED_TEXT,
                Participation: ANONYMISED_TEXT,
                Referral: ANONYMISED_TEXT,
            },
            names=names,
            anonymous_name=ANONYMISED_NAME,
            activities=GroupActivity.objects.filter(
                Q(site=household.site_id) | Q(registered__in=scope.members)
            ),
        )
        retention_history.scrub_admin_log(
            records={
                Household: {household.pk},
                Resident: scope.residents,
                Consent: scope.consents,
                Participation: scope.participations,
                Intervention: scope.interventions,
                Referral: scope.referrals,
            },
            reprs=reprs,
        )
    retention_sessions.forget_in_sessions(names=typed)
    LogEntry.objects.log_create(
        household,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"anonymised_on": ["None", today.isoformat()]},
        additional_data={"retention": "anonymised", "retention_months": settings.RETENTION_MONTHS},
    )
    return household
