"""Persona fixtures: who is looking at the page."""

import pytest

from ema.accounts.models import Role
from tests.factories import SiteFactory, UserFactory
from tests.logins import log_in


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Strong hashing is slow on purpose; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
