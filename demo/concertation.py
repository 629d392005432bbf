"""Demo concertation meetings: the neighbourhood's tables (demo.catalogues.concertation) met
about monthly over the last year, with the partners and EMA staff present, their decisions and
the commitments made there, most kept, some open, a few late, a couple dropped. Runs after
demo.network.seed_network; deterministic for a seed and a day, and safe to run again."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from demo.catalogues.concertation import TABLES, TableSpec
from demo.catalogues.partners import BATCH, COMMITTEE, SCHOOL, committee_name
from demo.sites import site_specs
from ema.access import Role
from ema.accounts.models import User
from partners.models import Commitment, CommitmentEvent, ConcertationMeeting, Organisation
from residents.models import Site

Sites = ConcertationMeeting.sites.through
Partners = ConcertationMeeting.partners_present.through
Staff = ConcertationMeeting.staff_present.through


@dataclass(frozen=True)
class ConcertationSummary:
    meetings: int
    commitments: int
    late: int


@transaction.atomic
def seed_concertation(*, scale: int = 1, seed: int = 2018) -> ConcertationSummary:
    """Create the tables that do not exist yet, then a year of meetings of each table that
    has none."""
    today = timezone.localdate()
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    existing = set(
        Organisation.objects.filter(name__in=[t.name for t in TABLES]).values_list(
            "name", flat=True
        )
    )
    Organisation.objects.bulk_create(
        Organisation(name=t.name, kind=Organisation.Kind.CONCERTATION_TABLE, email="")
        for t in TABLES
        if t.name not in existing
    )
    orgs = {o.name: o for o in Organisation.objects.filter(is_active=True)}
    schools = sorted(n for n, o in orgs.items() if o.kind == Organisation.Kind.SCHOOL)
    coordination = User.objects.filter(role=Role.COORDINATION).order_by("username").first()
    if coordination is None or not sites:
        return ConcertationSummary(0, 0, 0)
    intervenants = list(
        User.objects.filter(role=Role.INTERVENANT, is_active=True).order_by("username")
    )
    meetings, plans = [], []
    for spec in TABLES:
        table = orgs[spec.name]
        if table.table_meetings.exists():
            continue
        rng = random.Random(f"{seed}:{spec.name}:concertation")  # noqa: S311 - invented data
        concerned = [s for s in sites if s.name in spec.sites] if spec.sites else []
        for held_on in _days(spec, rng, today):
            present = _present(spec, rng, orgs, schools, sites)
            staff = [coordination, *rng.sample(intervenants, min(len(intervenants), 2))]
            meeting = ConcertationMeeting(
                table=table,
                held_on=held_on,
                decisions="\n".join(rng.sample(spec.decisions, rng.randint(1, 2))),
                created_by=coordination,
            )
            meetings.append(meeting)
            plans.append((spec, meeting, concerned, present, staff, rng))
    ConcertationMeeting.objects.bulk_create(meetings, batch_size=BATCH)
    links: dict[Any, list] = {Sites: [], Partners: [], Staff: []}
    commitments: list[Commitment] = []
    for spec, meeting, concerned, present, staff, rng in plans:
        links[Sites] += [Sites(concertationmeeting_id=meeting.pk, site_id=s.pk) for s in concerned]
        links[Partners] += [
            Partners(concertationmeeting_id=meeting.pk, organisation_id=o.pk) for o in present
        ]
        links[Staff] += [Staff(concertationmeeting_id=meeting.pk, user_id=u.pk) for u in staff]
        for what in rng.sample(spec.commitments, rng.randint(1, 3)):
            commitments.append(_commitment(meeting, rng.choice(present), what, rng, today))
    for model, rows in links.items():
        model.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    for commitment in commitments:
        if commitment.status != Commitment.Status.OPEN:
            commitment.status_by = coordination
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    CommitmentEvent.objects.bulk_create(
        (
            CommitmentEvent(
                commitment=c,
                old_status=Commitment.Status.OPEN,
                new_status=c.status,
                by=coordination,
                at=timezone.make_aware(datetime.combine(c.status_on, time(12))),
            )
            for c in commitments
            if c.status_on is not None
        ),
        batch_size=BATCH,
    )
    late = sum(c.is_late_on(today) for c in commitments)
    return ConcertationSummary(len(meetings), len(commitments), late)


def _days(spec: TableSpec, rng: random.Random, today: date) -> list[date]:
    """A meeting in each month of the table's calendar over the last year, on a weekday."""
    found = []
    for back in range(12, 0, -1):
        month_start = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=1)
        if month_start.month not in spec.months:
            continue
        day = month_start + timedelta(days=rng.randint(7, 20))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        if day < today:
            found.append(day)
    return sorted(set(found))


def _present(
    spec: TableSpec, rng: random.Random, orgs: dict, schools: list[str], sites: list[Site]
) -> list[Organisation]:
    """The table's regulars (each site's tenant committee, one school) and a few others."""
    names: list[str] = []
    for name in (*spec.regulars, *rng.sample(spec.occasional, rng.randint(0, 2))):
        if name == COMMITTEE:
            names += [committee_name(site.name) for site in sites]
        elif name == SCHOOL:
            names.append(rng.choice(schools))
        else:
            names.append(name)
    return [orgs[name] for name in dict.fromkeys(names) if name in orgs]


def _commitment(
    meeting: ConcertationMeeting, by: Organisation, what: str, rng: random.Random, today: date
) -> Commitment:
    """Due two to eight weeks after the meeting: most kept (some after their day), a few
    dropped, a few still open past their day."""
    due_on = meeting.held_on + timedelta(days=rng.randint(14, 56))
    commitment = Commitment(meeting=meeting, organisation=by, what=what, due_on=due_on)
    draw = rng.random()
    if (due_on < today and draw < 0.82) or (due_on >= today and draw < 0.25):
        commitment.status = Commitment.Status.KEPT
        done = due_on + timedelta(days=rng.randint(-10, 12))
        commitment.status_on = min(max(done, meeting.held_on), today)
    elif due_on < today and draw < 0.87:
        commitment.status = Commitment.Status.DROPPED
        commitment.status_on = min(due_on + timedelta(days=rng.randint(0, 20)), today)
    return commitment
