"""Demo activity: a year of interventions on each demo site, with group activities and their
weekly sessions. Run after residents.demo.seed_demo; deterministic for a seed and a day, and
safe to run again (a site that already holds interventions is left alone)."""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from ema.accounts.models import Role, User
from interventions.models import (
    GroupActivity,
    Intervention,
    InterventionType,
    Level,
    Participation,
    Place,
    Theme,
)
from residents.demo import DEMO_ACCOUNTS, site_specs
from residents.models import Consent, Resident, Site, age_on

DAYS = 365
WEEKDAY_PER_UNIT = 0.205  # entries on a working day per housing unit: about 25 on 120 units
BATCH = 2000
ORGANISER, VOLUNTEER, PARTICIPANT = Participation.Role.values
OUTSIDE, ROOM = "Cour et espaces extérieurs", "Local communautaire"
FAR = date.max


@dataclass(frozen=True)
class Kind:
    """How one type of intervention is drawn: share, places, length, themes, named people."""

    type: str
    level: str
    weight: int
    places: dict[str, int]
    minutes: tuple[int, int]
    themes: tuple[str, ...]
    summaries: tuple[str, ...]
    named: str = ""  # "one", "committee", "event", "table", "outing"; empty: headcount only


# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("Présence informelle", Level.COLLECTIVE, 35, {OUTSIDE: 1, ROOM: 1}, (30, 150),
         ("Loisirs", "Cohabitation"), (
             "Présence dans la cour après l'école; plusieurs jeunes sont venus jaser.",
             "Local ouvert en fin de journée; jeux de société avec les enfants.",
             "Tournée des espaces communs; échanges brefs avec des parents.",
             "Partie de soccer improvisée avec les jeunes.",
             "Discussions informelles avec des aînés sur la vie dans l'immeuble.",
             "Présence au local; quelques familles sont passées prendre des nouvelles.")),
    Kind("Accueil et écoute", Level.INDIVIDUAL, 18,
         {"Bureau": 4, "Téléphone / texto": 3, "Domicile": 2}, (15, 60),
         ("Logement", "Santé mentale", "Famille et parentalité", "Budget", "Cohabitation",
          "Santé", "Immigration et francisation"), (
             "Écoute et soutien; la personne reviendra au besoin.",
             "Questions sur une lettre de l'OMHM; explications données.",
             "Échange sur la situation familiale; pistes de soutien explorées.",
             "Appel de suivi; la situation s'est stabilisée.",
             "Demande d'information sur les ressources du quartier."), "one"),
    Kind("Accompagnement", Level.INDIVIDUAL, 10,
         {"Chez un partenaire": 5, "École": 3, "Bureau": 1}, (45, 180),
         ("Santé", "Scolarité", "Logement", "Emploi", "Immigration et francisation",
          "Alimentation"), (
             "Accompagnement à un rendez-vous au CLSC.",
             "Accompagnement à une rencontre avec l'école.",
             "Accompagnement au bureau de l'OMHM pour une demande de transfert.",
             "Accompagnement à la banque alimentaire; présentation de l'équipe.",
             "Accompagnement à un organisme d'aide à l'emploi."), "one"),
    Kind("Soutien individuel", Level.INDIVIDUAL, 17,
         {"Bureau": 4, "Domicile": 3, "Téléphone / texto": 2, "École": 1}, (20, 90),
         ("Logement", "Budget", "Scolarité", "Emploi", "Famille et parentalité", "Santé",
          "Immigration et francisation", "Alimentation"), (
             "Aide pour remplir le formulaire de renouvellement du bail.",
             "Soutien pour préparer un budget mensuel.",
             "Rencontre avec un jeune sur son retour à l'école.",
             "Aide à la recherche d'emploi : curriculum vitæ et lettre.",
             "Soutien à un parent pour l'inscription au camp de jour."), "one"),
    Kind("Intervention de crise", Level.INDIVIDUAL, 2,
         {"Domicile": 3, "Téléphone / texto": 2, "Bureau": 1}, (30, 120),
         ("Sécurité et violence", "Santé mentale", "Logement", "Famille et parentalité"), (
             "Situation de crise désamorcée; relais vers les ressources appropriées.",
             "Conflit entre voisins; médiation sur place et retour au calme.",
             "Soutien immédiat après un événement difficile; suivi prévu."), "one"),
    Kind("Comité de locataires / mobilisation", Level.COLLECTIVE, 6, {ROOM: 5, OUTSIDE: 1},
         (60, 150), ("Logement", "Cohabitation", "Sécurité et violence"), (
             "Rencontre du comité de locataires : ordre du jour et priorités.",
             "Porte-à-porte pour inviter les locataires à l'assemblée.",
             "Préparation d'une pétition sur l'entretien des espaces communs.",
             "Assemblée des locataires sur les travaux prévus."), "committee"),
    Kind("Événement communautaire", Level.COLLECTIVE, 2, {OUTSIDE: 3, ROOM: 2}, (120, 180),
         ("Loisirs", "Alimentation", "Cohabitation"), (
             "Fête de quartier avec jeux et repas partagé.",
             "Repas communautaire au local avec les familles.",
             "Journée de jeux et d'animation pour les familles."), "event"),
    Kind("Concertation", Level.COLLECTIVE, 4, {"Chez un partenaire": 3, ROOM: 1}, (60, 150),
         ("Logement", "Sécurité et violence", "Alimentation", "Scolarité"), (
             "Table de concertation jeunesse du quartier.",
             "Rencontre avec l'OMHM et le comité sur la sécurité du site.",
             "Comité de suivi avec les partenaires scolaires."), "table"),
    Kind("Sortie", Level.GROUP, 1, {"Chez un partenaire": 1}, (120, 180), ("Loisirs",), (
             "Sortie au parc-nature avec un groupe de jeunes.",
             "Sortie à la bibliothèque avec des enfants du site."), "outing"),
)
RESTRICTED_NOTES = (
    "Situation familiale délicate; à reprendre en soutien clinique.",
    "Éléments confidentiels partagés par la personne; voir avec la direction au besoin.",
    "Inquiétude pour la sécurité d'un enfant; démarche discutée avec la direction.",
)
# fmt: on


