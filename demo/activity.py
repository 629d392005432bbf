"""Demo activity: a year of logged work on each demo site, with group activities and their
weekly sessions. Runs after demo.households.seed_demo; deterministic for a seed and a day, and
safe to run again: a site that already holds interventions is left alone."""

import random
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import accumulate

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS, DEMO_TEAM, staff_usernames
from demo.catalogues.activity import (
    ACTIVITIES,
    BATCH,
    FAR,
    KINDS,
    OUTSIDE,
    PARTICIPANT,
    RESTRICTED_NOTES,
    ROOM,
    WEEKDAY_PER_UNIT,
    WEEKDAYS,
    ActivitySpec,
    Kind,
)
from demo.sites import site_specs
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
from interventions.summaries import summaries_rebuild
from residents.models import Consent, Resident, Site, age_on

DAYS = 365


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
    def of(cls, people: list[Person], weight: Callable[[Person], float]) -> "Pool":
        people = [p for p in people if weight(p) > 0]
        return cls(people, list(accumulate(weight(p) for p in people)))

    def draw(self, rng: random.Random, day: date, taken: Container[int]) -> Person | None:
        """Someone who may be named that day and is not taken yet; None after a few tries."""
        for _ in range(12 if self.people else 0):
            person = rng.choices(self.people, cum_weights=self.cum)[0]
            if person.pk not in taken and person.named_on(day):
                return person
        return None


Registered = GroupActivity.registered.through
Themed = Intervention.themes.through
Joined = Intervention.co_intervenants.through
Rows = dict[type[Model], list[Model]]


@dataclass
class SiteYear:
    """One site's generator: its random stream, author, colleagues, residents, reference ids,
    and the unsaved rows it adds to, in the order they will be written."""

    rng: random.Random
    site: Site
    authors: list[User]  # the site's intervenants, who share its work
    weights: list[float]  # each one's share: their planned hours on this site
    staff: list[int]  # the whole demo staff, colleagues who join now and then
    people: list[Person]
    ref: dict[type, dict[str, int]]
    today: date
    holidays: set[date]
    rows: Rows
    pools: dict[str, Pool] = field(default_factory=dict)

    def author(self) -> User:
        """Who logs the next entry: the site's intervenants, by their hours on the site."""
        return self.rng.choices(self.authors, weights=self.weights)[0]

    def log(
        self, intervention: Intervention, themes: list[str], named: dict[int, str], co: float
    ) -> None:
        """Keep an intervention, its themes, its named residents and, with a chance of `co`,
        a colleague or two. The rows point to the unsaved intervention until it has a key."""
        self.rows[Intervention].append(intervention)
        self.rows[Themed] += [Themed(intervention=intervention, theme_id=self.ref[Theme][t])
                              for t in themes]  # fmt: skip
        if self.rng.random() < co:
            others = [pk for pk in self.staff if pk != intervention.author_id]
            colleagues = self.rng.sample(others, self.rng.choice((1, 1, 2)))
            self.rows[Joined] += [Joined(intervention=intervention, user_id=u) for u in colleagues]
        self.rows[Participation] += [
            Participation(intervention=intervention, resident_id=pk, role=role)
            for pk, role in named.items()
        ]


