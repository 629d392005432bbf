"""Demo partner network: the seed's partners and the neighbourhood's services, a tenant committee
per site with its members, the partners present at collective work, and a year of referrals
walked through their workflow with consents to share. Runs after interventions.demo.seed_activity;
deterministic for a seed and a day, and safe to run again."""

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.db import transaction
from django.db.models import Count, F, Model, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from ema.accounts.models import Role, User
from interventions.models import Intervention, Level, Participation, Theme
from partners import demo_catalogue as catalogue
from partners.demo_catalogue import ALL, BATCH, COMMITTEE, SCHOOL
from partners.models import (
    OPEN_STATUSES,
    Agreement,
    CommitteeMembership,
    Contact,
    Organisation,
    Referral,
    ReferralEvent,
    Service,
    Status,
    StatusDelay,
)
from residents.demo import site_specs
from residents.models import AGE_OF_CONSENT, Consent, Resident, Site, age_on

Served = Organisation.sites.through
Present = Organisation.present_at.through
Themed = Referral.themes.through
Linked = Referral.interventions.through
Rows = dict[type[Model], list[Model]]
Step = tuple[str, datetime]
COMMITTEE_TYPE = "Comité de locataires / mobilisation"


@dataclass(frozen=True)
class NetworkSummary:
    """What a run added."""

    organisations: int
    memberships: int
    presences: int
    sites_filled: int
    referrals: int
    steps: int
    overdue: int
    consents: int


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


@transaction.atomic
def seed_network(*, scale: int = 1, seed: int = 2018) -> NetworkSummary:
    """Create the partner organisations that do not exist yet; then, on each demo site, its
    committee's members, the partners present at collective work and a year of referrals,
    each only where the site has none yet."""
    names = [spec.name for spec in site_specs(scale)]
    sites = sorted(Site.objects.filter(name__in=names), key=lambda s: names.index(s.name))
    net, created = _organisations(sites, timezone.localdate())
    coordination = User.objects.filter(role=Role.COORDINATION).order_by("username").first()
    members = presences = filled = 0
    for site in sites:
        committee = net.orgs[catalogue.committee_name(site.name)]
        people = _people(site, net)
        if not committee.memberships.exists():
            rng = random.Random(f"{seed}:{site.name}:committee")  # noqa: S311 - invented data
            members += _memberships(SiteWork(rng, site, net, people), committee)
        if not Present.objects.filter(intervention__site=site).exists():
            rng = random.Random(f"{seed}:{site.name}:presence")  # noqa: S311 - invented data
            presences += _presences(SiteWork(rng, site, net, people), committee)
        author = site.staff.filter(role=Role.INTERVENANT).order_by("username").first()
        if author is None or site.referrals.exists():
            continue
        filled += 1
        rng = random.Random(f"{seed}:{site.name}:referrals")  # noqa: S311 - invented data
        _site_referrals(SiteWork(rng, site, net, people, author, coordination or author))
    for model, objects in net.rows.items():
        model.objects.bulk_create(objects, batch_size=BATCH)
    # created_at is set on insert; a demo referral was created at its first step.
    first_step = ReferralEvent.objects.filter(referral=OuterRef("pk")).order_by("at", "pk")
    referrals = net.rows[Referral]
    for start in range(0, len(referrals), BATCH):
        Referral.objects.filter(pk__in=[r.pk for r in referrals[start : start + BATCH]]).update(
            created_at=Subquery(first_step.values("at")[:1]), updated_at=F("status_changed_at")
        )
    return NetworkSummary(
        created, members, presences, filled, len(referrals), len(net.rows[ReferralEvent]),
        sum(r.is_overdue for r in referrals), len(net.rows[Consent]),
    )  # fmt: skip


def _organisations(sites: list[Site], today: date) -> tuple[Network, int]:
    """Create the missing organisations with their services, contacts and agreements, link
    every one to the sites it serves, and return the network with the number created."""
    specs = [*catalogue.PARTNERS]
    specs += [catalogue.committee(site.name, site.address, n) for n, site in enumerate(sites)]
    by_site = {site.name: site for site in sites}
    by_name = {spec.name: spec for spec in specs}
    existing = set(Organisation.objects.filter(name__in=by_name).values_list("name", flat=True))
    new = [
        Organisation(
            name=spec.name, kind=spec.kind, address=spec.address, phone=spec.phone,
            email=f"{slugify(spec.name)[:50]}@example.org", website=spec.website,
            is_active=spec.is_active,
            committee_site=by_site[spec.sites[0]] if spec.kind == "tenant_committee" else None,
        )
        for spec in specs if spec.name not in existing
    ]  # fmt: skip
    Organisation.objects.bulk_create(new)
    rows: Rows = {Service: [], Contact: [], Agreement: []}
    fields = ("name", "description", "eligibility", "age_groups", "languages", "how_to_refer")
    for org in new:
        spec = by_name[org.name]
        rows[Service] += [Service(organisation=org, **{f: getattr(s, f) for f in fields})
                          for s in spec.services]  # fmt: skip
        rows[Contact] += [Contact(organisation=org, name=name, role=role, phone=phone,
                                  email=f"{slugify(name).replace('-', '.')}@example.org")
                          for name, role, phone in spec.contacts]  # fmt: skip
        rows[Agreement] += [
            Agreement(organisation=org, kind=kind, starts_on=today - timedelta(days=started),
                      ends_on=None if ends is None else today + timedelta(days=ends), notes=notes)
            for kind, started, ends, notes in spec.agreements
        ]  # fmt: skip
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=BATCH)
    orgs = {org.name: org for org in Organisation.objects.filter(name__in=by_name)}
    # The residents' demo wrote its consents to share before the directory existed, naming the
    # partner as text: each now points to its organisation.
    for name, org in orgs.items():
        Consent.objects.filter(
            purpose=Consent.Purpose.SHARE, partner__isnull=True, partner_name=name
        ).update(partner=org, partner_name="")
    reach = {spec.name: [by_site[n] for n in spec.sites if n in by_site] for spec in specs}
    reach |= {spec.name: sites for spec in specs if spec.sites == ALL}
    links = [Served(organisation_id=orgs[name].pk, site_id=site.pk)
             for name, served in reach.items() for site in served]  # fmt: skip
    Served.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    themes = {(spec.name, s.name): s.themes for spec in specs for s in spec.services}
    services = {
        (org, theme): pk
        for pk, org, name in Service.objects.filter(organisation__in=orgs.values())
        .order_by("pk").values_list("pk", "organisation__name", "name")
        for theme in themes.get((org, name), ())
    }  # fmt: skip
    net = Network(
        orgs, {name: {site.pk for site in served} for name, served in reach.items()}, services,
        {spec.name: spec.ages for spec in specs},
        dict(Theme.objects.values_list("name", "pk")),
        dict(StatusDelay.objects.values_list("status", "days")), today,
        {m: [] for m in (CommitteeMembership, Present, Consent, Referral, ReferralEvent, Themed,
                         Linked)},
    )  # fmt: skip
    return net, len(new)