@dataclass(frozen=True)
class ActivitySpec:
    """A recurring group activity: who it is for, when it meets, what a session looks like."""

    name: str
    type: str
    ages: tuple[int, int]
    weekdays: tuple[int, ...]  # 0 is Monday; one of them is the activity's day on a site
    start: time
    minutes: int
    theme: str
    headcount: str  # the age group field of the unnamed who come along
    summer: bool  # meets in July and August too
    summaries: tuple[str, ...]


ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec("Aide aux devoirs", "Aide aux devoirs", (6, 12), (1, 3), time(15, 30), 90,
                 "Scolarité", "count_6_12", False,
                 ("Devoirs et lecture en petits groupes.",
                  "Aide aux devoirs; préparation d'un examen de mathématiques.")),
    ActivitySpec("Club des ados", "Activité de groupe", (12, 17), (4,), time(18, 30), 120,
                 "Loisirs", "count_13_17", True,
                 ("Soirée jeux et discussion sur les projets du groupe.",
                  "Club des ados : planification d'une sortie.")),
    ActivitySpec("Café-rencontre des parents", "Activité de groupe", (20, 64), (2,),
                 time(9, 30), 90, "Famille et parentalité", "count_0_5", False,
                 ("Café-rencontre : échanges sur la routine du matin.",
                  "Café-rencontre avec une invitée du CLSC.")),
    ActivitySpec("Cuisine collective", "Activité de groupe", (18, 85), (3, 4), time(13, 30),
                 180, "Alimentation", "count_26_64", True,
                 ("Cuisine collective : quatre recettes pour la semaine.",
                  "Cuisine collective et partage des portions.")),
)  # fmt: skip
WEEKDAY_NAMES = ("Lundis", "Mardis", "Mercredis", "Jeudis", "Vendredis")


