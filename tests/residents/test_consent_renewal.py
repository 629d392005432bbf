"""Consents that end and are renewed: the end date (CONSENT_VALIDITY_MONTHS for a consent to
share), what stops holding on it, the consents to renew, and the person who reaches the age of
consent on a guardian's consent (residents.services.consent_duties)."""

from dataclasses import fields
from datetime import date, timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from ema.periods import months_after
from partners.selectors import referral_consents
from partners.services import consent_problem
from residents.forms import ConsentForm
from residents.models import Consent, born_at_most_on
from residents.selectors import (
    ConsentToRenew,
    OwnConsentDue,
    consents_to_renew,
    consents_to_renew_by_site,
    residents_to_give_own_consent,
)
from residents.services import consent_duties, consents_to_renew_at_fourteen
from tests.factories import (
    ConsentedResidentFactory,
    ConsentFactory,
    HouseholdFactory,
    ResidentFactory,
)
from tests.helpers import french, once, page_text
from tests.partners.factories import OrganisationFactory, ReferralFactory, ShareConsentFactory

pytestmark = pytest.mark.django_db

DUE = "Consent to be renewed by the person"


def _today() -> date:
    return timezone.localdate()


# The end date ---------------------------------------------------------------------------


def test_a_consent_holds_until_the_day_before_its_end_date_and_not_on_it():
    consent = ConsentFactory(
        resident=ResidentFactory(), given_on=date(2025, 1, 10), expires_on=date(2026, 1, 10)
    )
    in_force_on = lambda day: Consent.objects.in_force(day).filter(pk=consent.pk).exists()  # noqa: E731
    assert in_force_on(date(2026, 1, 9)) and consent.is_in_force_on(date(2026, 1, 9))
    assert not in_force_on(date(2026, 1, 10)) and not consent.is_in_force_on(date(2026, 1, 10))
    assert not consent.is_in_force
    assert consent.has_expired


def test_an_ended_consent_stops_like_a_withdrawn_one():
    ended = ConsentFactory(resident=ResidentFactory(), given_on=date(2024, 1, 10))
    ended.expires_on = _today()
    ended.save()
    assert not Consent.objects.in_force().filter(pk=ended.pk).exists()


def test_a_consent_without_an_end_date_holds_until_it_is_withdrawn():
    consent = ConsentFactory(resident=ResidentFactory(), given_on=date(2015, 1, 10))
    assert consent.expires_on is None
    assert consent.is_in_force


def test_a_consent_ends_after_the_day_it_was_given():
    consent = ConsentFactory(resident=ResidentFactory(), given_on=date(2025, 1, 10))
    consent.expires_on = date(2025, 1, 10)
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "expires_on" in error.value.message_dict


def test_the_database_refuses_an_end_before_the_consent():
    consent = ConsentFactory(resident=ResidentFactory(), given_on=date(2025, 1, 10))
    with pytest.raises(IntegrityError):
        Consent.objects.filter(pk=consent.pk).update(expires_on=date(2025, 1, 9))


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert months_after(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)


# The form and the service ---------------------------------------------------------------


@pytest.fixture
def resident(site_ss):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Yasmine")


def _post_consent(client, resident, **values):
    return client.post(
        reverse("residents:consent_create", args=[resident.pk]),
        {"given_by": Consent.GivenBy.PERSON, "given_on": _today().isoformat(), **values, **once()},
    )


def test_a_consent_to_share_ends_twelve_months_after_it_was_given_by_default(
    client_as, intervenant_ss, resident
):
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    given_on = _today() - timedelta(days=3)
    response = _post_consent(
        client_as(intervenant_ss),
        resident,
        purpose=Consent.Purpose.SHARE,
        partner=clsc.pk,
        given_on=given_on.isoformat(),
    )
    assert response.status_code == 302
    consent = resident.consents.get(purpose=Consent.Purpose.SHARE)
    assert consent.expires_on == months_after(given_on, 12)


