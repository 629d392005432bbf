"""Demo activity: a year of logged work on each demo site, with group activities and their
weekly sessions. Runs after residents.demo.seed_demo; deterministic for a seed and a day, and
safe to run again: a site that already holds interventions is left alone."""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from ema.accounts.models import Role, User
from interventions.models import (
    HEADCOUNT_FIELDS,
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
WEEKDAY_PER_UNIT = 0.226  # entries per housing unit on a working day: about 27 on 120 units
BATCH = 2000
ORGANISER, VOLUNTEER, PARTICIPANT = "organiser", "volunteer", "participant"
OUTSIDE, ROOM = "Cour et espaces extérieurs", "Local communautaire"
FAR = date.max


@dataclass(frozen=True)
class Kind:
    """How one type of intervention is drawn. `named` lists (pool, role, fewest, most) of the
    residents it names; `heads` the (fewest, most) counted per age group, youngest first."""

    type: str
    level: str
    weight: float
    places: dict[str, int]
    minutes: tuple[int, int]
    hours: tuple[int, int]  # daytime start hours; evenings come from `evening`
    themes: tuple[str, ...]
    summaries: tuple[str, ...]
    named: tuple[tuple[str, str, int, int], ...] = ()
    heads: tuple[tuple[int, int], ...] = ()
    evening: float = 0.1
    summer: float = 1  # weight multiplier in June, July and August
    weekend: bool = False


ONE = (("one", PARTICIPANT, 1, 1),)
ALONE = ("Logement", "Santé", "Santé mentale", "Famille et parentalité", "Budget")
# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("Présence informelle", Level.COLLECTIVE, 35, {OUTSIDE: 1, ROOM: 1}, (20, 150), (10, 17),
         ("Loisirs", "Cohabitation"),
         ("Présence dans la cour après l'école; plusieurs jeunes sont venus jaser.",
          "Local ouvert en fin de journée; jeux de société avec les enfants.",
          "Tournée des espaces communs; échanges brefs avec des parents.",
          "Partie de soccer improvisée avec les jeunes.",
          "Discussions informelles avec des aînés sur la vie dans l'immeuble.",
          "Présence au local; quelques familles sont passées prendre des nouvelles."),
         heads=((0, 4), (2, 14), (1, 10), (0, 4), (0, 6), (0, 2)), evening=0.25, weekend=True),
    Kind("Accueil et écoute", Level.INDIVIDUAL, 18,
         {"Bureau": 4, "Téléphone / texto": 3, "Domicile": 2}, (15, 60), (9, 16),
         (*ALONE, "Cohabitation", "Immigration et francisation"),
         ("Écoute et soutien; la personne reviendra au besoin.",
          "Questions sur une lettre de l'OMHM; explications données.",
          "Échange sur la situation familiale; pistes de soutien explorées.",
          "Appel de suivi; la situation s'est stabilisée.",
          "Demande d'information sur les ressources du quartier."), ONE),
    Kind("Accompagnement", Level.INDIVIDUAL, 10,
         {"Chez un partenaire": 5, "École": 3, "Bureau": 1}, (45, 180), (9, 14),
         ("Santé", "Scolarité", "Logement", "Emploi", "Immigration et francisation"),
         ("Accompagnement à un rendez-vous au CLSC.",
          "Accompagnement à une rencontre avec l'école.",
          "Accompagnement au bureau de l'OMHM pour une demande de transfert.",
          "Accompagnement à la banque alimentaire; présentation de l'équipe.",
          "Accompagnement à un organisme d'aide à l'emploi."), ONE, evening=0.02),
    Kind("Soutien individuel", Level.INDIVIDUAL, 17,
         {"Bureau": 4, "Domicile": 3, "Téléphone / texto": 2, "École": 1}, (20, 90), (9, 16),
         (*ALONE, "Scolarité", "Emploi", "Alimentation"),
         ("Aide pour remplir le formulaire de renouvellement du bail.",
          "Soutien pour préparer un budget mensuel.",
          "Rencontre avec un jeune sur son retour à l'école.",
          "Aide à la recherche d'emploi : curriculum vitæ et lettre.",
          "Soutien à un parent pour l'inscription au camp de jour."), ONE),
    Kind("Intervention de crise", Level.INDIVIDUAL, 2,
         {"Domicile": 3, "Téléphone / texto": 2, "Bureau": 1}, (30, 120), (9, 16),
         ("Sécurité et violence", "Santé mentale", "Logement", "Famille et parentalité"),
         ("Situation de crise désamorcée; relais vers les ressources appropriées.",
          "Conflit entre voisins; médiation sur place et retour au calme.",
          "Soutien immédiat après un événement difficile; suivi prévu."), ONE,
         evening=0.2, weekend=True),
    Kind("Comité de locataires / mobilisation", Level.COLLECTIVE, 6, {ROOM: 5, OUTSIDE: 1},
         (60, 150), (10, 16), ("Logement", "Cohabitation", "Sécurité et violence"),
         ("Rencontre du comité de locataires : ordre du jour et priorités.",
          "Porte-à-porte pour inviter les locataires à l'assemblée.",
          "Préparation d'une pétition sur l'entretien des espaces communs.",
          "Assemblée des locataires sur les travaux prévus."),
         (("committee", ORGANISER, 1, 2), ("committee", PARTICIPANT, 1, 4),
          ("adults", VOLUNTEER, 0, 1)),
         ((0, 0), (0, 0), (0, 0), (0, 2), (2, 12), (0, 3)), evening=0.5),
    Kind("Événement communautaire", Level.COLLECTIVE, 1, {OUTSIDE: 3, ROOM: 2}, (120, 180),
         (11, 15), ("Loisirs", "Alimentation", "Cohabitation"),
         ("Fête de quartier avec jeux et repas partagé.",
          "Repas communautaire au local avec les familles.",
          "Journée de jeux et d'animation pour les familles."),
         (("committee", ORGANISER, 1, 1), ("adults", VOLUNTEER, 1, 3),
          ("youth", VOLUNTEER, 0, 2)),
         ((3, 15), (10, 40), (5, 20), (2, 8), (10, 35), (0, 8)), summer=3, weekend=True),
    Kind("Concertation", Level.COLLECTIVE, 4, {"Chez un partenaire": 3, ROOM: 1}, (60, 150),
         (9, 14), ("Logement", "Sécurité et violence", "Alimentation", "Scolarité"),
         ("Table de concertation jeunesse du quartier.",
          "Rencontre avec l'OMHM et le comité sur la sécurité du site.",
          "Comité de suivi avec les partenaires scolaires."),
         (("committee", PARTICIPANT, 0, 2),), ((0, 0),) * 4 + ((0, 2), (0, 0)), evening=0.05),
    Kind("Sortie", Level.GROUP, 0.4, {"Chez un partenaire": 1}, (120, 180), (9, 13),
         ("Loisirs",),
         ("Sortie au parc-nature avec un groupe de jeunes.",
          "Sortie à la bibliothèque avec des enfants du site."),
         (("youth", PARTICIPANT, 3, 8),), ((0, 0), (0, 3), (0, 3), (0, 0), (0, 1), (0, 0)),
         evening=0, summer=4),
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
    weekdays: tuple[int, ...]  # 0 is Monday; a site's activity meets on one of them
    start: time
    minutes: int
    theme: str
    headcount: str  # the age group of those who come along unnamed
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
WEEKDAYS = ("Lundis", "Mardis", "Mercredis", "Jeudis", "Vendredis")


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
    """A resident as the generator sees them: age, how much the team reaches their household,
    and the periods in which a consent to keep a file lets the team name them."""

    pk: int
    date_of_birth: date | None
    birth_year: int
    reach: float  # 0: a household the team does not reach
    windows: list[tuple[date, date]] = field(default_factory=list)  # [given, withdrawn)

    def age(self, on: date) -> int:
        return age_on(date_of_birth=self.date_of_birth, birth_year=self.birth_year, on=on)

    def named_on(self, day: date) -> bool:
        return any(start <= day < end for start, end in self.windows)


