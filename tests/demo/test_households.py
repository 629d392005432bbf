"""The demo data command: realistic, valid, deterministic and safe to run twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.households import seed_demo
from ema.accounts.models import Role, User
from residents.models import AGE_OF_CONSENT, Consent, Household, Resident, Site

pytestmark = pytest.mark.django_db

EMA_SITES = {"Saint-Sulpice", "André-Grasset", "Meunier-Tolhurst"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    return seed_demo()


def snapshot() -> list[tuple]:
    """Everything the demo wrote, without primary keys or timestamps."""
    households = sorted(
        Household.objects.values_list(
            "site__name", "unit", "label", "languages", "moved_in_on", "moved_out_on", "status"
        ),
        key=repr,
    )
    residents = sorted(
        Resident.objects.values_list(
            "household__site__name", "household__unit", "first_name", "last_name",
            "date_of_birth", "birth_year", "gender", "languages", "phone", "school",
        ),
        key=repr,
    )  # fmt: skip
    consents = sorted(
        Consent.objects.values_list(
            "resident__first_name", "resident__last_name", "purpose", "partner_name",
            "given_by", "guardian_name", "given_on", "obtained_by__username", "withdrawn_on",
        ),
        key=repr,
    )  # fmt: skip
    return [*households, *residents, *consents]


def counts() -> tuple[int, int, int, int]:
    return (
        Site.objects.count(),
        Household.objects.count(),
        Resident.objects.count(),
        Consent.objects.count(),
    )


def test_scale_one_creates_the_three_ema_sites(seeded):
    assert set(Site.objects.values_list("name", flat=True)) == EMA_SITES
    assert all(site.address and site.community_room for site in Site.objects.all())
    assert 330 <= sum(Site.objects.values_list("unit_count", flat=True)) <= 390


def test_scale_one_has_about_360_households_and_1200_residents(seeded):
    assert 330 <= Household.objects.count() <= 390
    assert 1100 <= Resident.objects.count() <= 1300
    assert seeded.households == Household.objects.count()
    assert seeded.residents == Resident.objects.count()


def test_many_residents_are_minors_and_households_have_one_to_seven_people(seeded):
    residents = list(Resident.objects.all())
    minors = sum(resident.age < 18 for resident in residents)
    assert 0.35 <= minors / len(residents) <= 0.55
    sizes = set(Household.objects.annotate(n=Count("members")).values_list("n", flat=True))
    assert min(sizes) == 1
    assert max(sizes) == 7


def test_some_households_moved_out_or_lost_contact(seeded):
    moved_out = Household.objects.filter(status=Household.Status.MOVED_OUT)
    assert moved_out.exists()
    assert not moved_out.filter(moved_out_on__isnull=True).exists()
    assert Household.objects.filter(status=Household.Status.INACTIVE).exists()


def test_demo_rows_pass_model_validation(seeded):
    for household in Household.objects.order_by("pk")[:40]:
        household.full_clean()
    for resident in Resident.objects.order_by("pk")[:100]:
        resident.full_clean()
    for consent in Consent.objects.select_related("resident").order_by("pk")[:100]:
        consent.full_clean()


def test_some_residents_have_only_a_birth_year(seeded):
    only_year = Resident.objects.filter(date_of_birth__isnull=True)
    assert only_year.exists()
    assert not Resident.objects.filter(birth_year__isnull=True).exists()


def test_every_resident_has_a_consent_to_keep_a_file(seeded):
    without = Resident.objects.exclude(consents__purpose=Consent.Purpose.KEEP_FILE)
    assert not without.exists()
    file_consents = Consent.objects.filter(purpose=Consent.Purpose.KEEP_FILE)
    assert file_consents.count() == Resident.objects.count()
    assert file_consents.filter(withdrawn_on__isnull=False).exists()
    assert file_consents.in_force().count() > 0.9 * Resident.objects.count()


def test_consents_under_14_are_given_by_a_named_adult_of_the_household(seeded):
    consents = Consent.objects.select_related("resident").prefetch_related(
        "resident__household__members"
    )
    for consent in consents:
        resident = consent.resident
        assert resident.age_on(consent.given_on) >= 0
        if resident.age_on(consent.given_on) < AGE_OF_CONSENT:
            assert consent.given_by == Consent.GivenBy.GUARDIAN
            adults = {
                member.full_name
                for member in resident.household.members.all()
                if member.age_on(consent.given_on) >= 18
            }
            assert consent.guardian_name in adults
        else:
            assert consent.given_by == Consent.GivenBy.PERSON


def test_consents_are_obtained_by_an_intervenant_of_the_site(seeded):
    sites_of = {
        user.pk: {site.pk for site in user.sites.all()}
        for user in User.objects.prefetch_related("sites")
    }
    for consent in Consent.objects.select_related("resident__household", "obtained_by"):
        assert consent.obtained_by.role == Role.INTERVENANT
        assert consent.resident.household.site_id in sites_of[consent.obtained_by_id]


def test_some_residents_consent_to_share_with_a_named_partner(seeded):
    shared = Consent.objects.filter(purpose=Consent.Purpose.SHARE)
    assert shared.exists()
    assert not shared.filter(partner_name="").exists()
    assert shared.filter(withdrawn_on__isnull=False).exists()


def test_units_are_unique_per_site_among_households_still_living_there(seeded):
    duplicates = (
        Household.objects.active().values("site", "unit").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_demo_accounts_have_their_role_and_site_and_the_demo_password(seeded, client):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.check_password(DEMO_PASSWORD)
        assert user.get_full_name()
        sites = set(user.sites.values_list("name", flat=True))
        assert sites == ({account.site} if account.site else set())
    assert User.objects.get(username="admin").is_staff
    response = client.post(
        reverse("accounts:login"), {"username": "intervenant.ss", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.username == "intervenant.ss"


def test_running_twice_adds_nothing(seeded):
    before = counts()
    again = seed_demo()
    assert counts() == before
    assert again.households == again.residents == again.accounts_created == 0


def test_two_fresh_runs_give_identical_data(db):
    seed_demo()
    first = snapshot()
    Consent.objects.all().delete()
    Resident.objects.all().delete()
    Household.objects.all().delete()
    Site.objects.all().delete()
    assert counts() == (0, 0, 0, 0)
    seed_demo()
    assert snapshot() == first


def test_another_seed_gives_other_residents(db):
    seed_demo(seed=1)
    names = set(Resident.objects.values_list("first_name", "last_name"))
    Consent.objects.all().delete()
    Resident.objects.all().delete()
    Household.objects.all().delete()
    seed_demo(seed=2)
    assert set(Resident.objects.values_list("first_name", "last_name")) != names


def test_scale_two_doubles_the_households_on_more_sites(db):
    seed_demo(scale=2)
    assert Site.objects.count() == 6
    assert 660 <= Household.objects.count() <= 780
    assert not Site.objects.annotate(n=Count("households")).filter(n=0).exists()


def test_scaling_up_later_only_fills_the_new_sites(seeded):
    before = Household.objects.count()
    summary = seed_demo(scale=2)
    assert (summary.sites, summary.sites_filled) == (6, 3)
    assert Household.objects.filter(site__name__in=EMA_SITES).count() == before
    assert Household.objects.count() == before + summary.households


def test_command_prints_a_summary_and_is_idempotent(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "households" in out.getvalue()
    assert "team meetings" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing added" in out.getvalue()
    assert counts() == before


def test_command_refuses_a_scale_below_one(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "0", "--force", stdout=StringIO())
    assert not Site.objects.exists()


def test_command_refuses_to_run_on_a_production_configuration(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Site.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Site.objects.count() == 3
