"""Demo partner network: the seed's partners and the neighbourhood's services, a tenant committee
per site with its members, the partners present at collective work, and a year of referrals
(demo.referrals) walked through their workflow with consents to share. Runs after
demo.activity.seed_activity; deterministic for a seed and a day, and safe to run again."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from demo.catalogues import partners as catalogue
from demo.catalogues.partners import ALL, BATCH, COMMITTEE, SCHOOL
from demo.referrals import Linked, Network, Person, Rows, SiteWork, Themed, _site_referrals
from demo.sites import site_specs
from ema.accounts.models import Role, User
from interventions.models import Intervention, Participation, Theme
from partners.models import (
    Agreement,
    CommitteeMembership,
    Contact,
    Organisation,
    Referral,
    ReferralEvent,
    Service,
    StatusDelay,
)
from residents.models import Consent, Resident, Site

Served = Organisation.sites.through
Present = Organisation.present_at.through
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
