"""Reads of partners and referrals for pages: bounded queries, aggregates in the database."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from statistics import median
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.accounts.models import User
from ema.exports import Rows, Table
from interventions.models import Intervention, Participation
from interventions.selectors import EXPORT_CHUNK_ROWS, intervention_rows
from partners.models import (
    AGREEMENT_WARNING_DAYS,
    OPEN_STATUSES,
    Agreement,
    CommitteeMembership,
    Organisation,
    Referral,
    ReferralEvent,
    Service,
    Status,
)
from residents.access import people_shown
from residents.models import Consent, Household, Resident, ResidentQuerySet, Site

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

QUEUE_PAGE_SIZE = 50


def directory_search(
    *, user: User, q: str = "", kind: str = "", site: Site | None = None, active: bool | None = True
) -> QuerySet[Organisation]:
    """The partner directory, searched by name or service, with the open referrals that the
    user sees."""
    organisations = Organisation.objects.all()
    if kind:
        organisations = organisations.filter(kind=kind)
    if site is not None:
        organisations = organisations.filter(Q(sites=site) | Q(committee_site=site))
    if active is not None:
        organisations = organisations.filter(is_active=active)
    for term in q.split():
        organisations = organisations.filter(
            Q(name__icontains=term)
            | Exists(Service.objects.filter(organisation=OuterRef("pk"), name__icontains=term))
        )
    return (
        organisations.distinct()
        .annotate(
            service_count=Count("services", distinct=True),
            open_referrals=Count(
                "referrals",
                filter=Q(
                    referrals__status__in=OPEN_STATUSES,
                    referrals__in=Referral.objects.visible_to(user),
                ),
                distinct=True,
            ),
        )
        .prefetch_related("sites")
        .order_by("name")
    )


def partners_to_name() -> QuerySet[Organisation]:
    """The organisations a form may name (present at an intervention...): the active ones."""
    return Organisation.objects.filter(is_active=True)


@dataclass(frozen=True)
class StepsReached:
    """How many referrals reached each step, and the median days from sending to acceptance."""

    sent: int
    accepted: int
    completed: int
    median_days_to_acceptance: float | None


def steps_reached(referrals: QuerySet[Referral]) -> StepsReached:
    """How many of the referrals were ever sent, accepted and completed, and the median
    number of days from sending to acceptance (the first time of each). One query, a row per
    referral that has such a step: bounded by the referrals given."""

    def first(status: str) -> Min:
        return Min("at", filter=Q(new_status=status))

    def times(status: str) -> Count:
        return Count("pk", filter=Q(new_status=status))

    rows = list(
        ReferralEvent.objects.filter(
            referral__in=referrals,
            new_status__in=[Status.SENT, Status.ACCEPTED, Status.COMPLETED],
        )
        .values("referral_id")
        .annotate(
            sent=times(Status.SENT),
            accepted=times(Status.ACCEPTED),
            completed=times(Status.COMPLETED),
            delay=first(Status.ACCEPTED) - first(Status.SENT),
        )
        .values_list("sent", "accepted", "completed", "delay")
        .order_by()
    )
    delays = [delay.total_seconds() / 86400 for *_, delay in rows if delay is not None]
    return StepsReached(
        sent=sum(1 for sent, *_ in rows if sent),
        accepted=sum(1 for _, accepted, *_ in rows if accepted),
        completed=sum(1 for _, _, completed, _ in rows if completed),
        median_days_to_acceptance=round(median(delays), 1) if delays else None,
    )


@dataclass(frozen=True)
class PartnerFigures:
    by_status: "dict[StrOrPromise, int]"
    total: int
    acceptance_rate: float | None
    completion_rate: float | None
    median_days_to_acceptance: float | None


def partner_figures(*, organisation: Organisation, referrals: QuerySet[Referral]) -> PartnerFigures:
    """Counts by status, acceptance and completion rates, and the median days from sending
    to acceptance of the referrals a user sees for one partner."""
    counts = dict(
        referrals.filter(organisation=organisation)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    total = sum(counts.values())
    answered = sum(
        counts.get(s, 0)
        for s in (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.REFUSED)
    )
    accepted = answered - counts.get(Status.REFUSED, 0)
    decided = accepted + counts.get(Status.NO_FOLLOW_UP, 0)
    return PartnerFigures(
        by_status={Status(s).label: n for s, n in counts.items()},
        total=total,
        acceptance_rate=round(100 * accepted / answered) if answered else None,
        completion_rate=(
            round(100 * counts.get(Status.COMPLETED, 0) / decided) if decided else None
        ),
        median_days_to_acceptance=steps_reached(
            referrals.filter(organisation=organisation)
        ).median_days_to_acceptance,
    )


def organisation_page(*, organisation: Organisation, user: User) -> dict[str, Any]:
    """Services, contacts, agreements and committee members of a partner; members are named
    only to those who may open their file, and counted for the others."""
    return {
        "services": list(organisation.services.all()),
        "contacts": list(organisation.contacts.all()),
        "agreements": list(organisation.agreements.all()),
        "members": people_shown(
            user,
            CommitteeMembership.objects.filter(committee=organisation)
            .select_related("resident__household")
            .order_by("until", "-since"),
            resident=attrgetter("resident"),
        ),
    }


def joint_activities(
    *, organisation: Organisation, user: User, limit: int = 10
) -> list[Intervention]:
    """The latest interventions, visible to the user, where the partner was present."""
    return list(intervention_rows(organisation.present_at.visible_to(user))[:limit])


def referral_rows(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(
        "organisation", "resident__household", "household", "site", "responsible"
    ).order_by("due_on", "-created_at")


def referral_list(
    *,
    user: User,
    organisation: Organisation | None = None,
    site: Site | None = None,
    responsible: User | None = None,
) -> QuerySet[Referral]:
    """Every referral a user sees, open or closed, newest first."""
    referrals = Referral.objects.visible_to(user)
    if organisation is not None:
        referrals = referrals.filter(organisation=organisation)
    if site is not None:
        referrals = referrals.filter(site=site)
    if responsible is not None:
        referrals = referrals.filter(responsible=responsible)
    return referral_rows(referrals).order_by("-created_at")


def _exported_referrals(*, user: User, filters: dict) -> QuerySet[Referral]:
    return referral_list(
        user=user,
        organisation=filters.get("organisation"),
        site=filters.get("site"),
        responsible=filters.get("responsible"),
    )


def referral_export_count(*, user: User, filters: dict) -> int:
    return _exported_referrals(user=user, filters=filters).count()


def referral_export_table(*, user: User, filters: dict) -> Table:
    """Every referral the user sees, filtered like the queue, as a table to export, without
    residents' names (privacy by default); read in one query while the file is written."""
    referrals = _exported_referrals(user=user, filters=filters)
    return Table(
        title=_("Referrals"),
        headers=[
            _("Created on"),
            _("Site"),
            _("Direction"),
            _("Partner"),
            _("Urgency"),
            _("Status"),
            _("Next step due on"),
            _("Outcome"),
            _("Responsible"),
        ],
        rows=Rows(lambda: _referral_export_rows(referrals)),
    )