@transaction.atomic
def seed_activity(*, scale: int = 1, seed: int = 2018, days: int = DAYS) -> ActivitySummary:
    """Log `days` days of work, up to yesterday, on each demo site without interventions:
    the three levels of everyday work, and 2 or 3 group activities with weekly sessions."""
    today = timezone.localdate()
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    usernames = staff_usernames()
    staff = list(User.objects.filter(username__in=usernames).order_by("username"))
    hours = _hours_by_site()
    ref = {m: dict(m.objects.values_list("name", "pk")) for m in (InterventionType, Place, Theme)}
    holidays = _holidays(today.year - days // 365 - 1, today.year)
    rows: Rows = {m: [] for m in (GroupActivity, Registered, Intervention, Themed, Joined,
                                  Participation)}  # fmt: skip
    filled = 0
    for site in sites:
        authors = list(
            site.staff.filter(username__in=usernames, role=Role.INTERVENANT).order_by("username")
        )
        if not authors or site.interventions.exists() or site.group_activities.exists():
            continue
        filled += 1
        # One stream per site: a site's year does not depend on which other sites exist.
        rng = random.Random(f"{seed}:{site.name}:activity")  # noqa: S311 - invented data
        weights = [hours.get((user.username, site.name), 35.0) for user in authors]
        people = _people(rng, site)
        staff_ids = [user.pk for user in staff]
        work = SiteYear(rng, site, authors, weights, staff_ids, people, ref, today, holidays, rows)
        _everyday_work(work, days)
        for spec in rng.sample(ACTIVITIES, rng.choice((2, 3))):
            _activity(work, spec, days)
    _a_follow_up_waits_on_each_login(rows[Intervention], today)
    # In the order of the day, as the team would have logged them.
    rows[Intervention].sort(key=lambda i: (i.date, i.start_time))
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=BATCH)
    # Written in bulk, past the services: the figures' monthly summaries from scratch.
    summaries_rebuild()
    sessions = sum(i.activity is not None for i in rows[Intervention])
    return ActivitySummary(filled, len(rows[Intervention]), len(rows[Participation]),
                           len(rows[GroupActivity]), sessions)  # fmt: skip


def _a_follow_up_waits_on_each_login(interventions: list[Intervention], today: date) -> None:
    """The README promises each demo account of the field work something in its bell: an
    intervenant who logs in and whose follow-ups all happen to be done gets their latest
    individual contact's follow-up left open, due the day after it (today at the latest)."""
    logins = {a.username for a in DEMO_ACCOUNTS if a.role == Role.INTERVENANT}
    latest: dict[str, Intervention] = {}
    waiting = set()
    for intervention in interventions:
        name = intervention.author.username
        if name not in logins or intervention.level != Level.INDIVIDUAL:
            continue
        due, done = intervention.follow_up_due, intervention.follow_up_done_on
        if due is not None and due <= today and done is None:
            waiting.add(name)
        if intervention.date < today and (
            name not in latest or intervention.date > latest[name].date
        ):
            latest[name] = intervention
    for name, intervention in latest.items():
        if name not in waiting:
            intervention.follow_up_due = intervention.date + timedelta(days=1)
            intervention.follow_up_by = intervention.author
            intervention.follow_up_done_on = None


def _hours_by_site() -> dict[tuple[str, str], float]:
    """The planned hours each intervenant of the demo gives a site: a person on two sites
    shares their week between them."""
    hours = {(a.username, a.site): float(a.hours_per_week or 35) for a in DEMO_ACCOUNTS if a.site}
    for member in DEMO_TEAM:
        for site in member.sites:
            hours[(member.username, site)] = member.hours_per_week / len(member.sites)
    return hours


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


def _everyday_work(work: SiteYear, days: int) -> None:
    """Many entries on working days (fewer in summer), a few on weekends, none on holidays."""
    rng, today = work.rng, work.today
    individual = {18: 1.0, 13: 0.6, 6: 0.25}  # by lowest age: adults, teenagers, children
    work.pools = {
        "one": Pool.of(work.people, lambda p: p.reach * _by_age(individual, p.age(today))),
        "adults": Pool.of(work.people, lambda p: (p.reach + 0.2) * (p.age(today) >= 18)),
        "youth": Pool.of(work.people, lambda p: (p.reach + 0.5) * (6 <= p.age(today) <= 17)),
    }
    members = (work.pools["adults"].draw(rng, today, ()) for _ in range(rng.randint(5, 9)))
    committee = {p.pk: p for p in members if p}  # the tenant committee's regulars
    work.pools["committee"] = Pool.of(list(committee.values()), lambda p: 1)
    # The few residents who lend a hand at events and meetings, again and again: the
    # volunteers of the participation ladder (empowerment), a handful per site.
    for name, pool, size in (
        ("volunteers", "adults", (5, 9)),
        ("young_volunteers", "youth", (3, 6)),
    ):
        helpers = (work.pools[pool].draw(rng, today, committee) for _ in range(rng.randint(*size)))
        regulars = {p.pk: p for p in helpers if p}
        work.pools[name] = Pool.of(list(regulars.values()), lambda p: p.reach + 0.5)
    mean = WEEKDAY_PER_UNIT * (work.site.unit_count or 120)
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
            _log(work, kind, day)


