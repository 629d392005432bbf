"""Demo referrals: a year of them on a site, of the households the team sees most, walked
through their workflow with consents to share; and the network, the residents and a site's
work as the generators see them, which demo.network fills in before it calls _site_referrals."""

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.db.models import Model
from django.utils import timezone

from demo.catalogues import referrals as catalogue
from demo.catalogues.partners import SCHOOL
from ema.accounts.models import User
from interventions.models import Level, Participation
from partners.models import (
    OPEN_STATUSES,
    Organisation,
    Referral,
    ReferralEvent,
    Status,
)
from residents.models import AGE_OF_CONSENT, Consent, Site, age_on

Themed = Referral.themes.through
Linked = Referral.interventions.through
Rows = dict[type[Model], list[Model]]
Step = tuple[str, datetime]


@dataclass
class Person:
    """A resident as the generator sees them: age, household, when they lived on the site, and
    the periods in which a consent to keep a file lets the team name them."""

    pk: int
    household: int
    name: str
    born: date | None
    birth_year: int
    school: str
    moved_in: date | None
    moved_out: date | None
    windows: list[tuple[date, date]] = field(default_factory=list)  # [given, withdrawn)

    def age(self, on: date) -> int:
        return age_on(date_of_birth=self.born, birth_year=self.birth_year, on=on)

    def named(self, first: date, last: date) -> bool:
        """Living on the site and named in a file from `first` to `last`."""
        return (
            (self.moved_in is None or self.moved_in <= first)
            and (self.moved_out is None or last <= self.moved_out)
            and any(start <= first and last < end for start, end in self.windows)
        )


@dataclass
class Network:
    """The partners as the generator sees them, reference ids, and the unsaved rows in the
    order they will be written."""

    orgs: dict[str, Organisation]
    served: dict[str, set[int]]  # organisation name: the sites it serves (their pks)
    services: dict[tuple[str, str], int]  # (organisation name, theme): service pk
    ages: dict[str, tuple[int, int]]  # organisation name: whom it takes referrals for
    themes: dict[str, int]
    delays: dict[str, int]
    today: date
    rows: Rows
    share: dict[tuple[int, str], list[Consent]] = field(default_factory=dict)


@dataclass
class SiteWork:
    """One site's generator: its random stream, staff, residents, household heads (who consent
    for a child under 14) and each household's individual interventions by date."""

    rng: random.Random
    site: Site
    net: Network
    people: list[Person]
    author: User | None = None
    coordination: User | None = None
    heads: dict[int, str] = field(default_factory=dict)
    visits: dict[int, list[tuple[date, int]]] = field(default_factory=dict)


def _site_referrals(work: SiteWork) -> None:
    """About 1.4 referrals per unit over the last year, mostly of the households the team sees
    most, opened in order."""
    rng, today = work.rng, work.net.today
    days = [today - timedelta(days=n) for n in range(365, 0, -1)]
    days = [day for day in days if day.weekday() < 5]
    individual = Participation.objects.filter(
        intervention__site=work.site, intervention__level=Level.INDIVIDUAL
    ).order_by("intervention__date", "intervention_id")
    for household, day, pk in individual.values_list(
        "resident__household", "intervention__date", "intervention"
    ):
        work.visits.setdefault(household, []).append((day, pk))
    for person in work.people:
        work.heads.setdefault(person.household, person.name)
    cum = list(accumulate(
        (1 + len(work.visits.get(p.household, ()))) * (1 if p.age(today) >= 18
                                                       else catalogue.MINOR_WEIGHT)
        for p in work.people
    ))  # fmt: skip
    count = round(catalogue.REFERRALS_PER_UNIT * work.site.unit_count)
    for chain in sorted((_chain(rng, days, work.net) for _ in range(count)), key=lambda c: c[0][1]):
        first, last = chain[0][1].date(), chain[-1][1].date()
        for _ in range(30):
            person = rng.choices(work.people, cum_weights=cum)[0]
            if person.named(first, last):
                _referral(work, chain, person)
                break


def _chain(rng: random.Random, days: list[date], net: Network) -> list[Step]:
    """The steps of one referral, draft first, on working days up to yesterday. An open one
    ends recently, most within its expected delay; a closed one may have begun any day."""
    final = _pick(rng, catalogue.FINALS)
    paths = catalogue.PATHS[final]
    path = rng.choices([p for _, p in paths], weights=[w for w, _ in paths])[0]
    gaps = [0] + [round(rng.triangular(*catalogue.DELAYS[status])) for status in path[1:]]
    offsets = list(accumulate(gaps))
    if final in OPEN_STATUSES:
        allowed = net.delays.get(final, 7)
        late = rng.random() < catalogue.OVERDUE
        youngest, oldest = (allowed + 1, allowed + catalogue.OVERDUE_BY) if late else (1, allowed)
        low = bisect_left(days, net.today - timedelta(days=oldest))
        high = bisect_right(days, net.today - timedelta(days=youngest)) - 1
        end = rng.randint(low, high) if low <= high else len(days) - 1
        start = max(0, end - offsets[-1])
        indices = [min(start + offset, end) for offset in offsets]
    else:
        start = rng.randint(0, len(days) - 1 - offsets[-1])
        indices = [start + offset for offset in offsets]
    steps: list[Step] = []
    for status, index in zip(path, indices, strict=True):
        if steps and steps[-1][1].date() == days[index]:
            at = steps[-1][1] + timedelta(minutes=rng.randint(5, 45))
        else:
            at = timezone.make_aware(datetime.combine(days[index], time(8, 30)))
            at += timedelta(minutes=rng.randrange(0, 8 * 60, 5))
        steps.append((status, at))
    return steps


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _route(work: SiteWork, person: Person, age: int) -> tuple[str, Organisation, list[str]]:
    """A theme fitting the person's age, a partner serving the site that takes it, and the
    other themes that fit."""
    net = work.net
    fits = {t: w for t, (w, low, high) in catalogue.THEMES.items() if low <= age <= high}
    for _ in range(10):
        theme = _pick(work.rng, fits)
        names = dict(catalogue.THEME_PARTNERS[theme])
        if SCHOOL in names:
            names = {person.school: 1} if person.school in net.orgs else {}
        names = {
            name: weight for name, weight in names.items()
            if net.orgs[name].is_active and work.site.pk in net.served[name]
            and net.ages[name][0] <= age <= net.ages[name][1]
        }  # fmt: skip
        if names:
            return theme, net.orgs[_pick(work.rng, names)], [t for t in fits if t != theme]
    return "Santé", net.orgs["CLSC d'Ahuntsic"], []