def test_the_validity_follows_the_setting(client_as, intervenant_ss, resident, settings):
    settings.CONSENT_VALIDITY_MONTHS = 6
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    _post_consent(
        client_as(intervenant_ss), resident, purpose=Consent.Purpose.SHARE, partner=clsc.pk
    )
    consent = resident.consents.get(purpose=Consent.Purpose.SHARE)
    assert consent.expires_on == months_after(_today(), 6)


def test_an_end_date_typed_is_kept(client_as, intervenant_ss, resident):
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    typed = _today() + timedelta(days=90)
    _post_consent(
        client_as(intervenant_ss),
        resident,
        purpose=Consent.Purpose.SHARE,
        partner=clsc.pk,
        expires_on=typed.isoformat(),
    )
    assert resident.consents.get(purpose=Consent.Purpose.SHARE).expires_on == typed


def test_a_consent_to_keep_a_file_has_no_end_unless_one_is_typed(
    client_as, intervenant_ss, resident
):
    client = client_as(intervenant_ss)
    _post_consent(client, resident, purpose=Consent.Purpose.KEEP_FILE)
    assert resident.consents.filter(expires_on__isnull=True).count() == 2
    typed = _today() + timedelta(days=700)
    _post_consent(client, resident, purpose=Consent.Purpose.KEEP_FILE, expires_on=typed.isoformat())
    assert resident.consents.filter(expires_on=typed).count() == 1


