"""The demo partner network: the seed's partners, tenant committees, and a year of referrals
that follow the workflow and the consent rules, deterministic and safe to rerun."""

from collections import Counter
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from collective.models import CollectiveIssue
from demo.activity import seed_activity
from demo.catalogues.partners import committee_name
from demo.collective import ISSUES
from demo.households import seed_demo
from demo.network import seed_network
from interventions.models import Intervention, Participation
from partners.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Agreement,
    CommitteeMembership,
    Organisation,
    Referral,
    ReferralEvent,
    Status,
    StatusDelay,
)
from residents.models import Consent, Site

pytestmark = pytest.mark.django_db

EMA_SITES = ("Saint-Sulpice", "André-Grasset", "Meunier-Tolhurst")
SHORT = 120  # days of activity: enough interventions to link and to find committee regulars


@pytest.fixture
def network(db):
    """The demo residents, the last SHORT days of work, then the partner network."""
    seed_demo()
    seed_activity(days=SHORT)
    return seed_network()


def snapshot() -> list[list[tuple]]:
    """Everything the partner demo wrote, without primary keys or insertion times."""
    rows = [
        Organisation.objects.values_list("name", "kind", "committee_site__name", "is_active"),
        Organisation.sites.through.objects.values_list("organisation__name", "site__name"),
        Organisation.present_at.through.objects.values_list(
            "organisation__name", "intervention__site__name", "intervention__date",
            "intervention__start_time",
        ),
        CommitteeMembership.objects.values_list(
            "committee__name", "resident__first_name", "resident__last_name", "role", "since",
            "until",
        ),
        Agreement.objects.values_list("organisation__name", "kind", "starts_on", "ends_on"),
        Referral.objects.values_list(
            "site__name", "household__unit", "resident__first_name", "organisation__name",
            "service__name", "direction", "reason", "urgency", "accompanied",
            "responsible__username", "consent__given_on", "consent__partner__name",
            "consent_exception", "status", "status_changed_at", "due_on", "outcome", "created_at",
        ),
        ReferralEvent.objects.values_list(
            "referral__status_changed_at", "old_status", "new_status", "at", "by__username", "note"
        ),
        Referral.themes.through.objects.values_list("referral__status_changed_at", "theme__name"),
        Referral.interventions.through.objects.values_list(
            "referral__status_changed_at", "intervention__date", "intervention__start_time"
        ),
    ]  # fmt: skip
    return [sorted(query, key=repr) for query in rows]


def test_the_command_adds_the_network_and_about_500_referrals_a_year_once(db):
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "referrals" in out.getvalue()
    # The collective issues come after the network, whose partners they mobilise.
    assert f"Opened {len(ISSUES)} collective issues" in out.getvalue()
    assert "concertation meetings with" in out.getvalue()
    referrals = Referral.objects.all()
    assert 400 <= referrals.count() <= 600
    today = timezone.localdate()
    assert not referrals.filter(created_at__date__lt=today - timedelta(days=365)).exists()
    assert not ReferralEvent.objects.filter(at__gte=timezone.now()).exists()
    linked = referrals.filter(interventions__isnull=False).distinct().count()
    assert 0.2 <= linked / referrals.count() <= 0.4
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "no referrals added" in out.getvalue()
    assert "concertation tables already hold meetings" in out.getvalue()
    assert snapshot() == before
    assert CollectiveIssue.objects.count() == len(ISSUES)


def test_the_seeds_partners_and_one_tenant_committee_per_site_exist(network):
    kinds = dict(Organisation.objects.values_list("name", "kind"))
    assert kinds["OMHM"] == Organisation.Kind.OMHM
    assert kinds["RAP Jeunesse"] == kinds["Solidarité Ahuntsic"] == Organisation.Kind.COMMUNITY
    assert kinds["CJSS"] == Organisation.Kind.COMMUNITY
    assert kinds["CLSC d'Ahuntsic"] == Organisation.Kind.HEALTH
    assert {Organisation.Kind.SCHOOL, Organisation.Kind.PUBLIC_SAFETY,
            Organisation.Kind.MUNICIPAL} <= set(kinds.values())  # fmt: skip
    assert Organisation.objects.get(name="OMHM").services.filter(name="Habiter la mixité").exists()
    committees = Organisation.objects.filter(kind=Organisation.Kind.TENANT_COMMITTEE)
    assert dict(committees.values_list("name", "committee_site__name")) == {
        "Comité des locataires de Saint-Sulpice": "Saint-Sulpice",
        "Comité des locataires d'André-Grasset": "André-Grasset",
        "Comité des locataires de Meunier-Tolhurst": "Meunier-Tolhurst",
    }
    for organisation in Organisation.objects.annotate(
        service_count=Count("services", distinct=True), contact_count=Count("contacts")
    ):
        assert 1 <= organisation.service_count <= 3
        assert organisation.sites.exists()
        for contact in organisation.contacts.all():
            assert contact.phone.startswith("514 555-")
            assert contact.email.endswith("@example.org")
    assert network.organisations == Organisation.objects.count()