@dataclass(frozen=True)
class ActivitySummary:
    """What a run added."""

    sites_filled: int
    interventions: int
    participations: int
    activities: int
    sessions: int


@dataclass
class Person:
    """A resident as the generator sees them: age, household reach, and when they may be named."""

    pk: int
    date_of_birth: date | None
    birth_year: int
    reach: float  # 0: a household the team does not reach
    windows: list[tuple[date, date]] = field(default_factory=list)  # file consent in force

    def age(self, on: date) -> int:
        return age_on(date_of_birth=self.date_of_birth, birth_year=self.birth_year, on=on)

    def named_on(self, day: date) -> bool:
        return any(start <= day < end for start, end in self.windows)


@dataclass
class Pool:
    people: list[Person]
    cum: list[float]

    @classmethod
    def of(cls, people: list[Person], weight) -> "Pool":
        people = [p for p in people if weight(p) > 0]
        return cls(people, list(accumulate(weight(p) for p in people)))

    def draw(self, rng: random.Random, day: date, taken: set[int]) -> Person | None:
        """A person of the pool who may be named that day, or None after a few tries."""
        for _ in range(12 if self.people else 0):
            person = rng.choices(self.people, cum_weights=self.cum)[0]
            if person.pk not in taken and person.named_on(day):
                return person
        return None


@dataclass
class Draft:
    intervention: Intervention
    themes: list[int]
    co: list[int]
    named: list[tuple[int, str]]


@transaction.atomic
def seed_activity(*, scale: int = 1, seed: int = 2018, days: int = DAYS) -> ActivitySummary:
    """Log `days` days of work, up to yesterday, on every demo site that has no intervention
    yet: interventions at the three levels, and group activities with weekly sessions."""
    today = timezone.localdate()
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    staff = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    ref = {
        model: dict(model.objects.values_list("name", "pk"))
        for model in (InterventionType, Place, Theme)
    }
    drafts: list[Draft] = []
    activities = filled = 0
    for site in sites:
        author = site.staff.filter(role=Role.INTERVENANT).order_by("username").first()
        if author is None or site.interventions.exists() or site.group_activities.exists():
            continue
        filled += 1
        rng = random.Random(f"{seed}:{site.name}:activity")  # noqa: S311 - invented data
        people = _people(rng, site, today)
        others = [u.pk for u in staff.values() if u.pk != author.pk]
        site_drafts = _daily_work(rng, site, author, others, people, ref, today, days)
        for spec in rng.sample(ACTIVITIES, rng.choice((2, 3))):
            activity, sessions = _activity(rng, spec, site, author, others, people, ref, today,
                                           days)  # fmt: skip
            activities += 1
            site_drafts += sessions
        site_drafts.sort(key=lambda d: (d.intervention.date, d.intervention.start_time))
        drafts += site_drafts
    return _save(drafts, filled, activities)


def _usernames() -> list[str]:
    return [a.username for a in DEMO_ACCOUNTS if a.role != Role.ADMIN]


def _people(rng: random.Random, site: Site, today: date) -> list[Person]:
    """The site's residents; about a third of households are not reached by the team, and a
    few households take much of its time."""
    reach: dict[int, float] = {}
    people: dict[int, Person] = {}
    rows = Resident.objects.filter(household__site=site).order_by("pk")
    for pk, household, born, year, moved_out in rows.values_list(
        "pk", "household_id", "date_of_birth", "birth_year", "household__moved_out_on"
    ):
        if household not in reach:
            reach[household] = 0 if rng.random() < 0.3 else min(rng.paretovariate(1.3), 15)
        people[pk] = Person(pk, born, year, reach[household])
        people[pk].windows.append((date.min, moved_out + timedelta(days=1) if moved_out else FAR))
    left = {pk: p.windows.pop() for pk, p in people.items()}
    consents = Consent.objects.filter(purpose=Consent.Purpose.KEEP_FILE, resident__in=rows)
    for pk, given, withdrawn in consents.values_list("resident_id", "given_on", "withdrawn_on"):
        end = min(withdrawn or FAR, left[pk][1])
        if given < end:
            people[pk].windows.append((given, end))
    return list(people.values())