def _people(site: Site, net: Network) -> list[Person]:
    """The site's residents in the order they were created, household heads first; their
    consents to share go to the network."""
    people: dict[int, Person] = {}
    rows = Resident.objects.filter(household__site=site).order_by("pk")
    for pk, household, first, last, *rest in rows.values_list(
        "pk", "household_id", "first_name", "last_name", "date_of_birth", "birth_year", "school",
        "household__moved_in_on", "household__moved_out_on",
    ):  # fmt: skip
        people[pk] = Person(pk, household, f"{first} {last}", *rest)
    consents = Consent.objects.filter(resident__in=rows).select_related("partner")
    for consent in consents.order_by("given_on", "pk"):
        if consent.purpose == Consent.Purpose.KEEP_FILE:
            end = consent.withdrawn_on or date.max
            people[consent.resident_id].windows.append((consent.given_on, end))
        else:
            net.share.setdefault((consent.resident_id, consent.partner_label), []).append(consent)
    return list(people.values())


def _memberships(work: SiteWork, committee: Organisation) -> int:
    """4 to 8 adults: the regulars of the committee's meetings, a president, a secretary and a
    treasurer among them; now and then one or two former members."""
    rng, today = work.rng, work.net.today
    counts = dict(
        Participation.objects.filter(intervention__site=work.site,
                                     intervention__type__name=COMMITTEE_TYPE)
        .values_list("resident").annotate(n=Count("pk")).values_list("resident", "n")
    )  # fmt: skip
    adults = [p for p in work.people if p.age(today) >= 18]
    current = [p for p in adults if p.named(today, today)]
    current.sort(key=lambda p: (-counts.get(p.pk, 0), rng.random()))
    size = rng.randint(4, 8)
    former = min(rng.choice((0, 1, 1, 2)), size - 3)
    chosen = current[: size - former]
    roles = ["president", "secretary", "treasurer"] + ["member"] * len(chosen)
    rows = work.net.rows[CommitteeMembership]
    for person, role in zip(chosen, roles, strict=False):
        since = max(today - timedelta(days=rng.randint(60, 6 * 365)),
                    person.moved_in or date.min, date(person.birth_year + 18, 12, 31))  # fmt: skip
        since = min(since, today - timedelta(days=7))
        rows.append(CommitteeMembership(committee=committee, resident_id=person.pk, role=role,
                                        since=since))  # fmt: skip
    others = [p for p in adults if p.age(today) >= 25 and p not in chosen]
    for person in rng.sample(others, min(former, len(others))):
        until = min(today - timedelta(days=rng.randint(30, 700)), person.moved_out or today)
        since = max(until - timedelta(days=rng.randint(180, 1500)), person.moved_in or date.min)
        rows.append(CommitteeMembership(
            committee=committee, resident_id=person.pk, since=min(since, until), until=until,
            role=rng.choice(("member", "member", "secretary")),
        ))  # fmt: skip
    return len(chosen) + min(former, len(others))


def _presences(work: SiteWork, committee: Organisation) -> int:
    """1 to 3 partners at each committee meeting, community event and concertation."""
    rng, net = work.rng, work.net
    schools = [n for n, o in net.orgs.items() if o.kind == Organisation.Kind.SCHOOL and o.is_active]
    collective = Intervention.objects.filter(
        site=work.site, type__name__in={rule[0] for rule in catalogue.PRESENCE}
    ).order_by("date", "pk")
    added = 0
    for pk, kind, summary in collective.values_list("pk", "type__name", "summary"):
        _, _, always, sometimes = next(
            rule for rule in catalogue.PRESENCE if rule[0] == kind and rule[1] in summary
        )
        extra = rng.sample(sometimes, rng.randint(0, min(len(sometimes), 3 - len(always))))
        names = [committee.name if n == COMMITTEE else rng.choice(schools) if n == SCHOOL else n
                 for n in (*always, *extra)]  # fmt: skip
        for name in dict.fromkeys(names):
            net.rows[Present].append(Present(organisation_id=net.orgs[name].pk, intervention_id=pk))
            added += 1
    return added


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
