"""The roles residents held and the ladder they climb (ladder.py), read from what is recorded:
attendance and collective actions (interventions), tenant committee seats (partners) and the
roles recorded by hand (RoleRecord). Three aggregate queries whatever the number of residents:
the attendances come grouped by resident, role and month (from the monthly summaries for
whole months), the seats and records as rows."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise

from ema.accounts.models import User
from ema.periods import Period, are_whole_months, quarter_of
from empowerment import ladder
from empowerment.models import RoleRecord
from interventions.models import MonthlyAttendance, Participation
from interventions.summaries import ATTENDED
from partners.models import CommitteeMembership
from residents.models import Resident, Site

ATTENDANCE = "attendance"
RECORDED = "recorded"
COMMITTEE = "committee"

# A tenant committee seat's role → its role on the ladder.
SEAT_ROLES = {
    CommitteeMembership.Role.MEMBER: ladder.COMMITTEE_MEMBER,
    CommitteeMembership.Role.PRESIDENT: ladder.COMMITTEE_OFFICER,
    CommitteeMembership.Role.SECRETARY: ladder.COMMITTEE_OFFICER,
    CommitteeMembership.Role.TREASURER: ladder.COMMITTEE_OFFICER,
}
# A role named in an attendance → its role on the ladder (a participant: see is_returning).
ATTENDANCE_ROLES: dict[str, str] = {
    Participation.Role.VOLUNTEER: ladder.VOLUNTEER,
    Participation.Role.ORGANISER: ladder.ORGANISER,
}
RECORDED_ROLES = {
    RoleRecord.Role.VOLUNTEER: ladder.VOLUNTEER,
    RoleRecord.Role.ORGANISER: ladder.ORGANISER,
    RoleRecord.Role.RESIDENTS_COMMITTEE: ladder.RESIDENTS_COMMITTEE,
    RoleRecord.Role.BOARD: ladder.BOARD,
}


@dataclass(frozen=True)
class Held:
    """A role a resident held from `since` to `until` (None: still held), and where it comes
    from: attendance, a committee (its name in `where`) or a recorded role (its note)."""

    resident_id: int
    role: str
    since: date
    until: date | None
    source: str
    where: str = ""

    @property
    def step(self) -> int:
        return ladder.STEP_OF[self.role]

    @property
    def label(self) -> Promise:
        return ladder.ROLE_LABELS[self.role]

    def overlaps(self, start: date, end: date) -> bool:
        return self.since <= end and (self.until is None or self.until >= start)


def quarters_between(start: date, end: date) -> list[Period]:
    """The fiscal quarters that overlap the days from `start` to `end`."""
    quarters, day = [], start
    while day <= end:
        quarter = quarter_of(day)
        quarters.append(quarter)
        day = quarter.end + timedelta(days=1)
    return quarters


def _scoped(
    queryset: QuerySet, residents: QuerySet[Resident] | None, site: Site | None
) -> QuerySet:
    if residents is not None:
        queryset = queryset.filter(resident__in=residents)
    if site is not None:
        queryset = queryset.filter(resident__household__site=site)
    return queryset


def _attendance_rows(
    *, start: date, end: date, residents: QuerySet[Resident] | None, site: Site | None
) -> Iterable[tuple[int, str, int, date, date]]:
    """(resident, role, attendances, first day, last day) per resident, role and month of the
    group sessions and collective actions naming them: from the monthly summaries when the
    days asked are whole months (a fiscal year and the quarter before it), else from the
    participations themselves (one query either way)."""
    if are_whole_months(start, end):
        summaries = MonthlyAttendance.objects.filter(month__gte=start, month__lte=end)
        return (
            _scoped(summaries, residents, site)
            .values_list("resident_id", "role", "month")
            .annotate(times=Sum("attendances"), first=Min("first"), last=Max("last"))
            .values_list("resident_id", "role", "times", "first", "last")
            .order_by()
        )
    named = Participation.objects.filter(
        ATTENDED, intervention__date__gte=start, intervention__date__lte=end
    )
    return (
        _scoped(named, residents, site)
        .annotate(month=TruncMonth("intervention__date"))
        .values_list("resident_id", "role", "month")
        .annotate(
            times=Count("pk"), first=Min("intervention__date"), last=Max("intervention__date")
        )
        .values_list("resident_id", "role", "times", "first", "last")
        .order_by()
    )


def _from_attendance(
    *, start: date, end: date, residents: QuerySet[Resident] | None, site: Site | None
) -> list[Held]:
    """One role per resident and quarter from the group sessions (of an activity or not) and
    the collective actions naming them: participant or returning participant, and volunteer
    or organiser when so named."""
    rows = _attendance_rows(start=start, end=end, residents=residents, site=site)
    # (resident, quarter start) → [attendances, months, first day, last day]
    attended: dict[tuple[int, date], list] = {}
    # (resident, ladder role, quarter start) → [first day, last day]
    named_as: dict[tuple[int, str, date], list] = {}
    quarter_start = cache(lambda day: quarter_of(day).start)
    for resident_id, named_role, times, first, last in rows:
        quarter = quarter_start(first)
        seen = attended.setdefault((resident_id, quarter), [0, set(), first, last])
        seen[0] += times
        seen[1].add((first.year, first.month))
        seen[2], seen[3] = min(seen[2], first), max(seen[3], last)
        role = ATTENDANCE_ROLES.get(named_role)
        if role is not None:
            span = named_as.setdefault((resident_id, role, quarter), [first, last])
            span[0], span[1] = min(span[0], first), max(span[1], last)
    held = [
        Held(
            resident_id,
            ladder.RETURNING
            if ladder.is_returning(attendances=times, months=len(months))
            else ladder.PARTICIPANT,
            first,
            last,
            ATTENDANCE,
        )
        for (resident_id, _quarter), (times, months, first, last) in attended.items()
    ]
    held += [
        Held(resident_id, role, first, last, ATTENDANCE)
        for (resident_id, role, _quarter), (first, last) in named_as.items()
    ]
    return held


def _from_seats_and_records(
    *, start: date, end: date, residents: QuerySet[Resident] | None, site: Site | None
) -> list[Held]:
    """The tenant committee seats and the recorded roles held at some point between `start`
    and `end` (two queries)."""
    spans = Q(since__lte=end) & (Q(until__isnull=True) | Q(until__gte=start))
    seats = _scoped(CommitteeMembership.objects.filter(spans), residents, site).values_list(
        "resident_id", "role", "since", "until", "committee__name"
    )
    records = _scoped(RoleRecord.objects.filter(spans), residents, site).values_list(
        "resident_id", "role", "since", "until", "note"
    )
    held = [
        Held(resident_id, SEAT_ROLES[role], since, until, COMMITTEE, name)
        for resident_id, role, since, until, name in seats.order_by()
    ]
    held += [
        Held(resident_id, RECORDED_ROLES[role], since, until, RECORDED, note)
        for resident_id, role, since, until, note in records.order_by()
    ]
    return held


def roles_held(
    *,
    start: date,
    end: date,
    residents: QuerySet[Resident] | None = None,
    site: Site | None = None,
) -> list[Held]:
    """Every role held between `start` and `end` by the residents given (all of them when
    None), on one site or all: three queries."""
    return [
        *_from_attendance(start=start, end=end, residents=residents, site=site),
        *_from_seats_and_records(start=start, end=end, residents=residents, site=site),
    ]


def _merged(held: Iterable[Held]) -> list[Held]:
    """The roles from attendance of consecutive quarters joined into one span each."""
    out: list[Held] = []
    last: dict[tuple[int, str], int] = {}
    for role in sorted(held, key=lambda h: (h.resident_id, h.since, h.step)):
        key = (role.resident_id, role.role)
        before = out[last[key]] if key in last else None
        if (
            role.source == ATTENDANCE
            and before is not None
            and before.source == ATTENDANCE
            and before.until is not None
            and quarter_of(before.until).end + timedelta(days=1) >= quarter_of(role.since).start
        ):
            out[last[key]] = Held(role.resident_id, role.role, before.since, role.until, ATTENDANCE)
            continue
        if role.source == ATTENDANCE:
            last[key] = len(out)
        out.append(role)
    return out


def path_of(*, resident: Resident) -> list[Held]:
    """A resident's path: every role they held, from the first, with its dates (three
    queries). For the resident's page: the caller has checked that the file may be opened."""
    start = date(1900, 1, 1)
    end = timezone.localdate() + timedelta(days=1)
    residents = Resident.objects.filter(pk=resident.pk)
    return sorted(
        _merged(roles_held(start=start, end=end, residents=residents)),
        key=lambda h: (h.since, h.step),
    )