def _holidays(first: int, last: int) -> set[date]:
    """Days the team does not work: Québec's Monday and fixed holidays, the holiday closure."""
    days: set[date] = set()
    for y in range(first, last + 1):
        labour = date(y, 9, 1) + timedelta(days=(7 - date(y, 9, 1).weekday()) % 7)
        patriots = date(y, 5, 24) - timedelta(days=date(y, 5, 24).weekday())
        days |= {date(y, 1, 1), date(y, 1, 2), date(y, 6, 24), date(y, 7, 1), labour, patriots}
        days |= {labour + timedelta(days=35)} | {date(y, 12, d) for d in range(24, 32)}
    return days  # Thanksgiving is five weeks after Labour Day


def _daily_work(rng, site, author, others, people, ref, today, days) -> list[Draft]:
    """Everyday work: many entries on working days, a few on weekends, none on holidays."""
    pools = {
        "one": Pool.of(people, lambda p: p.reach * _individual_weight(p.age(today))),
        "adults": Pool.of(people, lambda p: (p.reach + 0.2) * (p.age(today) >= 18)),
        "youth": Pool.of(people, lambda p: (p.reach + 0.5) * (6 <= p.age(today) <= 17)),
    }
    committee = [pools["adults"].draw(rng, today, set()) for _ in range(rng.randint(5, 9))]
    pools["committee"] = Pool.of([p for p in committee if p], lambda p: 1)
    holidays = _holidays(today.year - days // 365 - 1, today.year)
    mean = WEEKDAY_PER_UNIT * (site.unit_count or 120)
    weekend_kinds = [k for k in KINDS if k.named in ("", "event", "one")]
    drafts = []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day in holidays:
            continue
        if day.weekday() >= 5:
            count, kinds = (rng.randint(1, 3) if rng.random() < 0.15 else 0), weekend_kinds
        else:
            quieter = 0.8 if day.month in (7, 8) else 1
            count, kinds = max(0, round(rng.gauss(mean * quieter, mean * 0.2))), KINDS
        for _ in range(count):
            kind = rng.choices(kinds, weights=[_kind_weight(k, day) for k in kinds])[0]
            draft = _draft(rng, kind, day, site, author, others, pools, ref, today)
            if draft:
                drafts.append(draft)
    return drafts


def _individual_weight(age: int) -> float:
    return 1.0 if age >= 18 else 0.6 if age >= 13 else 0.25 if age >= 6 else 0


def _kind_weight(kind: Kind, day: date) -> float:
    summer = day.month in (6, 7, 8)
    return kind.weight * (3 if summer and kind.named in ("event", "outing") else 1)


def _draft(rng, kind: Kind, day, site, author, others, pools, ref, today) -> Draft | None:
    """One intervention of a kind on a day; None when nobody may be named for it."""
    named = _named(rng, kind, day, pools)
    if named is None:
        return None
    place = kind.places
    if OUTSIDE in place and not 5 <= day.month <= 9:
        place = {ROOM: 4, OUTSIDE: 1}  # courtyards are empty in winter
    place_name = rng.choices(list(place), weights=list(place.values()))[0]
    low, high = (15, 30) if place_name == "Téléphone / texto" else kind.minutes
    evening = rng.random() < (0.5 if kind.named == "committee" else 0.12)
    start = rng.randrange(17 * 60, 20 * 60 + 1, 15) if evening else rng.randrange(540, 991, 15)
    if kind.named == "" and not evening and rng.random() < 0.5:
        start = rng.randrange(15 * 60, 17 * 60 + 1, 15)  # after school
    intervention = Intervention(
        level=kind.level, type_id=ref[InterventionType][kind.type], site=site, author=author,
        place_id=ref[Place][place_name], date=day, time_start=None,
        start_time=time(start // 60, start % 60),
        duration_minutes=rng.randrange(low, high + 1, 5),
        summary=rng.choice(kind.summaries), **_headcount(rng, kind, day, place_name),
    )  # fmt: skip
    count = rng.choices((1, 2, 3), (5, 3, 1))[0] if kind.level == Level.INDIVIDUAL else 1
    themes = rng.sample(kind.themes, count) if kind.named or rng.random() < 0.3 else []
    if kind.level == Level.INDIVIDUAL:
        if rng.random() < 0.03:
            intervention.restricted_note = rng.choice(RESTRICTED_NOTES)
        if rng.random() < 0.08:
            _follow_up(rng, intervention, today)
    co_share = {"table": 0.3, "event": 0.5}.get(kind.named, 0.07)
    co = rng.sample(others, rng.choice((1, 1, 2))) if rng.random() < co_share else []
    return Draft(intervention, [ref[Theme][t] for t in themes], co, named)


def _named(rng, kind: Kind, day: date, pools: dict[str, Pool]) -> list[tuple[int, str]] | None:
    """The named residents of an intervention and their roles; None if none may be named."""
    plan = {
        "one": [("one", PARTICIPANT, 1)],
        "committee": [("committee", ORGANISER, rng.randint(1, 2)),
                      ("committee", PARTICIPANT, rng.randint(1, 4)),
                      ("adults", VOLUNTEER, rng.randint(0, 1))],
        "event": [("committee", ORGANISER, 1), ("adults", VOLUNTEER, rng.randint(1, 3)),
                  ("youth", VOLUNTEER, rng.randint(0, 2))],
        "table": [("committee", PARTICIPANT, rng.randint(0, 2))],
        "outing": [("youth", PARTICIPANT, rng.randint(3, 8))],
    }.get(kind.named, [])  # fmt: skip
    named: dict[int, str] = {}
    for pool, role, count in plan:
        for _ in range(count):
            person = pools[pool].draw(rng, day, set(named))
            if person:
                named[person.pk] = role
    if kind.named in ("one", "outing") and not named:
        return None
    return list(named.items())


def _headcount(rng, kind: Kind, day: date, place: str) -> dict[str, int]:
    """People counted without names, by age group."""
    r = rng.randint
    if kind.named == "":
        busy = 1.5 if place == OUTSIDE else 1
        counts = (r(0, 4), r(2, 14), r(1, 10), r(0, 4), r(0, 6), r(0, 2))
        counts = tuple(round(c * busy) for c in counts)
    elif kind.named == "event":
        counts = (r(3, 15), r(10, 40), r(5, 20), r(2, 8), r(10, 35), r(0, 8))
    elif kind.named == "committee":
        counts = (0, 0, 0, r(0, 2), r(2, 12), r(0, 3))
    elif kind.named in ("table", "outing"):
        counts = (0, r(0, 3), r(0, 3), 0, r(0, 2), 0)
    else:
        return {}
    fields = ("count_0_5", "count_6_12", "count_13_17", "count_18_25", "count_26_64",
              "count_65_plus")  # fmt: skip
    return dict(zip(fields, counts, strict=True))


def _follow_up(rng, intervention: Intervention, today: date) -> None:
    """A follow-up 1 to 21 days later; most past ones done, a few left open."""
    due = intervention.date + timedelta(days=rng.randint(1, 21))
    intervention.follow_up_due, intervention.follow_up_by = due, intervention.author
    age = (today - due).days
    done = rng.random() < (0.96 if age > 14 else 0.6 if age > 0 else 0.15)
    if done:
        late = rng.randint(1, (due - intervention.date).days + 5)
        intervention.follow_up_done_on = min(intervention.date + timedelta(days=late), today)


def _season(day: date) -> str:
    name = ("Hiver", "Printemps", "Été", "Automne")[(0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3)[day.month - 1]]
    return f"{name} {day.year}"
