"""Persona fixtures: who is looking at the page."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from ema.accounts.models import Role
from ema.replica import REPLICA
from interventions.models import Tally
from partners.concertation.services import commitment_create, meeting_save
from partners.models import ConcertationMeeting, Contact, Organisation, Referral, Status
from partners.services import partner_link_create
from tests.collective.factories import collective_issue_of
from tests.evaluation.factories import JournalEntryFactory
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    SiteFactory,
    UserFactory,
    prepared_file_of,
)
from tests.helpers import Token
from tests.incidents.factories import IncidentFactory
from tests.logins import log_in
from tests.partners.factories import ReferralFactory
from tests.support.factories import SupervisionSessionFactory, theme
from tests.team.factories import case_discussion_of

# The migrations insert reference lists (intervention types, places, themes...) that most tests
# expect. A transactional test (a browser journey on the live server, a backup round trip, two
# requests at once) commits for real, so pytest-django ends it by emptying every table. Serially
# those tests run after the others (pytest-django's order, then tests/e2e/conftest.py); under
# pytest-xdist no order of a worker's share is promised, so after one of them the database is
# put back as the migrations left it (the copy pytest-django serializes for serialized_rollback)
# before the next test, unless that next test is one that reloads the copy itself.
_DB_BLOCKER = pytest.StashKey()
_EMPTIED = pytest.StashKey[bool]()


def _django_db_kwargs(item) -> dict:
    marker = item.get_closest_marker("django_db")
    return marker.kwargs if marker else {}


def _is_transactional(item) -> bool:
    kwargs = _django_db_kwargs(item)
    return bool(
        kwargs.get("transaction")
        or kwargs.get("reset_sequences")
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


def _reloads_the_copy(item) -> bool:
    """A transactional test with serialized_rollback starts by loading the migrated rows."""
    return _is_transactional(item) and bool(
        _django_db_kwargs(item).get("serialized_rollback")
        or "django_db_serialized_rollback" in item.fixturenames
    )


def _restore_migrated_rows(blocker, *, reload: bool = True) -> None:
    """Empty the test databases, then (unless the next test reloads the copy itself) put the
    migrated rows back."""
    with blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            copy = getattr(connection, "_test_serialized_contents", None)
            if copy is None:  # not a test database pytest-django serialized
                continue
            # Empty it first: a transactional test without serialized_rollback leaves the
            # content types and permissions that post_migrate made again, under new keys.
            call_command(
                "flush",
                database=alias,
                interactive=False,
                verbosity=0,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            if reload:
                connection.creation.deserialize_db_from_string(copy)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """With DATABASE_REPLICA_URL set, the replica alias names the test database of default,
    in every thread (a live server's too): the router then reads it through default's
    connection, which sees the test's own transaction. Only the replica's own test points it
    at the real standby (tests/operations/test_replica.py)."""
    if REPLICA not in connections.settings:
        yield
        return
    replica = connections.settings[REPLICA]
    configured = dict(replica)
    test_database = connections["default"].settings_dict
    server = ("NAME", "HOST", "PORT", "USER", "PASSWORD")
    replica.update({key: test_database[key] for key in server})
    yield
    replica.update(configured)


@pytest.fixture(scope="session", autouse=True)
def _keep_django_db_blocker(request, django_db_blocker):
    request.config.stash[_DB_BLOCKER] = django_db_blocker


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures (the transaction of a `db` test among them)."""
    stash = item.config.stash
    if stash.get(_EMPTIED, False):
        if _DB_BLOCKER in stash:  # else no test has set the database up
            # A test that reloads the copy itself still needs the tables empty: the flush
            # after a transactional test without serialized_rollback made the content types
            # and permissions again, which the copy holds too.
            _restore_migrated_rows(stash[_DB_BLOCKER], reload=not _reloads_the_copy(item))
        stash[_EMPTIED] = False


def pytest_runtest_teardown(item):
    if _is_transactional(item):
        item.config.stash[_EMPTIED] = True


@pytest.fixture(autouse=True)
def prepared_files_apart(settings, tmp_path):
    """Files prepared by jobs go to the test's own directory."""
    settings.PREPARED_FILES_DIR = str(tmp_path / "prepared")


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
def research(db):
    """The research team of the evaluation: figures and pseudonymised data, no names."""
    return UserFactory(username="recherche", role=Role.RESEARCH)


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
        "research": UserFactory(role=Role.RESEARCH),
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
    issue = collective_issue_of(
        household=household, intervention=intervention, partner=clsc, by=author
    )
    # A team meeting the intervenant of the site attended alone, with a case discussion about
    # the household and an action for them.
    discussion = case_discussion_of(household, participants=[author])
    # A concertation meeting of a table, with one commitment of a partner present.
    table = Organisation.objects.create(
        name="Table jeunesse d’Ahuntsic", kind=Organisation.Kind.CONCERTATION_TABLE
    )
    meeting = meeting_save(
        meeting=ConcertationMeeting(
            table=table, held_on=date(2026, 1, 8), decisions="Fête de quartier en juin."
        ),
        by=users["coordination"],
        partners_present=[clsc],
        staff_present=[author],
    )
    commitment = commitment_create(
        meeting=meeting,
        organisation=clsc,
        what="Présenter la halte-garderie aux familles.",
        due_on=date(2026, 2, 1),
        by=users["coordination"],
    )
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
        "concertation_meeting": meeting,
        "commitment": commitment,
        "partner_token": Token(token),
        "bad_partner_token": Token("pas-un-vrai-jeton-" + "x" * 25),
        "incident": IncidentFactory(recorded_by=users["direction"]),
        "journal_entry": JournalEntryFactory(author=author),
        "collective_issue": issue,
        "prepared_file": prepared_file_of(users["coordination"]),
        "meeting": discussion.meeting,
        "agenda_item": discussion,
        "meeting_action": discussion.actions.get(),
        "tally": Tally.objects.create(
            author=author,
            type=intervention.type,
            place=intervention.place,
            site=site_ss,
            count_6_12=4,
        ),
        # Coordination supervises the intervenant of the site: their notes and themes are
        # theirs alone; the direction sees that the session took place.
        "supervision_session": SupervisionSessionFactory(
            supervisor=users["coordination"],
            supervised=[author],
            themes=[theme("Limites professionnelles")],
        ),
        "team_member": author,
    }
    return users, objects
