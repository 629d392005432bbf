"""Households: the list, the page, creating and editing with members, moving out."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interventions.selectors import TIMELINE_ROWS
from partners.models import Referral
from residents.models import Consent, Household, Resident
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    ParticipationFactory,
    bulk_interventions,
)
from tests.helpers import adult, child, french, household_post, member, page_text, version_of
from tests.partners.factories import ReferralFactory

TODAY = timezone.localdate


class TestHouseholdList:
    def test_an_intervenant_sees_only_the_households_of_their_site(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ag, label="Roy")
        response = client_as(intervenant_ss).get(reverse("residents:household_list"))
        labels = [h.label for h in response.context["page_obj"]]
        assert labels == ["Gagnon"]

    def test_coordination_sees_every_site(self, client_as, coordination, site_ss, site_ag):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ag, label="Roy")
        response = client_as(coordination).get(reverse("residents:household_list"))
        assert {h.label for h in response.context["page_obj"]} == {"Gagnon", "Roy"}

    def test_search_finds_a_household_by_a_members_name_or_its_unit(
        self, client_as, direction, site_ss
    ):
        gagnon = HouseholdFactory(site=site_ss, label="Gagnon", unit="10 app. 1")
        ConsentedResidentFactory(household=gagnon, first_name="Anaïs", last_name="Ouellet")
        HouseholdFactory(site=site_ss, label="Roy", unit="22 app. 3")
        client = client_as(direction)
        url = reverse("residents:household_list")

        def found(text):
            response = client.post(url, {"q": text}, follow=True)
            return [h.label for h in response.context["page_obj"]]

        assert found("ouellet") == ["Gagnon"]
        assert found("22 app") == ["Roy"]

    def test_a_search_by_name_never_shows_the_name_in_the_address(
        self, client_as, intervenant_ss, site_ss
    ):
        gagnon = HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ss, label="Roy")
        client = client_as(intervenant_ss)
        url = reverse("residents:household_list")
        response = client.post(url, {"q": "Gagnon", "site": site_ss.pk})
        assert response.status_code == 302
        assert "Gagnon" not in response["Location"]
        assert f"site={site_ss.pk}" in response["Location"]
        page = client.get(response["Location"])
        assert list(page.context["page_obj"]) == [gagnon]
        assert 'value="Gagnon"' in page.content.decode()
        # The search stays with its token: the plain list shows everyone again.
        assert page.context["page_obj"].paginator.count == 1
        assert client.get(url).context["page_obj"].paginator.count == 2

    def test_a_name_typed_in_the_address_is_ignored(self, client_as, intervenant_ss, site_ss):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ss, label="Roy")
        response = client_as(intervenant_ss).get(
            reverse("residents:household_list"), {"q": "Gagnon"}
        )
        assert response.context["page_obj"].paginator.count == 2

    def test_clearing_the_search_shows_every_household(self, client_as, intervenant_ss, site_ss):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ss, label="Roy")
        client = client_as(intervenant_ss)
        url = reverse("residents:household_list")
        client.post(url, {"q": "Gagnon"})
        response = client.post(url, {"q": "Gagnon", "clear": "1"}, follow=True)
        assert response.context["page_obj"].paginator.count == 2
        assert response.redirect_chain[-1][0] == url

    def test_another_persons_token_recalls_nothing(self, client_as, intervenant_ss, site_ss):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ss, label="Roy")
        mine = client_as(intervenant_ss)
        location = mine.post(reverse("residents:household_list"), {"q": "Gagnon"})["Location"]
        other = Client()
        other.force_login(intervenant_ss)
        assert other.get(location).context["page_obj"].paginator.count == 2

    def test_filters_by_site_and_status(self, client_as, direction, site_ss, site_ag):
        HouseholdFactory(site=site_ss, label="Gagnon")
        HouseholdFactory(site=site_ag, label="Roy")
        HouseholdFactory(
            site=site_ag, label="Parti", status=Household.Status.MOVED_OUT, moved_out_on=TODAY()
        )
        client = client_as(direction)
        url = reverse("residents:household_list")
        by_site = client.get(url, {"site": site_ag.pk}).context["page_obj"]
        assert {h.label for h in by_site} == {"Roy", "Parti"}
        moved = client.get(url, {"status": Household.Status.MOVED_OUT}).context["page_obj"]
        assert [h.label for h in moved] == ["Parti"]

    def test_the_list_is_paginated(self, client_as, direction, site_ss):
        HouseholdFactory.create_batch(30, site=site_ss)
        response = client_as(direction).get(reverse("residents:household_list"), {"page": 2})
        assert len(response.context["page_obj"]) == 5
        assert response.context["page_obj"].paginator.count == 30

    @pytest.mark.parametrize("households", [3, 60])
    def test_query_count_does_not_grow_with_households(
        self, client_as, intervenant_ss, site_ss, households, django_assert_max_num_queries
    ):
        for household in HouseholdFactory.create_batch(households, site=site_ss):
            ConsentedResidentFactory(household=household)
        client = client_as(intervenant_ss)
        searched = client.post(reverse("residents:household_list"), {"q": "a"})["Location"]
        with django_assert_max_num_queries(6):
            client.get(searched)


class TestHouseholdPage:
    def test_shows_members_and_their_consents(self, client_as, intervenant_ss, site_ss):
        household = HouseholdFactory(site=site_ss)
        ConsentedResidentFactory(household=household, first_name="Mireille")
        response = client_as(intervenant_ss).get(household.get_absolute_url())
        assert response.status_code == 200
        assert "Mireille" in response.content.decode()

    def test_an_intervenant_of_another_site_gets_404(self, client_as, intervenant_ag, site_ss):
        household = HouseholdFactory(site=site_ss)
        assert client_as(intervenant_ag).get(household.get_absolute_url()).status_code == 404

    def test_the_direction_sees_the_history_and_an_intervenant_does_not(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        assert client_as(direction).get(household.get_absolute_url()).context["history"] is not None
        assert (
            client_as(intervenant_ss).get(household.get_absolute_url()).context["history"] is None
        )

    @pytest.mark.parametrize("members", [1, 8])
    def test_query_count_does_not_grow_with_members(
        self, client_as, direction, site_ss, members, django_assert_max_num_queries
    ):
        household = HouseholdFactory(site=site_ss)
        for _ in range(members):
            member = ConsentedResidentFactory(household=household)
            for _ in range(3):
                ParticipationFactory(resident=member, intervention__site=site_ss)
        client = client_as(direction)
        # the household, members and consents, the history, the timeline, the referrals,
        # the case discussions of team meetings (and who attended) and the read log; and the
        # verified device
        with django_assert_max_num_queries(18):
            response = client.get(household.get_absolute_url())
        assert len(response.context["members"]) == members

    @pytest.mark.parametrize("named", [3, 30])
    def test_query_count_does_not_grow_with_the_households_history(
        self, client_as, intervenant_ss, site_ss, named, django_assert_max_num_queries
    ):
        """Ten times the interventions naming its members, and as many on the rest of the
        site: the same queries, the same 20 rows shown."""
        household = HouseholdFactory(site=site_ss)
        member = ConsentedResidentFactory(household=household)
        for _ in range(named):
            ParticipationFactory(resident=member, intervention__site=site_ss)
        bulk_interventions(named * 10, author=intervenant_ss, site=site_ss)
        client = client_as(intervenant_ss)
        # session and user, the household, the read log, members and consents, the reader's
        # sites, the timeline and the people it names, the case discussions, the referrals
        with django_assert_max_num_queries(11):
            response = client.get(household.get_absolute_url())
        assert len(response.context["timeline"]) == min(named, TIMELINE_ROWS)

    def test_the_timeline_shows_the_latest_and_leads_to_all_of_them(
        self, client_as, intervenant_ss, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        members = ConsentedResidentFactory.create_batch(2, household=household)
        for days in range(TIMELINE_ROWS + 5):
            ParticipationFactory(
                resident=members[days % 2],
                intervention__site=site_ss,
                intervention__date=TODAY() - timedelta(days=days),
            )
        ParticipationFactory(intervention__site=site_ss)  # someone else's
        client = client_as(intervenant_ss)
        page = client.get(household.get_absolute_url())
        shown = page.context["timeline"]
        assert len(shown) == TIMELINE_ROWS
        assert shown[0].date == TODAY()
        assert "Toutes les interventions qui nomment un membre de ce ménage" in page_text(page)
        listed = client.get(page.context["timeline_more_url"])
        assert listed.context["page"].count == TIMELINE_ROWS + 5
        assert listed.context["filters"]["household"] == household
        assert "Interventions qui nomment un membre du ménage" in page_text(listed)

    def test_the_list_of_a_household_of_another_site_is_no_filter(
        self, client_as, intervenant_ag, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        ParticipationFactory(
            resident=ConsentedResidentFactory(household=household), intervention__site=site_ss
        )
        listed = client_as(intervenant_ag).get(
            reverse("interventions:intervention_list"), {"household": household.pk}
        )
        assert listed.status_code == 200
        assert "household" in listed.context["form"].errors
        assert not listed.context["page"].rows


class TestHouseholdCreate:
    def test_creates_a_household_with_an_adult_and_a_child_with_a_guardians_consent(
        self, client_as, intervenant_ss, site_ss
    ):
        response = client_as(intervenant_ss).post(
            reverse("residents:household_create"), household_post(site_ss, adult(0), child(1))
        )
        household = Household.objects.get(label="Tremblay")
        assert response.status_code == 302
        assert response["Location"] == household.get_absolute_url()
        assert household.members.count() == 2
        léo = household.members.get(first_name="Léo")
        consent = léo.consents.get()
        assert consent.purpose == Consent.Purpose.KEEP_FILE
        assert consent.given_by == Consent.GivenBy.GUARDIAN
        assert consent.guardian_name == "Nadia Tremblay"
        assert consent.obtained_by == intervenant_ss

    def test_a_minor_under_14_without_a_guardians_consent_saves_nothing_and_keeps_the_input(
        self, client_as, intervenant_ss, site_ss
    ):
        data = household_post(
            site_ss, adult(0), child(1, consent_given_by=Consent.GivenBy.PERSON, guardian_name="")
        )
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert not Household.objects.exists()
        assert not Resident.objects.exists()
        member_form = response.context["formset"].forms[1]
        assert "consent_given_by" in member_form.errors
        assert member_form["first_name"].value() == "Léo"

    def test_a_member_without_consent_cannot_be_named(self, client_as, intervenant_ss, site_ss):
        data = household_post(site_ss, adult(0, consent_confirmed=""))
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "consent_confirmed" in response.context["formset"].forms[0].errors
        assert not Household.objects.exists()

    def test_a_future_date_of_birth_is_shown_next_to_the_field(
        self, client_as, intervenant_ss, site_ss
    ):
        future = (TODAY() + timedelta(days=3)).isoformat()
        data = household_post(site_ss, adult(0, date_of_birth=future))
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "date_of_birth" in response.context["formset"].forms[0].errors

    def test_a_household_without_a_site_is_refused(self, client_as, intervenant_ss, site_ss):
        data = household_post(site_ss, adult(0))
        data["site"] = ""
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "site" in response.context["form"].errors
        assert response.context["form"]["label"].value() == "Tremblay"

    def test_an_intervenant_cannot_create_a_household_on_another_site(
        self, client_as, intervenant_ss, site_ag
    ):
        data = household_post(site_ag, adult(0))
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "site" in response.context["form"].errors
        assert not Household.objects.exists()

    def test_a_second_active_household_on_the_same_unit_is_refused(
        self, client_as, intervenant_ss, site_ss
    ):
        HouseholdFactory(site=site_ss, unit="1250, app. 4")
        data = household_post(site_ss, adult(0))
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "unit" in response.context["form"].errors

    def test_an_over_long_name_is_refused(self, client_as, intervenant_ss, site_ss):
        data = household_post(site_ss, adult(0, first_name="A" * 81))
        response = client_as(intervenant_ss).post(reverse("residents:household_create"), data)
        assert response.status_code == 400
        assert "first_name" in response.context["formset"].forms[0].errors

    def test_a_household_needs_a_member(self, client_as, intervenant_ss, site_ss):
        response = client_as(intervenant_ss).post(
            reverse("residents:household_create"), household_post(site_ss)
        )
        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()


class TestHouseholdEdit:
    def _existing(self, site):
        household = HouseholdFactory(site=site, label="Gagnon", unit="5 app. 2")
        resident = ConsentedResidentFactory(household=household, first_name="Paul")
        return household, resident

    def _post(self, household, resident, *new_members, **changes):
        data = household_post(
            household.site,
            member(
                0,
                id=resident.pk,
                household=household.pk,
                first_name=resident.first_name,
                last_name=resident.last_name,
                date_of_birth=resident.date_of_birth.isoformat(),
                **version_of(resident),
            ),
            *new_members,
            label=household.label,
            unit=household.unit,
            **version_of(household),
        )
        data["members-INITIAL_FORMS"] = "1"
        data["members-TOTAL_FORMS"] = str(1 + len(new_members))
        data.update(changes)
        return data

    def test_edits_the_household_and_adds_a_member(self, client_as, intervenant_ss, site_ss):
        household, resident = self._existing(site_ss)
        data = self._post(household, resident, child(1), languages="français, arabe")
        response = client_as(intervenant_ss).post(
            reverse("residents:household_update", args=[household.pk]), data
        )
        assert response.status_code == 302
        household.refresh_from_db()
        assert household.languages == "français, arabe"
        assert household.members.count() == 2

    def _leaving(self, household, resident, other, **values):
        data = self._post(household, resident)
        data.update(
            member(
                1,
                id=other.pk,
                household=household.pk,
                first_name=other.first_name,
                last_name=other.last_name,
                date_of_birth=other.date_of_birth.isoformat(),
                **version_of(other),
                **values,
            )
        )
        data["members-INITIAL_FORMS"] = data["members-TOTAL_FORMS"] = "2"
        return data

    def test_a_member_who_leaves_keeps_their_file_consents_and_history(
        self, client_as, intervenant_ss, site_ss
    ):
        household, resident = self._existing(site_ss)
        other = ConsentedResidentFactory(household=household)
        participation = ParticipationFactory(resident=other, intervention__site=site_ss)
        referral = ReferralFactory(resident=other)
        left_on = TODAY() - timedelta(days=3)
        response = client_as(intervenant_ss).post(
            reverse("residents:household_update", args=[household.pk]),
            self._leaving(household, resident, other, left_on=left_on.isoformat()),
        )
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.left_on == left_on
        assert other.household == household
        assert other.consents.count() == 1
        assert list(other.participations.all()) == [participation]
        assert Referral.objects.get(pk=referral.pk).resident == other
        # The household page still lists them, as someone who left.
        page = client_as(intervenant_ss).get(household.get_absolute_url())
        assert other in page.context["members"]

    def test_the_member_form_offers_no_deletion(self, client_as, intervenant_ss, site_ss):
        household, _ = self._existing(site_ss)
        response = client_as(intervenant_ss).get(
            reverse("residents:household_update", args=[household.pk])
        )
        form = response.context["formset"].forms[0]
        assert "DELETE" not in form.fields
        assert "left_on" in form.fields
        assert "DELETE" not in response.content.decode()

    def test_a_departure_date_in_the_future_is_refused_in_french(
        self, client_as, intervenant_ss, site_ss
    ):
        household, resident = self._existing(site_ss)
        other = ConsentedResidentFactory(household=household)
        data = self._leaving(
            household, resident, other, left_on=(TODAY() + timedelta(days=2)).isoformat()
        )
        response = client_as(intervenant_ss).post(
            reverse("residents:household_update", args=[household.pk]), data
        )
        assert response.status_code == 400
        assert response.context["formset"].forms[1].errors["left_on"] == [
            french("The departure date cannot be in the future.")
        ]
        other.refresh_from_db()
        assert other.left_on is None

    def test_everyone_leaving_is_a_move_out_not_an_empty_household(
        self, client_as, intervenant_ss, site_ss
    ):
        household, resident = self._existing(site_ss)
        data = self._post(household, resident, **{"members-0-left_on": TODAY().isoformat()})
        response = client_as(intervenant_ss).post(
            reverse("residents:household_update", args=[household.pk]), data
        )
        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()
        resident.refresh_from_db()
        assert resident.left_on is None

    def test_an_intervenant_of_another_site_cannot_edit(self, client_as, intervenant_ag, site_ss):
        household, resident = self._existing(site_ss)
        response = client_as(intervenant_ag).post(
            reverse("residents:household_update", args=[household.pk]),
            self._post(household, resident, label="Piraté"),
        )
        assert response.status_code == 404
        household.refresh_from_db()
        assert household.label == "Gagnon"

    def test_a_moved_out_household_is_closed_to_intervenants(
        self, client_as, intervenant_ss, direction, site_ss
    ):
        household, _ = self._existing(site_ss)
        household.status, household.moved_out_on = Household.Status.MOVED_OUT, TODAY()
        household.save()
        url = reverse("residents:household_update", args=[household.pk])
        assert client_as(intervenant_ss).get(url).status_code == 403
        assert client_as(direction).get(url).status_code == 200


class TestMoveOut:
    def test_records_the_move_out_and_frees_the_unit(self, client_as, intervenant_ss, site_ss):
        household = HouseholdFactory(site=site_ss, unit="7")
        response = client_as(intervenant_ss).post(
            reverse("residents:household_move_out", args=[household.pk]),
            {"moved_out_on": TODAY().isoformat()},
        )
        assert response.status_code == 302
        household.refresh_from_db()
        assert household.status == Household.Status.MOVED_OUT
        assert household.moved_out_on == TODAY()
        Household(site=site_ss, unit="7", label="Nouveau").full_clean()

    def test_a_future_move_out_date_is_refused(self, client_as, intervenant_ss, site_ss):
        household = HouseholdFactory(site=site_ss)
        response = client_as(intervenant_ss).post(
            reverse("residents:household_move_out", args=[household.pk]),
            {"moved_out_on": (TODAY() + timedelta(days=10)).isoformat()},
        )
        assert response.status_code == 400
        assert "moved_out_on" in response.context["form"].errors
        household.refresh_from_db()
        assert household.status == Household.Status.ACTIVE