def _by_age(weights: dict[int, float], age: int) -> float:
    return next((w for lowest, w in weights.items() if age >= lowest), 0)


def _log(work: SiteYear, kind: Kind, day: date) -> None:
    """One intervention of a kind on a day, unless nobody it must name may be named."""
    rng = work.rng
    named: dict[int, str] = {}
    for pool, role, fewest, most in kind.named:
        for _ in range(rng.randint(fewest, most)):
            person = work.pools[pool].draw(rng, day, named)
            if person:
                named[person.pk] = role
    if kind.named and not named and kind.level != Level.COLLECTIVE:
        return
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
        author=work.author(), summary=rng.choice(kind.summaries), **heads,
    )  # fmt: skip
    count = rng.choices((1, 2, 3), (5, 3, 1))[0] if kind.level == Level.INDIVIDUAL else 1
    themes = rng.sample(kind.themes, count) if kind.named or rng.random() < 0.3 else []
    if kind.level == Level.INDIVIDUAL:
        if rng.random() < 0.03:
            intervention.restricted_note = rng.choice(RESTRICTED_NOTES)
        if rng.random() < 0.08:
            _follow_up(rng, intervention, work.today)
    co = 0.3 if kind.type == "Concertation" else 0.5 if kind.summer > 1 else 0.07
    work.log(intervention, themes, named, co)


def _follow_up(rng: random.Random, intervention: Intervention, today: date) -> None:
    """A follow-up due 1 to 21 days later: most past ones done, a few still open."""
    due = intervention.date + timedelta(days=rng.randint(1, 21))
    intervention.follow_up_due, intervention.follow_up_by = due, intervention.author
    overdue_by = (today - due).days
    if rng.random() < (0.97 if overdue_by > 14 else 0.7 if overdue_by > 0 else 0.15):
        late = rng.randint(1, (due - intervention.date).days + 5)
        intervention.follow_up_done_on = min(intervention.date + timedelta(days=late), today)


def _activity(work: SiteYear, spec: ActivitySpec, days: int) -> None:
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
        usual_start_time=spec.start,
        usual_duration=spec.minutes,
    )
    work.rows[GroupActivity].append(activity)
    leader = work.author()  # who runs the activity, every week
    work.rows[Registered] += [
        Registered(groupactivity=activity, resident_id=p.pk) for p in registered
    ]
    plans = []  # (person, chance of coming, index of the first session, of the first missed)
    for person in registered:
        joins = 0 if rng.random() < 0.8 else rng.randrange(max(1, len(dates) * 2 // 3))
        stays = len(dates) < 7 or rng.random() > 0.2
        leaves = len(dates) if stays else rng.randrange(2, len(dates) - 3)
        plans.append((person, rng.uniform(0.7, 0.92), joins, leaves))
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
            site=work.site, author=leader, activity=activity,
            summary=rng.choice(spec.summaries), **{spec.headcount: rng.randint(0, 3)},
        )  # fmt: skip
        work.log(session, [spec.theme], named, co=0.1)


def _season(day: date) -> str:
    names = ("Hiver", "Printemps", "Été", "Automne")
    return f"{names[(0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3)[day.month - 1]]} {day.year}"