class PathStep(NamedTuple):
    """A role on a resident's path for the research export: no name, no free text."""

    resident_id: int
    role: str  # a code of empowerment.ladder (STEP_OF)
    step: int  # 1 to 6
    since: date  # not before the start asked
    until: date | None  # None: still held after the end asked


def path_steps(*, start: date, end: date) -> Iterator[PathStep]:
    """Every role held between `start` and `end`, over all sites, as PathStep tuples
    (resident id, role code, step, since, until), the roles from attendance joined over
    consecutive quarters; the dates are clipped to the days asked. Three queries."""
    for held in _merged(roles_held(start=start, end=end)):
        until = None if held.until is None or held.until > end else held.until
        yield PathStep(held.resident_id, held.role, held.step, max(held.since, start), until)


# The ladder ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderQuarter:
    """How many residents stood on each step in a quarter (their highest one), how many
    came onto the ladder or moved up since the quarter before, and who stepped back: held a
    step the quarter before, a lower one or none now ((resident id, step before, step now))."""

    period: Period
    by_step: dict[int, int]
    new: int
    moved_up: int
    stepped_back: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_step.values())

    @property
    def counts(self) -> list[int]:
        return [self.by_step.get(step, 0) for step in ladder.STEPS]


@dataclass(frozen=True)
class Ladder:
    year: Period
    site: Site | None
    quarters: list[LadderQuarter]