def test_agreements_include_open_ended_ones_and_one_ending_within_60_days(network):
    agreements = list(Agreement.objects.all())
    assert any(a.ends_soon for a in agreements)
    assert any(a.ends_on is None for a in agreements)
    assert any(a.ends_on and a.ends_on < timezone.localdate() for a in agreements)


def test_each_committee_has_four_to_eight_adult_members_and_one_president(network):
    today = timezone.localdate()
    for name in map(committee_name, EMA_SITES):
        memberships = CommitteeMembership.objects.filter(committee__name=name)
        assert 4 <= memberships.count() <= 8
        current = memberships.filter(until__isnull=True)
        roles = Counter(current.values_list("role", flat=True))
        assert roles["president"] == roles["secretary"] == roles["treasurer"] == 1
        for membership in memberships.select_related("resident__household"):
            assert membership.since < today
            assert membership.resident.age >= 18
            assert membership.resident.household.site.name in name
    assert CommitteeMembership.objects.filter(until__isnull=False).exists()


def test_partners_are_present_at_committee_meetings_events_and_concertations(network):
    present = Organisation.present_at.through.objects
    types = set(present.values_list("intervention__type__name", flat=True))
    assert types == {"Concertation", "Comité de locataires / mobilisation",
                     "Événement communautaire"}  # fmt: skip
    counts = Intervention.objects.filter(type__name__in=types).annotate(n=Count("partners_present"))
    assert set(counts.values_list("n", flat=True)) == {1, 2, 3}
    for site in Site.objects.filter(name__in=EMA_SITES):
        meetings = Intervention.objects.filter(
            site=site, type__name="Comité de locataires / mobilisation"
        )
        with_committee = meetings.filter(partners_present__committee_site=site)
        assert meetings.exists() and with_committee.count() == meetings.count()


def test_every_referral_walks_the_workflow_from_draft_to_its_status(network):
    today = timezone.localdate()
    referrals = Referral.objects.prefetch_related("events")
    assert 400 <= len(referrals) <= 600
    for referral in referrals:
        events = list(referral.events.all())
        assert (events[0].old_status, events[0].new_status) == ("", Status.DRAFT)
        for before, after in pairwise(events):
            assert after.old_status == before.new_status
            assert after.new_status in TRANSITIONS[before.new_status]
            assert before.at < after.at
        assert events[-1].new_status == referral.status
        assert events[-1].at == referral.status_changed_at < timezone.now()
        assert referral.created_at == events[0].at
        assert referral.created_at.date() >= today - timedelta(days=365)
        assert {event.by_id for event in events} == {referral.responsible_id}
        assert referral.created_by_id == referral.responsible_id
        assert referral.version == len(events)


def test_sent_outgoing_referrals_have_a_consent_in_force_or_a_justified_exception(network):
    sent = ReferralEvent.objects.filter(new_status=Status.SENT)
    outgoing = Referral.objects.filter(direction=Referral.Direction.OUTGOING)
    checked = exceptions = 0
    for referral in outgoing.filter(events__in=sent).select_related("consent", "organisation"):
        day = timezone.localtime(referral.events.get(new_status=Status.SENT).at).date()
        checked += 1
        if referral.consent_exception:
            exceptions += 1
            assert referral.exception_justification.strip()
            assert referral.consent is None
            continue
        consent = referral.consent
        assert consent.purpose == Consent.Purpose.SHARE
        assert consent.partner_id == referral.organisation_id
        assert consent.given_on <= day
        assert consent.withdrawn_on is None or consent.withdrawn_on > day
        if referral.resident_id:
            assert consent.resident_id == referral.resident_id
        else:
            assert consent.resident.household_id == referral.household_id
    assert checked > 300
    assert 0 < exceptions < 0.06 * checked
    assert Referral.objects.filter(resident__isnull=True).exists()


