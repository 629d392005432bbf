"""The invariants the residents' models guard themselves."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from residents.models import AgeGroup, Consent, Household, Resident
from tests.factories import ConsentFactory, HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_a_second_active_household_on_the_same_unit_is_refused_next_to_the_unit():
    first = HouseholdFactory(unit="1250, app. 4")
    second = Household(site=first.site, unit="1250, APP. 4", label="Tremblay")
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert list(error.value.message_dict) == ["unit"]


def test_the_database_refuses_two_active_households_on_one_unit():
    first = HouseholdFactory(unit="12")
    with pytest.raises(IntegrityError):
        Household.objects.create(site=first.site, unit="12", label="Autre")


def test_a_unit_is_free_again_once_its_household_moved_out():
    first = HouseholdFactory(unit="12")
    first.status = Household.Status.MOVED_OUT
    first.moved_out_on = timezone.localdate()
    first.save()
    Household(site=first.site, unit="12", label="Nouveau").full_clean()


def test_a_future_date_of_birth_is_refused():
    resident = ResidentFactory.build(
        household=HouseholdFactory(), date_of_birth=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        resident.full_clean()
    assert "date_of_birth" in error.value.message_dict


def test_a_resident_needs_a_date_of_birth_or_a_birth_year():
    resident = ResidentFactory.build(household=HouseholdFactory(), date_of_birth=None)
    with pytest.raises(ValidationError):
        resident.full_clean()
    resident.birth_year = 1990
    resident.full_clean()


def test_the_birth_year_follows_the_date_of_birth():
    resident = ResidentFactory(date_of_birth=date(2015, 6, 2), birth_year=None)
    assert resident.birth_year == 2015


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, AgeGroup.AGE_0_5),
        (5, AgeGroup.AGE_0_5),
        (6, AgeGroup.AGE_6_12),
        (17, AgeGroup.AGE_13_17),
        (18, AgeGroup.AGE_18_25),
        (64, AgeGroup.AGE_26_64),
        (65, AgeGroup.AGE_65_PLUS),
    ],
)
def test_age_groups_have_the_bounds_of_the_reports(age, group):
    assert AgeGroup.for_age(age) == group


def test_age_counts_whole_years_from_the_birthday():
    resident = Resident(date_of_birth=date(2012, 12, 31))
    assert resident.age_on(date(2026, 12, 30)) == 13
    assert resident.age_on(date(2026, 12, 31)) == 14


def test_a_minor_under_14_needs_a_guardians_consent():
    child = ResidentFactory(
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 8)
    )
    consent = ConsentFactory.build(
        resident=child, given_by=Consent.GivenBy.PERSON, guardian_name=""
    )
    consent.obtained_by.save()
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "given_by" in error.value.message_dict


def test_a_guardians_consent_names_the_guardian():
    child = ResidentFactory(date_of_birth=date(2020, 1, 1))
    consent = ConsentFactory(resident=child)
    consent.guardian_name = ""
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "guardian_name" in error.value.message_dict


def test_a_consent_to_share_names_its_partner():
    consent = ConsentFactory(resident=ResidentFactory())
    consent.purpose = Consent.Purpose.SHARE
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "partner" in error.value.message_dict


def test_a_withdrawn_consent_is_no_longer_in_force():
    consent = ConsentFactory(resident=ResidentFactory(), given_on=date(2024, 1, 10))
    assert consent.is_in_force
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    assert not consent.is_in_force
    assert not Consent.objects.in_force().filter(pk=consent.pk).exists()
