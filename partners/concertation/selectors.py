"""Reads of the concertation meetings: the lists, a meeting's page, the commitments to follow
and the kept / open / late figures per organisation, each in a bounded number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from partners.concertation.models import Commitment, CommitmentEvent, ConcertationMeeting
from residents.models import Site

KEPT = Q(status=Commitment.Status.KEPT)


def _open_on_time(today: date) -> Q:
    return Q(status=Commitment.Status.OPEN, due_on__gte=today)


def _late(today: date) -> Q:
    return Q(status=Commitment.Status.OPEN, due_on__lt=today)


@dataclass(frozen=True)
class CommitmentCounts:
    """A partner's commitments: kept, open and not yet due, open past their due day."""

    kept: int = 0
    open: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.kept + self.open + self.late


NO_COMMITMENTS = CommitmentCounts()


def commitment_counts(
    *, today: date, commitments: QuerySet[Commitment] | None = None
) -> dict[int, CommitmentCounts]:
    """Kept, open and late commitments per organisation, in one query (dropped ones are
    left out: nothing to follow, nothing kept)."""
    rows = (
        (Commitment.objects.all() if commitments is None else commitments)
        .order_by()
        .values("organisation_id")
        .annotate(
            kept=Count("pk", filter=KEPT),
            open=Count("pk", filter=_open_on_time(today)),
            late=Count("pk", filter=_late(today)),
        )
    )
    return {
        row["organisation_id"]: CommitmentCounts(row["kept"], row["open"], row["late"])
        for row in rows
        if row["kept"] or row["open"] or row["late"]
    }


def organisation_commitments(*, organisation_id: int, today: date) -> CommitmentCounts:
    """The figures of one partner's page."""
    counts = commitment_counts(
        today=today, commitments=Commitment.objects.filter(organisation_id=organisation_id)
    )
    return counts.get(organisation_id, NO_COMMITMENTS)


def meetings_in_period(
    *, date_from: date, date_to: date, site: Site | None = None
) -> QuerySet[ConcertationMeeting]:
    """The meetings held in the period; for a site, those that concern it or all of EMA."""
    meetings = ConcertationMeeting.objects.filter(held_on__gte=date_from, held_on__lte=date_to)
    if site is not None:
        meetings = meetings.filter(Q(sites=site) | Q(sites__isnull=True)).distinct()
    return meetings


def meeting_rows(*, today: date) -> QuerySet[ConcertationMeeting]:
    """The meetings, latest first, with their table, sites and commitment figures."""
    return (
        ConcertationMeeting.objects.select_related("table")
        .prefetch_related("sites")
        .annotate(
            kept=Count("commitments", filter=Q(commitments__status=Commitment.Status.KEPT)),
            open=Count(
                "commitments",
                filter=Q(
                    commitments__status=Commitment.Status.OPEN, commitments__due_on__gte=today
                ),
            ),
            late=Count(
                "commitments",
                filter=Q(commitments__status=Commitment.Status.OPEN, commitments__due_on__lt=today),
            ),
        )
        .order_by("-held_on", "-pk")
    )


def meeting_page(*, meeting: ConcertationMeeting) -> dict:
    """A meeting's partners, staff and commitments with their history."""
    return {
        "sites": list(meeting.sites.order_by("name")),
        "partners_present": list(meeting.partners_present.order_by("name")),
        "staff_present": list(meeting.staff_present.order_by("first_name", "last_name")),
        "commitments": list(
            meeting.commitments.select_related("organisation", "status_by")
            .prefetch_related(
                Prefetch("events", queryset=CommitmentEvent.objects.select_related("by"))
            )
            .order_by("due_on", "pk")
        ),
    }


def commitments_to_follow(
    *, today: date, organisation_id: int | None = None, late_only: bool = False
) -> QuerySet[Commitment]:
    """The open commitments, the soonest due first (the late ones lead); for one
    organisation, or only the late ones."""
    commitments = Commitment.objects.late(today) if late_only else Commitment.objects.open()
    if organisation_id is not None:
        commitments = commitments.filter(organisation_id=organisation_id)
    return commitments.select_related("organisation", "meeting__table").order_by("due_on", "pk")


def late_commitments_by_partner(*, today: date) -> list[tuple[str, int]]:
    """The weekly summary's lines: late commitments per organisation, most first."""
    rows = (
        Commitment.objects.late(today)
        .order_by()
        .values_list("organisation__name")
        .annotate(count=Count("pk"))
        .values_list("organisation__name", "count")
    )
    return sorted(rows, key=lambda row: (-row[1], row[0]))