def _referral_export_rows(referrals: QuerySet[Referral]) -> Iterator[list]:
    for referral in referrals.iterator(chunk_size=EXPORT_CHUNK_ROWS):
        yield [
            timezone.localtime(referral.created_at).date().isoformat(),
            referral.site.name,
            referral.get_direction_display(),
            referral.organisation.name,
            referral.get_urgency_display(),
            referral.get_status_display(),
            referral.due_on.isoformat() if referral.due_on and referral.is_open else "",
            referral.get_outcome_display(),
            str(referral.responsible),
        ]


QUEUE_GROUPS = ("overdue", Status.DRAFT, Status.SENT, "under_way")


def _queue_group(today: date) -> Case:
    """Which group of the queue a referral belongs to, as a number to sort on."""
    return Case(
        When(due_on__lt=today, then=Value(0)),
        When(status=Status.DRAFT, then=Value(1)),
        When(status=Status.SENT, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its referrals grouped, and every group's total."""

    groups: dict[str, list[Referral]]
    totals: dict[str, int]
    page: Page


def referral_queue_page(
    *,
    user: User,
    organisation: Organisation | None = None,
    site: Site | None = None,
    responsible: User | None = None,
    page_number: str | None = None,
) -> QueuePage:
    """What needs action today, grouped: overdue first, then drafts, then referrals waiting
    for the partner's answer, then those under way; one page of them at a time."""
    today = timezone.localdate()
    referrals = Referral.objects.visible_to(user).open()
    if organisation is not None:
        referrals = referrals.filter(organisation=organisation)
    if site is not None:
        referrals = referrals.filter(site=site)
    if responsible is not None:
        referrals = referrals.filter(responsible=responsible)
    referrals = referrals.annotate(queue_group=_queue_group(today))
    counted = dict(
        referrals.order_by()
        .values_list("queue_group")
        .annotate(n=Count("pk"))
        .values_list("queue_group", "n")
    )
    totals = {key: counted.get(number, 0) for number, key in enumerate(QUEUE_GROUPS)}
    order = ("queue_group", "due_on", "-created_at", "pk")
    # The page is chosen on the referrals' own columns, then only its rows are joined to
    # their people, households and partners: the joins read 50 rows, not every open
    # referral's household and resident (a subquery with its LIMIT, one query).
    paginator = Paginator(referrals.order_by(*order).values("pk"), QUEUE_PAGE_SIZE)
    # The totals already give the count: the paginator need not count again.
    paginator.count = sum(totals.values())
    page = paginator.get_page(page_number)
    # Rows annotated with their group (`queue_group`), which the model does not declare.
    shown: QuerySet[Any] = referral_rows(
        Referral.objects.filter(pk__in=page.object_list).annotate(queue_group=_queue_group(today))
    ).order_by(*order)
    groups: dict[str, list[Referral]] = {key: [] for key in QUEUE_GROUPS}
    for referral in shown:
        groups[QUEUE_GROUPS[referral.queue_group]].append(referral)
    return QueuePage(groups=groups, totals=totals, page=page)


def referrals_naming(
    *,
    user: User,
    residents: Iterable[Resident] | None = None,
    household: Household | None = None,
    limit: int = 30,
) -> list[Referral]:
    """Referrals of a household or of some residents, for their timelines."""
    referrals = Referral.objects.visible_to(user)
    if household is not None:
        referrals = referrals.filter(household=household)
    if residents is not None:
        referrals = referrals.filter(resident__in=residents)
    return list(referral_rows(referrals).order_by("-created_at")[:limit])


def referral_page(*, referral: Referral) -> dict[str, Any]:
    """What a referral's page shows beside the referral: its steps, themes, interventions, and
    who may give the consent it still needs (the members of its household)."""
    needs_consent = referral.is_open and referral.consent_id is None and not referral.resident_id
    return {
        "events": list(referral.events.select_related("by", "via_link__contact__organisation")),
        "links": list(referral.links.select_related("contact", "created_by", "revoked_by")),
        "themes": list(referral.themes.all()),
        "interventions": list(referral.interventions.select_related("type", "site")),
        "consent_givers": (
            list(referral.household.members.current().order_by("first_name"))
            if needs_consent
            else []
        ),
    }


def agreements_ending_soon() -> QuerySet[Agreement]:
    today = timezone.localdate()
    return Agreement.objects.filter(
        ends_on__gte=today, ends_on__lte=today + timedelta(days=AGREEMENT_WARNING_DAYS)
    ).select_related("organisation")


def memberships_of(*, resident: Resident) -> list[CommitteeMembership]:
    return list(
        CommitteeMembership.objects.filter(resident=resident)
        .select_related("committee")
        .order_by("-since")
    )


# What a referral links to: the interventions of its household, most recent first.
REFERRAL_INTERVENTIONS_DAYS = 120
REFERRAL_INTERVENTIONS_LIMIT = 50


def referral_household(*, user: User, pk: object) -> Household | None:
    """The household a referral form names (a raw POST or address value), if the user sees it."""
    if not str(pk or "").isdigit():
        return None
    return Household.objects.visible_to(user).filter(pk=int(str(pk))).first()


def referral_interventions(
    *, user: User, household: Household | None, q: str = ""
) -> QuerySet[Intervention]:
    """The latest interventions the user sees that name a member of `household` (of the last
    months, at most REFERRAL_INTERVENTIONS_LIMIT): those a referral of it may link to."""
    if household is None:
        return Intervention.objects.none()
    since = timezone.localdate() - timedelta(days=REFERRAL_INTERVENTIONS_DAYS)
    naming = Participation.objects.filter(
        intervention=OuterRef("pk"), resident__household=household
    )
    latest = (
        Intervention.objects.visible_to(user)
        .filter(Exists(naming), date__gte=since)
        .order_by("-date", "-pk")
    )
    for term in q.split():
        latest = latest.filter(Q(type__name__icontains=term) | Q(date__icontains=term))
    # The limit is a subquery, so that the queryset still filters (a form validates with it).
    ids = latest.values("pk")[:REFERRAL_INTERVENTIONS_LIMIT]
    return Intervention.objects.filter(pk__in=ids).select_related("type").order_by("-date", "-pk")


def referral_consents(
    *, user: User, household: Household | None, resident: Resident | None = None
) -> QuerySet[Consent]:
    """The consents to share in force of `household`'s members (or of `resident` alone):
    those a referral of it may rest on."""
    if household is None:
        return Consent.objects.none()
    consents = Consent.objects.in_force().filter(
        purpose=Consent.Purpose.SHARE,
        resident__in=Resident.objects.visible_to(user).filter(household=household),
    )
    if resident is not None:
        consents = consents.filter(resident=resident)
    return consents.select_related("resident", "partner").order_by("-given_on", "-pk")


def committee_candidates(*, user: User, committee: Organisation) -> ResidentQuerySet:
    """Who may join a tenant committee: the tenants of its site still living there, of the
    sites the user sees."""
    return (
        Resident.objects.visible_to(user)
        .current()
        .filter(household__site=committee.committee_site_id)
        .select_related("household")
        .order_by("search_key", "pk")
    )


# A type-ahead offers a handful of names: the person types more to narrow them.
LOOKUP_LIMIT = 20


def committee_residents_to_name(*, user: User, committee: Organisation, q: str) -> list[Resident]:
    """The committee's candidates whose name holds every word of `q` (two letters or more)."""
    if len(q.strip()) < 2:
        return []
    return list(committee_candidates(user=user, committee=committee).matching(q)[:LOOKUP_LIMIT])


def organisations_to_name(*, q: str) -> list[Organisation]:
    """The active partners whose name holds every word of `q` (two letters or more), for a
    referral's type-ahead."""
    if len(q.strip()) < 2:
        return []
    organisations = Organisation.objects.filter(is_active=True)
    for term in q.split():
        organisations = organisations.filter(name__icontains=term)
    return list(organisations.order_by("name", "pk")[:LOOKUP_LIMIT])


def services_of(*, organisation: object) -> QuerySet[Service]:
    """The services of the active partner `organisation` (a raw POST value): those a referral
    to it may name."""
    if not str(organisation or "").isdigit():
        return Service.objects.none()
    return Service.objects.filter(
        organisation=int(str(organisation)), organisation__is_active=True
    ).order_by("name", "pk")