def test_statuses_outcomes_and_due_dates_have_a_realistic_mix(network):
    today = timezone.localdate()
    referrals = Referral.objects.all()
    total = referrals.count()
    share = {s: n / total for s, n in Counter(referrals.values_list("status", flat=True)).items()}
    assert set(share) == set(Status.values)
    assert 0.38 <= share[Status.COMPLETED] <= 0.55
    assert 0.1 <= share[Status.SENT] + share[Status.DRAFT] <= 0.25
    direction = Counter(referrals.values_list("direction", flat=True))
    assert 0.78 <= direction[Referral.Direction.OUTGOING] / total <= 0.92
    outcomes = Counter(referrals.filter(status=Status.COMPLETED).values_list("outcome", flat=True))
    assert "" not in outcomes
    assert outcomes.most_common(1)[0][0] == Referral.Outcome.MET
    assert len(outcomes) == 3
    delays = dict(StatusDelay.objects.values_list("status", "days"))
    open_ = referrals.filter(status__in=OPEN_STATUSES)
    assert not referrals.exclude(status__in=OPEN_STATUSES).exclude(due_on=None).exists()
    for status, changed, due in open_.values_list("status", "status_changed_at", "due_on"):
        assert due == timezone.localtime(changed).date() + timedelta(days=delays[status])
    overdue = referrals.overdue(today).count()
    assert 0.08 <= overdue / open_.count() <= 0.3
    assert network.overdue == overdue


def test_referrals_go_to_partners_that_fit_their_themes_and_site(network):
    themes = {}
    for organisation, theme in Referral.themes.through.objects.values_list(
        "referral__organisation__name", "theme__name"
    ):
        themes.setdefault(organisation, set()).add(theme)
    assert "Alimentation" in themes["Entraide alimentaire Ahuntsic"]
    assert "Logement" in themes["OMHM"]
    assert {"Santé", "Santé mentale"} <= themes["CLSC d'Ahuntsic"]
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    assert all("Scolarité" in themes[s.name] for s in schools if s.name in themes)
    for referral in Referral.objects.select_related("organisation", "service"):
        assert referral.organisation.is_active
        assert referral.organisation.sites.filter(pk=referral.site_id).exists()
        assert referral.service is None or referral.service.organisation == referral.organisation
    linked = Referral.interventions.through.objects.select_related("referral", "intervention")
    assert linked.exists()
    for link in linked:
        named = Participation.objects.filter(
            intervention=link.intervention, resident__household=link.referral.household_id
        )
        assert named.exists()
        assert link.intervention.date <= link.referral.created_at.date()


def test_demo_rows_pass_model_validation(network):
    for model in (Organisation, Agreement, CommitteeMembership):
        for row in model.objects.all():
            row.full_clean()
    for referral in Referral.objects.order_by("?")[:150]:
        referral.full_clean()
    for consent in Consent.objects.filter(purpose=Consent.Purpose.SHARE, referrals__isnull=False):
        consent.full_clean()


def test_running_again_adds_nothing(network):
    before = snapshot()
    again = seed_network()
    assert (again.organisations, again.memberships, again.presences, again.referrals) == (
        0, 0, 0, 0
    )  # fmt: skip
    assert snapshot() == before


def test_two_fresh_runs_give_identical_data(db):
    seed_demo()
    seed_activity(days=30)
    last_consent = Consent.objects.aggregate(last=Max("pk"))["last"]
    seed_network()
    first = snapshot()
    Referral.objects.all().delete()
    Consent.objects.filter(pk__gt=last_consent).delete()
    # The residents' consents to share name the directory's organisations: as before the
    # directory existed, they name them as text again.
    for organisation in Organisation.objects.all():
        organisation.sharing_consents.update(partner=None, partner_name=organisation.name)
    Organisation.objects.all().delete()
    seed_network()
    assert snapshot() == first


def test_at_scale_two_each_site_gets_its_committee_and_referrals(db):
    seed_demo(scale=2)
    seed_activity(scale=2, days=14)
    summary = seed_network(scale=2)
    assert summary.sites_filled == 6
    assert 800 <= summary.referrals <= 1200
    for site in Site.objects.all():
        assert Organisation.objects.get(committee_site=site).name == committee_name(site.name)
        responsible = set(site.referrals.values_list("responsible__username", flat=True))
        assert responsible <= {*site.staff.values_list("username", flat=True), "coordination"}