def test_an_end_before_the_consent_is_refused_keeping_what_was_typed(
    client_as, intervenant_ss, resident
):
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    response = _post_consent(
        client_as(intervenant_ss),
        resident,
        purpose=Consent.Purpose.SHARE,
        partner=clsc.pk,
        given_on="2025-02-03",
        expires_on="2025-02-01",
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors
    assert french("A consent ends after the day it was given.") in page_text(response)
    assert response.context["form"]["expires_on"].value() == "2025-02-01"
    assert resident.consents.count() == 1


def test_a_consent_recorded_for_a_partner_shows_its_default_end(resident):
    form = ConsentForm(resident=resident, partner=OrganisationFactory())
    assert form["expires_on"].value() == months_after(_today(), 12)
    assert ConsentForm(resident=resident)["expires_on"].value() is None


def test_the_default_end_shown_follows_the_day_given_when_that_day_changes(
    client_as, coordination, site_ss
):
    referral = ReferralFactory(resident__household__site=site_ss)
    given_on = _today() - timedelta(days=40)
    response = client_as(coordination).post(
        reverse("partners:referral_consent_create", args=[referral.pk]),
        {
            "given_by": Consent.GivenBy.PERSON,
            "given_on": given_on.isoformat(),
            "expires_on": months_after(_today(), 12).isoformat(),  # as the form showed it
            **once(),
        },
    )
    assert response.status_code == 302
    consent = referral.resident.consents.get(purpose=Consent.Purpose.SHARE)
    assert consent.expires_on == months_after(given_on, 12)


# Sharing stops on the end date ----------------------------------------------------------


def test_an_ended_consent_to_share_no_longer_lets_a_referral_be_sent(site_ss):
    referral = ReferralFactory(consented=True, resident__household__site=site_ss)
    consent = referral.consent
    Consent.objects.filter(pk=consent.pk).update(
        given_on=date(2025, 1, 10), expires_on=_today() - timedelta(days=1)
    )
    referral.consent.refresh_from_db()
    problem = consent_problem(referral)
    assert problem is not None
    assert (
        french(
            "The consent to share with %(partner)s ended on %(day)s: record the person’s "
            "consent anew."
        ).split("%(partner)s")[0]
        in problem
    )


def test_an_ended_consent_is_not_offered_to_a_referral(site_ss, coordination):
    partner = OrganisationFactory()
    household = HouseholdFactory(site=site_ss)
    ended = ShareConsentFactory(
        resident__household=household, organisation=partner, given_on=date(2025, 1, 10)
    )
    in_force = ShareConsentFactory(resident__household=household, organisation=partner)
    Consent.objects.filter(pk=ended.pk).update(expires_on=_today())
    offered = list(referral_consents(user=coordination, household=household))
    assert offered == [in_force]


def test_the_resident_page_shows_an_ended_consent_without_a_withdraw_button(
    client_as, intervenant_ss, resident
):
    keep = resident.consents.get()
    Consent.objects.filter(pk=keep.pk).update(given_on=date(2025, 1, 10), expires_on=_today())
    response = client_as(intervenant_ss).get(resident.get_absolute_url())
    assert french("Ended on %(day)s").split("%")[0].strip() in page_text(response)
    assert reverse("residents:consent_withdraw", args=[keep.pk]) not in page_text(response)


# The consents to renew ------------------------------------------------------------------


@pytest.fixture
def ending(site_ss, site_ag):
    """Consents of Saint-Sulpice and André-Grasset, ending soon or not."""
    today = _today()
    given = today - timedelta(days=300)
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    ss = HouseholdFactory(site=site_ss)

    def share(household, ends_in, partner=clsc, **values):
        return ShareConsentFactory(
            resident=values.pop("resident", None) or ConsentedResidentFactory(household=household),
            organisation=partner,
            given_on=given,
            expires_on=today + timedelta(days=ends_in),
            **values,
        )

    soon = share(ss, 10)
    later = share(ss, 40)
    renewed = share(ss, 5)
    share(ss, 365, resident=renewed.resident)
    keep = ConsentFactory(
        resident=ResidentFactory(household=ss),
        given_on=given,
        expires_on=today + timedelta(days=3),
    )
    left = share(HouseholdFactory(site=site_ss), 8)
    left.resident.left_on = today
    left.resident.save()
    elsewhere = share(HouseholdFactory(site=site_ag), 20)
    return {
        "soon": soon,
        "later": later,
        "renewed": renewed,
        "keep": keep,
        "left": left,
        "elsewhere": elsewhere,
    }


def test_the_consents_to_renew_are_those_ending_within_30_days_not_yet_renewed(
    intervenant_ss, ending, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        rows = consents_to_renew(user=intervenant_ss)
    assert [row.consent_id for row in rows] == [ending["keep"].pk, ending["soon"].pk]
    row = rows[1]
    assert row.ends_on == ending["soon"].expires_on
    assert row.site_name == "Saint-Sulpice"
    assert row.resident_url == ending["soon"].resident.get_absolute_url()


def test_the_consents_to_renew_carry_no_name(intervenant_ss, ending):
    assert not {"first_name", "last_name", "full_name", "label"} & {
        field.name for field in fields(ConsentToRenew)
    }


def test_the_consents_to_renew_follow_the_sites_a_user_sees(direction, intervenant_ag, ending):
    assert [row.consent_id for row in consents_to_renew(user=intervenant_ag)] == [
        ending["elsewhere"].pk
    ]
    assert len(consents_to_renew(user=direction)) == 3
    assert len(consents_to_renew(user=direction, within_days=60)) == 4


def test_the_consents_to_renew_are_counted_per_site(
    direction, site_ss, ending, django_assert_max_num_queries
):
    marked = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    marked.own_consent_due_since = _today()
    marked.save()
    with django_assert_max_num_queries(3):
        per_site = consents_to_renew_by_site(user=direction)
    assert [(s.site_name, s.ending, s.own_consent_due) for s in per_site] == [
        ("André-Grasset", 1, 0),
        ("Saint-Sulpice", 2, 1),
    ]


def test_an_account_without_a_role_has_nothing_to_renew(outsider, ending):
    assert consents_to_renew(user=outsider) == []
    assert consents_to_renew_by_site(user=outsider) == []


# The age of consent ---------------------------------------------------------------------


def _child_on_guardian(site, **born):
    resident = ResidentFactory(household=HouseholdFactory(site=site), **born)
    consent = ConsentFactory(
        resident=resident,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="Nadia Tremblay",
        given_on=date(2020, 1, 10),
    )
    return resident, consent


def test_born_at_most_on_follows_the_birthday_of_february_29():
    assert born_at_most_on(age=14, on=date(2026, 6, 15)) == date(2012, 6, 15)
    assert born_at_most_on(age=14, on=date(2028, 2, 29)) == date(2014, 2, 28)


def test_a_person_is_marked_on_their_fourteenth_birthday(site_ss):
    resident, guardian = _child_on_guardian(site_ss, date_of_birth=date(2012, 6, 15))
    assert consents_to_renew_at_fourteen(on=date(2026, 6, 14)) == (0, 0)
    resident.refresh_from_db()
    assert resident.own_consent_due_since is None

    assert consents_to_renew_at_fourteen(on=date(2026, 6, 15)) == (1, 0)
    resident.refresh_from_db()
    assert resident.own_consent_due_since == date(2026, 6, 15)
    # The guardian's consent stays on record and still holds.
    assert Consent.objects.in_force(date(2026, 6, 15)).filter(pk=guardian.pk).exists()


def test_born_on_february_29_a_person_turns_14_on_march_1(site_ss):
    _child_on_guardian(site_ss, date_of_birth=date(2012, 2, 29))
    assert consents_to_renew_at_fourteen(on=date(2026, 2, 28)) == (0, 0)
    assert consents_to_renew_at_fourteen(on=date(2026, 3, 1)) == (1, 0)


def test_from_the_birth_year_alone_a_person_is_14_from_january_1(site_ss):
    resident, _ = _child_on_guardian(site_ss, date_of_birth=None, birth_year=2012)
    assert consents_to_renew_at_fourteen(on=date(2025, 12, 31)) == (0, 0)
    assert consents_to_renew_at_fourteen(on=date(2026, 1, 1)) == (1, 0)
    resident.refresh_from_db()
    assert resident.own_consent_due_since == date(2026, 1, 1)


def test_the_rule_is_safe_to_run_again_and_audited_once(site_ss):
    resident, _ = _child_on_guardian(site_ss, date_of_birth=date(2012, 6, 15))
    before = LogEntry.objects.get_for_object(resident).count()
    assert consents_to_renew_at_fourteen(on=date(2026, 6, 15)) == (1, 0)
    assert consents_to_renew_at_fourteen(on=date(2026, 6, 15)) == (0, 0)
    assert consents_to_renew_at_fourteen(on=date(2026, 6, 16)) == (0, 0)
    entries = LogEntry.objects.get_for_object(resident)
    assert entries.count() == before + 1
    assert "own_consent_due_since" in entries.latest("timestamp").changes_dict
    resident.refresh_from_db()
    assert resident.own_consent_due_since == date(2026, 6, 15)


def test_a_person_with_their_own_consent_or_no_guardians_is_not_marked(site_ss):
    own, _ = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    ConsentFactory(resident=own, given_by=Consent.GivenBy.PERSON, given_on=date(2025, 1, 10))
    ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))  # an adult, their own
    _, guardian = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    guardian.withdrawn_on = date(2024, 1, 1)
    guardian.save()
    assert consents_to_renew_at_fourteen(on=_today()) == (0, 0)


