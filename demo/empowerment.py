"""Demo paths to power: on each demo site, the roles that nobody logs in a session (a few
volunteers and organisers, some of whom stop), a couple of residents who join the tenant
committee during the year (participants who climb), a seat or two on EMA's residents'
committee, and two or three members of EMA's board. Runs after the activity and the network
(it starts from who came to sessions and who sits on the committee); deterministic for a seed
and a day, and safe to run again: nothing is added once a role is recorded."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from demo.catalogues.partners import committee_name
from demo.sites import site_specs
from ema.accounts.models import Role
from empowerment.models import RoleRecord
from interventions.models import Participation
from partners.models import CommitteeMembership, Organisation
from residents.models import Resident, Site, age_on

BOARD_SEATS = 3  # residents on EMA's board, over all the sites
NOTES = {
    RoleRecord.Role.VOLUNTEER: (
        "Aide à la distribution alimentaire",
        "Accueil à la fête de quartier",
        "Soutien à l’aide aux devoirs",
        "Corvée de nettoyage de la cour",
    ),
    RoleRecord.Role.ORGANISER: (
        "Organise le café-rencontre des parents",
        "Organise la fête des voisins",
        "Anime le club de marche",
    ),
    RoleRecord.Role.RESIDENTS_COMMITTEE: ("Élue à l’assemblée des résident·e·s",),
    RoleRecord.Role.BOARD: ("Élue à l’assemblée générale annuelle",),
}


@dataclass(frozen=True)
class EmpowermentSummary:
    roles: int
    memberships: int


@transaction.atomic
def seed_empowerment(*, scale: int = 1, seed: int = 2018) -> EmpowermentSummary:
    """Record the demo's hand-kept roles and the committee's new members, once."""
    if RoleRecord.objects.exists():
        return EmpowermentSummary(0, 0)
    today = timezone.localdate()
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    roles: list[RoleRecord] = []
    seats: list[CommitteeMembership] = []
    board_left = BOARD_SEATS
    for site in sites:
        author = site.staff.filter(role=Role.INTERVENANT).order_by("username").first()
        committee = Organisation.objects.filter(name=committee_name(site.name)).first()
        if author is None:
            continue
        rng = random.Random(f"{seed}:{site.name}:empowerment")  # noqa: S311 - invented data
        regulars = _adult_regulars(site, today)
        sitting = set(
            CommitteeMembership.objects.filter(committee__committee_site=site, until__isnull=True)
            .order_by("pk")
            .values_list("resident_id", "role")
        )
        members = sorted(pk for pk, _role in sitting)
        officers = sorted(pk for pk, role in sitting if role != CommitteeMembership.Role.MEMBER)

        def record(resident_id, role, since, until=None, *, rng=rng, author=author):
            roles.append(
                RoleRecord(
                    resident_id=resident_id,
                    role=role,
                    since=min(since, today),
                    until=until,
                    note=rng.choice(NOTES[role]),
                    created_by=author,
                )
            )

        free = [(pk, first) for pk, first in regulars if pk not in set(members)]
        rng.shuffle(free)
        # Volunteers and organisers among the regulars: some for good, some who stop.
        for index, (pk, first) in enumerate(free[: rng.randint(4, 6)]):
            since = first + timedelta(days=rng.randint(14, 90))
            stops = index % 3 == 2 and since < today - timedelta(days=120)
            until = since + timedelta(days=rng.randint(45, 90)) if stops else None
            record(pk, RoleRecord.Role.VOLUNTEER, since, until)
        for pk, first in free[6 : 6 + rng.randint(1, 2)]:
            record(pk, RoleRecord.Role.ORGANISER, first + timedelta(days=rng.randint(30, 120)))
        # Regulars who join the tenant committee during the year: they climb the ladder.
        if committee is not None:
            for pk, first in free[8 : 8 + rng.randint(1, 2)]:
                since = min(first + timedelta(days=rng.randint(60, 200)), today - timedelta(days=7))
                seats.append(CommitteeMembership(committee=committee, resident_id=pk, since=since))
        # EMA's structures: a committee member or two on the residents' committee, an officer
        # on the board.
        for pk in rng.sample(members, min(len(members), rng.randint(1, 2))):
            record(
                pk,
                RoleRecord.Role.RESIDENTS_COMMITTEE,
                today - timedelta(days=rng.randint(90, 400)),
            )
        if officers and board_left:
            board_left -= 1
            record(
                rng.choice(officers),
                RoleRecord.Role.BOARD,
                today - timedelta(days=rng.randint(200, 900)),
            )
    RoleRecord.objects.bulk_create(roles)
    CommitteeMembership.objects.bulk_create(seats)
    return EmpowermentSummary(len(roles), len(seats))


def _adult_regulars(site: Site, today: date) -> list[tuple[int, date]]:
    """The adults of the site who came to three sessions or actions or more in the last year,
    with their first day there, the most regular first (one query for them, one for ages)."""
    year_ago = today - timedelta(days=365)
    rows = (
        Participation.objects.filter(
            intervention__site=site,
            intervention__date__gte=year_ago,
            resident__left_on__isnull=True,
        )
        .values("resident_id")
        .annotate(times=Count("pk"), first=Min("intervention__date"))
        .filter(times__gte=3)
        .order_by("-times", "resident_id")
    )
    found = {row["resident_id"]: (row["times"], row["first"]) for row in rows}
    ages = Resident.objects.filter(pk__in=found).values_list("pk", "date_of_birth", "birth_year")
    adults = {
        pk
        for pk, born, year in ages
        if (age_on(date_of_birth=born, birth_year=year, on=today) or 0) >= 18
    }
    return [(pk, first) for pk, (_times, first) in found.items() if pk in adults]