@dataclass
class Pool:
    """People to draw from, some far more often than others."""

    people: list[Person]
    cum: list[float]

    @classmethod
    def of(cls, people: list[Person], weight) -> "Pool":
        people = [p for p in people if weight(p) > 0]
        return cls(people, list(accumulate(weight(p) for p in people)))

    def draw(self, rng: random.Random, day: date, taken) -> Person | None:
        """Someone who may be named that day and is not taken yet; None after a few tries."""
        for _ in range(12 if self.people else 0):
            person = rng.choices(self.people, cum_weights=self.cum)[0]
            if person.pk not in taken and person.named_on(day):
                return person
        return None


@dataclass
class Draft:
    """An unsaved intervention and the rows that will join it once it has a key."""

    intervention: Intervention
    themes: list[int]
    co: list[int]
    named: list[tuple[int, str]]


@dataclass
class SiteYear:
    """One site's generator: its random stream, author, colleagues, residents, reference ids."""

    rng: random.Random
    site: Site
    author: User
    others: list[int]  # the other demo staff, who join now and then
    people: list[Person]
    ref: dict[type, dict[str, int]]
    today: date
    holidays: set[date]
    pools: dict[str, Pool] = field(default_factory=dict)

    def draft(self, intervention: Intervention, themes, named, co_share: float) -> Draft:
        """The intervention with its themes, named residents and, now and then, colleagues."""
        co = []
        if self.rng.random() < co_share:
            co = self.rng.sample(self.others, self.rng.choice((1, 1, 2)))
        return Draft(intervention, [self.ref[Theme][t] for t in themes], co, list(named.items()))