def test_the_persons_own_consent_recorded_clears_the_mark(client_as, intervenant_ss, site_ss):
    resident, guardian = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    consents_to_renew_at_fourteen(on=_today())
    resident.refresh_from_db()
    assert resident.own_consent_due_since is not None
    response = _post_consent(client_as(intervenant_ss), resident, purpose=Consent.Purpose.KEEP_FILE)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.own_consent_due_since is None
    assert consents_to_renew_at_fourteen(on=_today()) == (0, 0)
    guardian.refresh_from_db()
    assert guardian.is_in_force


def test_an_own_consent_recorded_elsewhere_clears_the_mark_on_the_next_run(site_ss):
    resident, _ = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    consents_to_renew_at_fourteen(on=_today())
    ConsentFactory(resident=resident, given_by=Consent.GivenBy.PERSON, given_on=_today())
    assert consents_to_renew_at_fourteen(on=_today()) == (0, 1)
    resident.refresh_from_db()
    assert resident.own_consent_due_since is None


def test_the_residents_to_give_their_own_consent_follow_the_sites_a_user_sees(
    intervenant_ss, intervenant_ag, site_ss, django_assert_max_num_queries
):
    resident, _ = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    consents_to_renew_at_fourteen(on=date(2025, 1, 10))
    with django_assert_max_num_queries(1):
        rows = residents_to_give_own_consent(user=intervenant_ss)
    assert [(row.resident_id, row.due_since, row.site_name) for row in rows] == [
        (resident.pk, date(2025, 1, 10), "Saint-Sulpice")
    ]
    assert rows[0].resident_url == resident.get_absolute_url()
    assert residents_to_give_own_consent(user=intervenant_ag) == []
    assert not {"first_name", "last_name", "full_name"} & {
        field.name for field in fields(OwnConsentDue)
    }


