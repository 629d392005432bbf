"""Account changes: who gave a staff account a role or sites, deactivated it, changed its
password, set up or removed its second factor. The audit trail keeps them (never a password
hash, a secret or a code) and the direction reads them, in French, on one page."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.accounts import two_factor
from ema.accounts.models import Role
from privacy.account_changes import account_change_entries
from tests.factories import SiteFactory, UserFactory
from tests.logins import log_in, next_code, totp_device

ACCOUNT_CHANGES = reverse("privacy:account_changes")


@pytest.fixture
def admin_named(db):
    return UserFactory(username="admin.ema", first_name="Alix", last_name="Admin", role=Role.ADMIN)


@pytest.fixture
def worker(db, site_ss):
    return UserFactory(
        username="yves",
        first_name="Yves",
        last_name="Beaulieu",
        role=Role.INTERVENANT,
        sites=[site_ss],
    )


def _page(client, direction, **params) -> str:
    log_in(client, direction)
    with override("fr-ca"):
        response = client.get(ACCOUNT_CHANGES, params)
    assert response.status_code == 200
    return response.content.decode()


def _admin_post(client, admin, user, **changes):
    """Change `user` in the Django admin as `admin`, as its form would post it."""
    log_in(client, admin)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "sites": [site.pk for site in user.sites.all()],
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()


class TestWhatTheDirectionReads:
    def test_a_role_given_in_the_admin(self, client, admin_named, worker, direction):
        _admin_post(client, admin_named, worker, role=Role.DIRECTION)

        page = _page(client, direction)

        assert (
            "Alix Admin a donné le rôle Direction à Yves Beaulieu (auparavant : Intervenant·e)."
            in page
        )

    def test_sites_given_and_taken_away(self, client, admin_named, worker, direction, site_ss):
        other = SiteFactory(name="Meunier-Tolhurst")
        _admin_post(client, admin_named, worker, sites=[other.pk])

        page = _page(client, direction)

        assert "Alix Admin a donné à Yves Beaulieu l’accès aux sites : Meunier-Tolhurst." in page
        assert "Alix Admin a retiré à Yves Beaulieu l’accès aux sites : Saint-Sulpice." in page

    def test_an_account_deactivated(self, client, admin_named, worker, direction):
        _admin_post(client, admin_named, worker, is_active="")

        assert "Alix Admin a désactivé le compte de Yves Beaulieu." in _page(client, direction)

    def test_a_password_changed_by_an_admin(self, client, admin_named, worker, direction):
        log_in(client, admin_named)
        url = reverse("admin:auth_user_password_change", args=[worker.pk])
        response = client.post(
            url, {"password1": "Un-autre-mot-2027", "password2": "Un-autre-mot-2027"}
        )
        assert response.status_code == 302

        page = _page(client, direction)

        assert "Alix Admin a changé le mot de passe de Yves Beaulieu." in page
        worker.refresh_from_db()
        assert worker.password not in str(list(LogEntry.objects.values_list("changes", flat=True)))

    def test_the_authenticator_removed_by_an_admin(self, client, admin_named, direction):
        device = totp_device(direction)
        log_in(client, admin_named)
        url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
        client.logout()
        # The direction sets a new app up at its next login.
        page = _page(client, direction)

        assert f"Alix Admin a retiré l’application d’authentification de {direction}." in page

    def test_a_person_setting_up_its_own_app(self, client, worker, direction):
        log_in(client, worker)
        enrol = reverse("accounts:two_factor_enrol")
        client.get(enrol)
        device = TOTPDevice.objects.get(user=worker)
        assert client.post(enrol, {"code": next_code(device)}).status_code == 200
        client.logout()

        page = _page(client, direction)

        assert "Yves Beaulieu a commencé à configurer une application d’authentification." in page
        assert "Yves Beaulieu a configuré une application d’authentification." in page
        assert "Yves Beaulieu a reçu des codes de récupération." in page

    def test_changes_made_outside_the_application_are_the_systems(self, client, worker, direction):
        worker.is_superuser = True
        worker.save()

        assert "Le système a donné le statut de superutilisateur à Yves Beaulieu." in _page(
            client, direction
        )

    def test_newest_first(self, client, admin_named, worker, direction):
        _admin_post(client, admin_named, worker, role=Role.COORDINATION)
        _admin_post(client, admin_named, worker, is_active="")
        page = _page(client, direction)

        assert page.index("désactivé le compte de Yves") < page.index("le rôle Coordination")


class TestNoSecretIsKept:
    def test_no_entry_holds_a_secret_a_code_or_a_hash(self, worker):
        device = totp_device(worker)
        codes = two_factor.recovery_codes_replace(user=worker)
        worker.set_password("Encore-un-autre-2028")
        worker.save()
        device.delete()

        text = str(list(LogEntry.objects.values_list("changes", "serialized_data", "object_repr")))
        assert device.key not in text
        assert worker.password not in text
        assert not any(code in text for code in codes)
        assert LogEntry.objects.filter(content_type__model="staticdevice").exists()

    def test_a_login_alone_leaves_no_account_change(self, client, worker):
        before = account_change_entries().count()
        worker.save(update_fields=["last_login"])
        assert account_change_entries().count() == before


class TestThePage:
    @pytest.mark.parametrize(
        "persona", ["intervenant_ss", "coordination", "admin_user", "outsider"]
    )
    def test_only_the_direction_reads_it(self, request, client_as, persona):
        user = request.getfixturevalue(persona)
        assert client_as(user).get(ACCOUNT_CHANGES).status_code == 403

    def test_the_direction_finds_it_in_its_menu(self, client_as, direction):
        with override("fr-ca"):
            page = client_as(direction).get(reverse("privacy:read_log")).content.decode()
        assert f'href="{ACCOUNT_CHANGES}"' in page
        assert "Modifications des comptes" in page

    def test_the_page_is_paginated_and_its_queries_do_not_grow(
        self, client_as, direction, django_assert_max_num_queries
    ):
        client = client_as(direction)
        sites = SiteFactory.create_batch(3)
        for index in range(30):
            user = UserFactory(username=f"compte{index}", role=Role.INTERVENANT)
            user.sites.set(sites)
        client.get(ACCOUNT_CHANGES)
        with django_assert_max_num_queries(10) as few:
            first = client.get(ACCOUNT_CHANGES)
        assert len(first.context["changes"]) == 50
        assert first.context["page_obj"].paginator.num_pages > 1
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(ACCOUNT_CHANGES, {"page": 2}).status_code == 200
