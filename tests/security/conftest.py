"""The security tests act on the same world as the URL × role test: one household, resident,
consent, intervention, activity, committee and referral of Saint-Sulpice, and one user per
role."""

from tests.test_url_access import world  # noqa: F401 (a fixture, used by name)