def test_the_daily_duties_sum_up_in_counts(site_ss, ending):
    _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    duties = consent_duties(on=_today())
    assert (duties.marked_at_fourteen, duties.cleared_at_fourteen, duties.ending_soon) == (
        1,
        0,
        3,
    )
    assert consent_duties(on=_today()).marked_at_fourteen == 0


def test_the_command_runs_the_duties_for_a_day(site_ss):
    _child_on_guardian(site_ss, date_of_birth=date(2012, 6, 15))
    out = StringIO()
    call_command("consent_duties", "--on", "2026-06-15", stdout=out)
    assert "1 resident(s) marked" in out.getvalue()
    assert "Nadia" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("consent_duties", "--on", "15/06/2026", stdout=StringIO())


# The mark on the pages ------------------------------------------------------------------


@pytest.fixture
def marked(site_ss):
    resident, _ = _child_on_guardian(site_ss, date_of_birth=date(2010, 6, 15))
    consents_to_renew_at_fourteen(on=_today())
    resident.refresh_from_db()
    return resident


def test_the_resident_page_asks_for_the_persons_own_consent(client_as, intervenant_ss, marked):
    response = client_as(intervenant_ss).get(marked.get_absolute_url())
    assert response.status_code == 200
    assert french(DUE) in page_text(response)
    assert "consentement à renouveler par la personne" in page_text(response).lower()


def test_the_household_page_marks_the_member(client_as, intervenant_ss, marked):
    response = client_as(intervenant_ss).get(marked.household.get_absolute_url())
    assert french(DUE) in page_text(response)


def test_an_unmarked_resident_shows_no_mark(client_as, intervenant_ss, resident):
    response = client_as(intervenant_ss).get(resident.get_absolute_url())
    assert french(DUE) not in page_text(response)


def test_the_resident_pages_query_budget_is_unchanged_with_the_mark(
    client_as, direction, marked, django_assert_max_num_queries
):
    client = client_as(direction)
    # The resident page's own budget (tests/residents/test_resident_views.py): the mark adds none.
    with django_assert_max_num_queries(22):
        client.get(marked.get_absolute_url())


@pytest.mark.parametrize("members", [1, 8])
def test_the_household_pages_query_budget_is_unchanged_with_marks(
    client_as, direction, site_ss, members, django_assert_max_num_queries
):
    household = HouseholdFactory(site=site_ss)
    for _ in range(members):
        member = ResidentFactory(household=household, date_of_birth=date(2010, 6, 15))
        ConsentFactory(
            resident=member,
            given_by=Consent.GivenBy.GUARDIAN,
            guardian_name="Nadia Tremblay",
            given_on=date(2020, 1, 10),
            expires_on=_today() + timedelta(days=100),
        )
    consents_to_renew_at_fourteen(on=_today())
    client = client_as(direction)
    with django_assert_max_num_queries(16):
        response = client.get(household.get_absolute_url())
    assert page_text(response).count(french(DUE)) == members
