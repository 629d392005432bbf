"""Persona fixtures: who is looking at the page."""

from datetime import date

import pytest
from django.core.cache import cache

from ema.accounts.models import Role
from interventions.models import Tally
from partners.models import Contact, Organisation, Referral, Status
from partners.services import partner_link_create
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    SiteFactory,
    UserFactory,
)
from tests.helpers import Token
from tests.incidents.factories import IncidentFactory
from tests.logins import log_in
from tests.partners.factories import ReferralFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Strong hashing is slow on purpose; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache holds the partner links' budgets (partners/links.py): each test starts with
    a full budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_ss(db):
    return SiteFactory(name="Saint-Sulpice")


@pytest.fixture
def site_ag(db):
    return SiteFactory(name="André-Grasset")


@pytest.fixture
def intervenant_ss(site_ss):
    return UserFactory(username="intervenant.ss", role=Role.INTERVENANT, sites=[site_ss])


@pytest.fixture
def intervenant_ag(site_ag):
    return UserFactory(username="intervenant.ag", role=Role.INTERVENANT, sites=[site_ag])


@pytest.fixture
def coordination(db):
    return UserFactory(username="coordination", role=Role.COORDINATION)


@pytest.fixture
def direction(db):
    return UserFactory(username="direction", role=Role.DIRECTION)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin.ema", role=Role.ADMIN)


@pytest.fixture
def outsider(db):
    """Logged in, but with no role."""
    return UserFactory(username="sans.role", role="")


@pytest.fixture
def client_as(client):
    """Log the test client in as a persona: `client_as(direction)`; the direction and the
    administrators have given their second factor too (tests/logins.py)."""

    def login(user):
        return log_in(client, user)

    return login


# The world the URL × role test and the sweeps act on: one household, resident, consent,
# intervention, activity, committee and referral of Saint-Sulpice, and one user per role.
@pytest.fixture
def world(site_ss, site_ag):
    household = HouseholdFactory(site=site_ss)
    resident = ConsentedResidentFactory(household=household)
    users = {
        "intervenant_site": UserFactory(role=Role.INTERVENANT, sites=[site_ss]),
        "intervenant_other_site": UserFactory(role=Role.INTERVENANT, sites=[site_ag]),
        "coordination": UserFactory(role=Role.COORDINATION),
        "direction": UserFactory(role=Role.DIRECTION),
        "admin": UserFactory(role=Role.ADMIN),
        "no_role": UserFactory(role=""),
    }
    author = users["intervenant_site"]
    intervention = InterventionFactory(site=site_ss, author=author, follow_up_due=date(2026, 1, 5))
    activity = GroupActivityFactory(site=site_ss)
    committee = Organisation.objects.create(
        name="Comité des locataires",
        kind=Organisation.Kind.TENANT_COMMITTEE,
        committee_site=site_ss,
    )
    referral = Referral.objects.create(
        household=household,
        resident=resident,
        site=site_ss,
        organisation=committee,
        reason="Besoin d’aide pour le bail.",
        responsible=author,
        created_by=author,
    )
    # A referral sent to a partner, with a link one of its contacts answers from.
    clsc = Organisation.objects.create(name="CLSC d’Ahuntsic", kind=Organisation.Kind.HEALTH)
    contact = Contact.objects.create(
        organisation=clsc, name="Julie Gagnon", email="julie.gagnon@clsc.example.org"
    )
    sent = ReferralFactory(
        resident=resident,
        organisation=clsc,
        responsible=author,
        consented=True,
        status=Status.SENT,
        information_shared="Famille de quatre; cherche une place en halte-garderie.",
    )
    link, token = partner_link_create(referral=sent, contact=contact, by=users["coordination"])
    objects = {
        "household": household,
        "resident": resident,
        "consent": resident.consents.get(purpose="keep_file"),
        "intervention": intervention,
        "activity": activity,
        "organisation": committee,
        "committee": committee,
        "referral": referral,
        "sent_referral": sent,
        "partner_link": link,
        "partner_token": Token(token),
        "bad_partner_token": Token("pas-un-vrai-jeton-" + "x" * 25),
        "incident": IncidentFactory(recorded_by=users["direction"]),
        "tally": Tally.objects.create(
            author=author,
            type=intervention.type,
            place=intervention.place,
            site=site_ss,
            count_6_12=4,
        ),
    }
    return users, objects