@transaction.atomic
def seed_activity(*, scale: int = 1, seed: int = 2018, days: int = DAYS) -> ActivitySummary:
    """Log `days` days of work, up to yesterday, on each demo site without interventions:
    the three levels of everyday work, and 2 or 3 group activities with weekly sessions."""
    today = timezone.localdate()
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    usernames = [a.username for a in DEMO_ACCOUNTS if a.role != Role.ADMIN]
    staff = list(User.objects.filter(username__in=usernames).order_by("username"))
    ref = {m: dict(m.objects.values_list("name", "pk")) for m in (InterventionType, Place, Theme)}
    holidays = _holidays(today.year - days // 365 - 1, today.year)
    drafts: list[Draft] = []
    activities: list[tuple[GroupActivity, list[int]]] = []
    filled = 0
    for site in sites:
        author = site.staff.filter(username__in=usernames, role=Role.INTERVENANT).first()
        if author is None or site.interventions.exists() or site.group_activities.exists():
            continue
        filled += 1
        # One stream per site: a site's year does not depend on which other sites exist.
        rng = random.Random(f"{seed}:{site.name}:activity")  # noqa: S311 - invented data
        others = [user.pk for user in staff if user.pk != author.pk]
        work = SiteYear(rng, site, author, others, _people(rng, site), ref, today, holidays)
        site_drafts = _everyday_work(work, days)
        for spec in rng.sample(ACTIVITIES, rng.choice((2, 3))):
            activity, registered, sessions = _activity(work, spec, days)
            activities.append((activity, registered))
            site_drafts += sessions
        site_drafts.sort(key=lambda d: (d.intervention.date, d.intervention.start_time))
        drafts += site_drafts
    return _save(drafts, activities, filled)


def _people(rng: random.Random, site: Site) -> list[Person]:
    """The site's residents. The team does not reach about a third of the households, and a
    few households take much of its time."""
    reach: dict[int, float] = {}
    people: dict[int, Person] = {}
    left: dict[int, date] = {}
    rows = Resident.objects.filter(household__site=site).order_by("pk")
    for pk, household, born, year, moved_out in rows.values_list(
        "pk", "household_id", "date_of_birth", "birth_year", "household__moved_out_on"
    ):
        if household not in reach:
            reach[household] = 0 if rng.random() < 0.3 else min(rng.paretovariate(1.3), 15)
        people[pk] = Person(pk, born, year, reach[household])
        left[pk] = moved_out + timedelta(days=1) if moved_out else FAR
    consents = Consent.objects.filter(purpose=Consent.Purpose.KEEP_FILE, resident__in=rows)
    for pk, given, withdrawn in consents.values_list("resident_id", "given_on", "withdrawn_on"):
        people[pk].windows.append((given, min(withdrawn or FAR, left[pk])))
    return list(people.values())


def _holidays(first: int, last: int) -> set[date]:
    """Days the team does not work: Québec's fixed and Monday holidays, the holiday closure."""
    days: set[date] = set()
    for y in range(first, last + 1):
        labour = date(y, 9, 1) + timedelta(days=(7 - date(y, 9, 1).weekday()) % 7)
        thanksgiving = labour + timedelta(days=35)
        patriots = date(y, 5, 24) - timedelta(days=date(y, 5, 24).weekday())
        days |= {date(y, 1, 1), date(y, 1, 2), date(y, 6, 24), date(y, 7, 1), patriots}
        days |= {labour, thanksgiving} | {date(y, 12, d) for d in range(24, 32)}
    return days


def _everyday_work(work: SiteYear, days: int) -> list[Draft]:
    """Many entries on working days (fewer in summer), a few on weekends, none on holidays."""
    rng, today = work.rng, work.today
    individual = {18: 1.0, 13: 0.6, 6: 0.25}
    work.pools = {
        "one": Pool.of(work.people, lambda p: p.reach * _by_age(individual, p.age(today))),
        "adults": Pool.of(work.people, lambda p: (p.reach + 0.2) * (p.age(today) >= 18)),
        "youth": Pool.of(work.people, lambda p: (p.reach + 0.5) * (6 <= p.age(today) <= 17)),
    }
    members = (work.pools["adults"].draw(rng, today, ()) for _ in range(rng.randint(5, 9)))
    committee = {p.pk: p for p in members if p}  # the tenant committee's regulars
    work.pools["committee"] = Pool.of(list(committee.values()), lambda p: 1)
    mean = WEEKDAY_PER_UNIT * (work.site.unit_count or 120)
    drafts = []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day in work.holidays:
            continue
        if day.weekday() >= 5:
            count = rng.randint(1, 3) if rng.random() < 0.15 else 0
        else:
            count = max(0, round(rng.gauss(mean * (0.8 if day.month in (7, 8) else 1), mean / 5)))
        kinds = [k for k in KINDS if k.weekend or day.weekday() < 5]
        weights = [k.weight * (k.summer if day.month in (6, 7, 8) else 1) for k in kinds]
        for kind in rng.choices(kinds, weights=weights, k=count):
            draft = _draft(work, kind, day)
            if draft:
                drafts.append(draft)
    return drafts


def _by_age(weights: dict[int, float], age: int) -> float:
    return next((w for lowest, w in weights.items() if age >= lowest), 0)


def _draft(work: SiteYear, kind: Kind, day: date) -> Draft | None:
    """One intervention of a kind on a day; None when nobody it must name may be named."""
    rng = work.rng
    named: dict[int, str] = {}
    for pool, role, fewest, most in kind.named:
        for _ in range(rng.randint(fewest, most)):
            person = work.pools[pool].draw(rng, day, named)
            if person:
                named[person.pk] = role
    if kind.named and not named and kind.level != Level.COLLECTIVE:
        return None
    places = kind.places
    if OUTSIDE in places and not 5 <= day.month <= 9:
        places = {ROOM: 4, OUTSIDE: 1}  # courtyards are mostly empty in winter
    place = rng.choices(list(places), weights=list(places.values()))[0]
    low, high = (15, 30) if place == "Téléphone / texto" else kind.minutes
    hours = (17, 20) if rng.random() < kind.evening else kind.hours
    start = rng.randrange(hours[0] * 60, hours[1] * 60 + 1, 15)
    busy = 1.5 if place == OUTSIDE else 1
    heads = {}
    if kind.heads:
        ranges = zip(HEADCOUNT_FIELDS.values(), kind.heads, strict=True)
        heads = {name: round(rng.randint(*r) * busy) for name, r in ranges}
    intervention = Intervention(
        level=kind.level, type_id=work.ref[InterventionType][kind.type], site=work.site,
        place_id=work.ref[Place][place], date=day, start_time=time(start // 60, start % 60),
        # Most entries are short: a triangle leaning on the shortest duration.
        duration_minutes=5 * round(rng.triangular(low, high, low) / 5),
        author=work.author, summary=rng.choice(kind.summaries), **heads,
    )  # fmt: skip
    count = rng.choices((1, 2, 3), (5, 3, 1))[0] if kind.level == Level.INDIVIDUAL else 1
    themes = rng.sample(kind.themes, count) if kind.named or rng.random() < 0.3 else []
    if kind.level == Level.INDIVIDUAL:
        if rng.random() < 0.03:
            intervention.restricted_note = rng.choice(RESTRICTED_NOTES)
        if rng.random() < 0.08:
            _follow_up(rng, intervention, work.today)
    co_share = 0.3 if kind.type == "Concertation" else 0.5 if kind.summer > 1 else 0.07
    return work.draft(intervention, themes, named, co_share)


def _follow_up(rng: random.Random, intervention: Intervention, today: date) -> None:
    """A follow-up due 1 to 21 days later: most past ones done, a few still open."""
    due = intervention.date + timedelta(days=rng.randint(1, 21))
    intervention.follow_up_due, intervention.follow_up_by = due, intervention.author
    overdue_by = (today - due).days
    if rng.random() < (0.97 if overdue_by > 14 else 0.7 if overdue_by > 0 else 0.15):
        done = intervention.date + timedelta(
            days=rng.randint(1, (due - intervention.date).days + 5)
        )
        intervention.follow_up_done_on = min(done, today)


def _activity(
    work: SiteYear, spec: ActivitySpec, days: int
) -> tuple[GroupActivity, list[int], list[Draft]]:
    """A group activity of this season with its weekly sessions (10 to 16, fewer after a break
    or if `days` is short) and registered residents of the right age: most come, some drift
    away, a few walk in."""
    rng, today = work.rng, work.today
    weekday = rng.choice(spec.weekdays)
    day = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    dates: list[date] = []
    held = rng.randint(10, 16)
    while len(dates) < held and (today - day).days <= days:
        if day in work.holidays or (not spec.summer and day.month in (7, 8)):
            if len(dates) >= 6:
                break  # the season began after the summer or the holidays
        elif rng.random() > 0.05:  # now and then a session is cancelled
            dates.insert(0, day)
        day -= timedelta(weeks=1)
    first = dates[0] if dates else today
    fits = [p for p in work.people if spec.ages[0] <= p.age(first) <= spec.ages[1]]
    eligible = [p for p in fits if p.named_on(first)]
    size = min(len(eligible), rng.randint(8, 20))
    registered = sorted(eligible, key=lambda p: rng.random() ** (1 / (p.reach + 0.3)))[-size:]
    chosen = {p.pk for p in registered}
    walk_ins = Pool.of([p for p in fits if p.pk not in chosen], lambda p: p.reach + 0.3)
    begins, ends = _season(first), _season(dates[-1] if dates else today)
    activity = GroupActivity(
        name=spec.name,
        site=work.site,
        season=begins if begins == ends else f"{begins} – {ends.lower()}",
        schedule=f"{WEEKDAYS[weekday]}, {spec.start.hour} h {spec.start.minute:02d}",
        type_id=work.ref[InterventionType][spec.type],
        place_id=work.ref[Place][ROOM],
        usual_duration=spec.minutes,
    )
    plans = []  # (person, chance of coming, index of the first session, of the first missed)
    for person in registered:
        joins = 0 if rng.random() < 0.8 else rng.randrange(max(1, len(dates) * 2 // 3))
        stays = len(dates) < 7 or rng.random() > 0.2
        leaves = len(dates) if stays else rng.randrange(2, len(dates) - 3)
        plans.append((person, rng.uniform(0.7, 0.92), joins, leaves))
    sessions = []
    for index, day in enumerate(dates):
        named = {
            person.pk: PARTICIPANT
            for person, chance, joins, leaves in plans
            if joins <= index < leaves and rng.random() < chance and person.named_on(day)
        }
        walk_in = walk_ins.draw(rng, day, named) if rng.random() < 0.25 else None
        if walk_in and spec.ages[0] <= walk_in.age(day) <= spec.ages[1]:
            named[walk_in.pk] = PARTICIPANT
        session = Intervention(
            level=Level.GROUP, type_id=activity.type_id, place_id=activity.place_id, date=day,
            start_time=spec.start, duration_minutes=spec.minutes - rng.choice((0, 0, 0, 15)),
            site=work.site, author=work.author, activity=activity,
            summary=rng.choice(spec.summaries), **{spec.headcount: rng.randint(0, 3)},
        )  # fmt: skip
        sessions.append(work.draft(session, [spec.theme], named, co_share=0.1))
    return activity, [p.pk for p in registered], sessions


def _season(day: date) -> str:
    names = ("Hiver", "Printemps", "Été", "Automne")
    return f"{names[(0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3)[day.month - 1]]} {day.year}"


def _save(
    drafts: list[Draft], activities: list[tuple[GroupActivity, list[int]]], filled: int
) -> ActivitySummary:
    """Write everything in bulk; the through rows are built once the interventions have keys."""
    _bulk(GroupActivity, (activity for activity, _ in activities))
    Registered = GroupActivity.registered.through
    _bulk(
        Registered,
        (Registered(groupactivity_id=a.pk, resident_id=r) for a, ids in activities for r in ids),
    )
    _bulk(Intervention, (d.intervention for d in drafts))
    Themes, Co = Intervention.themes.through, Intervention.co_intervenants.through
    _bulk(
        Themes,
        (Themes(intervention_id=d.intervention.pk, theme_id=t) for d in drafts for t in d.themes),
    )
    _bulk(Co, (Co(intervention_id=d.intervention.pk, user_id=u) for d in drafts for u in d.co))
    named = _bulk(
        Participation,
        (
            Participation(intervention_id=d.intervention.pk, resident_id=r, role=role)
            for d in drafts
            for r, role in d.named
        ),
    )
    sessions = sum(d.intervention.activity is not None for d in drafts)
    return ActivitySummary(filled, len(drafts), named, len(activities), sessions)  # fmt: skip


def _bulk(model, rows) -> int:
    rows = list(rows)
    model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