def _referral(work: SiteWork, chain: list[Step], person: Person) -> None:
    """One referral of a person (or of their household) with its steps, themes, consent or
    exception, and the interventions it came out of."""
    rng, net, path = work.rng, work.net, [status for status, _ in chain]
    first, (final, changed) = chain[0][1].date(), chain[-1]
    theme, org, others = _route(work, person, person.age(first))
    themes = [theme, rng.choice(others)] if others and rng.random() < 0.25 else [theme]
    by = work.coordination if rng.random() < catalogue.COORDINATION_SHARE else work.author
    outgoing = rng.random() >= catalogue.INCOMING
    household_only = theme in catalogue.HOUSEHOLD_THEMES and rng.random() < catalogue.HOUSEHOLD_ONLY
    referral = Referral(
        resident_id=None if household_only else person.pk, household_id=person.household,
        site=work.site, organisation=org, reason=rng.choice(catalogue.REASONS[theme]),
        direction=Referral.Direction.OUTGOING if outgoing else Referral.Direction.INCOMING,
        service_id=net.services.get((org.name, theme)) if outgoing else None,
        urgency=_pick(rng, catalogue.URGENCIES), responsible=by, created_by=by,
        accompanied=outgoing and rng.random() < catalogue.ACCOMPANIED,
        status=final, status_changed_at=changed, version=len(chain),
        outcome=_pick(rng, catalogue.OUTCOMES) if final == Status.COMPLETED else "",
    )  # fmt: skip
    if final in OPEN_STATUSES:
        referral.due_on = changed.date() + timedelta(days=net.delays.get(final, 7))
    if outgoing and Status.SENT in path:
        sent = next(at.date() for status, at in chain if status == Status.SENT)
        referral.information_shared = rng.choice(catalogue.SHARED)
        if rng.random() < catalogue.EXCEPTION:
            exception = rng.choice(("urgency", "urgency", "safety"))
            referral.consent_exception, referral.urgency = exception, Referral.Urgency.URGENT
            referral.exception_justification = rng.choice(catalogue.JUSTIFICATIONS[exception])
        else:
            referral.consent = _consent(work, chain, person, org.name, sent)
    elif outgoing and rng.random() < 0.4:  # a draft's consent may already be there
        referral.consent = _consent(work, chain, person, org.name, first)
    net.rows[Referral].append(referral)
    old = ""
    for status, at in chain:
        noted = status in catalogue.NOTES and (status not in OPEN_STATUSES or rng.random() < 0.4)
        net.rows[ReferralEvent].append(ReferralEvent(
            referral=referral, old_status=old, new_status=status, by=by, at=at,
            note=rng.choice(catalogue.NOTES[status]) if noted else "",
        ))  # fmt: skip
        old = status
    net.rows[Themed] += [Themed(referral=referral, theme_id=net.themes[t]) for t in themes]
    if rng.random() < catalogue.LINKED:
        visits = work.visits.get(person.household, [])
        low = bisect_left(visits, (first - timedelta(days=60), 0))
        recent = sorted({pk for _, pk in visits[low : bisect_right(visits, (first, 2**62))][-4:]})
        chosen = rng.sample(recent, min(len(recent), rng.choice((1, 1, 2))))
        net.rows[Linked] += [Linked(referral=referral, intervention_id=pk) for pk in chosen]


def _consent(
    work: SiteWork, chain: list[Step], person: Person, partner: str, by_day: date
) -> Consent:
    """The person's consent to share with the partner, in force on `by_day`: one given before,
    or a new one obtained by the site's intervenant when the referral was prepared."""
    rng, net = work.rng, work.net
    for consent in reversed(net.share.get((person.pk, partner), [])):
        if consent.given_on <= by_day and (consent.withdrawn_on or date.max) > by_day:
            return consent
    first = chain[0][1].date()
    opened = max(start for start, end in person.windows if start <= first < end)
    given = max(first - timedelta(days=rng.randint(0, 10)), opened)
    minor = person.age(given) < AGE_OF_CONSENT
    consent = Consent(
        resident_id=person.pk, purpose=Consent.Purpose.SHARE, partner=net.orgs[partner],
        given_by=Consent.GivenBy.GUARDIAN if minor else Consent.GivenBy.PERSON,
        guardian_name=work.heads[person.household] if minor else "", given_on=given,
        obtained_by=work.author,
    )  # fmt: skip
    net.rows[Consent].append(consent)
    net.share.setdefault((person.pk, partner), []).append(consent)
    return consent