def _highest_steps(held: Iterable[Held], quarters: list[Period]) -> list[dict[int, int]]:
    """For each quarter: resident id → the highest step held during it."""
    steps: list[dict[int, int]] = [defaultdict(int) for _ in quarters]
    for role in held:
        for index, quarter in enumerate(quarters):
            if role.overlaps(quarter.start, quarter.end):
                mine = steps[index]
                mine[role.resident_id] = max(mine[role.resident_id], role.step)
    return steps


def ladder_of(*, user: User, year: Period, site: Site | None = None) -> Ladder:
    """The ladder of a fiscal year, quarter by quarter (the quarters begun by today), for the
    residents `user` may count, on one site or all: it reads the year and the quarter before
    it (to say who moved up or stepped back in the first quarter), in three queries."""
    today = timezone.localdate()
    quarters = [q for q in quarters_between(year.start, year.end) if q.start <= today]
    if not quarters:
        return Ladder(year=year, site=site, quarters=[])
    before = quarter_of(year.start - timedelta(days=1))
    every = [before, *quarters]
    held = roles_held(
        start=before.start,
        end=quarters[-1].end,
        residents=Resident.objects.visible_to(user),
        site=site,
    )
    steps = _highest_steps(held, every)
    rows = []
    for index, quarter in enumerate(quarters, start=1):
        now, then = steps[index], steps[index - 1]
        by_step: dict[int, int] = defaultdict(int)
        for step in now.values():
            by_step[step] += 1
        back = sorted(
            (resident_id, step, now.get(resident_id, 0))
            for resident_id, step in then.items()
            if now.get(resident_id, 0) < step
        )
        rows.append(
            LadderQuarter(
                period=quarter,
                by_step=dict(by_step),
                new=sum(1 for resident_id in now if resident_id not in then),
                moved_up=sum(
                    1 for resident_id, step in now.items() if 0 < then.get(resident_id, 0) < step
                ),
                stepped_back=back,
            )
        )
    return Ladder(year=year, site=site, quarters=rows)


def stepped_back_residents(*, user: User, ids: list[int]) -> dict[int, Resident]:
    """The residents of a page of the step-back list, with their household (one query)."""
    residents = (
        Resident.objects.visible_to(user).filter(pk__in=ids).select_related("household__site")
    )
    return {resident.pk: resident for resident in residents}
