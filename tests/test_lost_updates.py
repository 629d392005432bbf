"""Two people editing the same record: the later save of a stale copy is refused with a French
message, nothing is overwritten, and what the person typed is still in the form."""

import pytest
from django.urls import reverse

from ema.concurrency import StaleEditError, claim_next_version
from partners.models import Referral
from residents.services import STALE_HOUSEHOLD
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.helpers import french, household_post, member, page_text, referral_post
from tests.partners.factories import OrganisationFactory, ReferralFactory


class TestHouseholds:
    @pytest.fixture
    def household(self, site_ss):
        household = HouseholdFactory(site=site_ss, label="Gagnon", unit="5 app. 2")
        ConsentedResidentFactory(household=household, first_name="Paul", last_name="Gagnon")
        return household

    def _form(self, household, *, version, member_version, **changes):
        resident = household.members.get()
        data = household_post(
            household.site,
            member(
                0,
                id=resident.pk,
                household=household.pk,
                first_name=changes.pop("first_name", resident.first_name),
                last_name=resident.last_name,
                date_of_birth=resident.date_of_birth.isoformat(),
                version=member_version,
            ),
            label=changes.pop("label", household.label),
            unit=household.unit,
            version=version,
        )
        data["members-INITIAL_FORMS"] = "1"
        return data

    def test_the_form_carries_the_versions_it_was_opened_with(
        self, client_as, intervenant_ss, household
    ):
        response = client_as(intervenant_ss).get(
            reverse("residents:household_update", args=[household.pk])
        )
        assert response.context["form"]["version"].value() == 1
        assert response.context["formset"].forms[0]["version"].value() == 1

    def test_a_stale_household_edit_is_refused_and_keeps_the_typed_values(
        self, client_as, intervenant_ss, direction, household
    ):
        url = reverse("residents:household_update", args=[household.pk])
        first = client_as(direction).post(url, self._form(household, version=1, member_version=1))
        assert first.status_code == 302
        late = client_as(intervenant_ss).post(
            url, self._form(household, version=1, member_version=1, label="Gagnon-Roy")
        )
        assert late.status_code == 409
        assert french(STALE_HOUSEHOLD) in page_text(late)
        assert 'value="Gagnon-Roy"' in late.content.decode()
        household.refresh_from_db()
        assert household.label == "Gagnon"
        assert household.version == 2

    def test_a_stale_member_edit_is_refused_and_saves_nothing(
        self, client_as, intervenant_ss, household
    ):
        resident = household.members.get()
        resident.school = "École Saint-Isaac-Jogues"
        claim_next_version(resident, expected=1, message="")
        resident.save()
        response = client_as(intervenant_ss).post(
            reverse("residents:household_update", args=[household.pk]),
            self._form(household, version=1, member_version=1, first_name="Paulo", label="Roy"),
        )
        assert response.status_code == 409
        assert 'value="Paulo"' in response.content.decode()
        household.refresh_from_db()
        resident.refresh_from_db()
        assert (household.label, resident.first_name) == ("Gagnon", "Paul")

    def test_each_save_moves_the_household_to_the_next_version(
        self, client_as, intervenant_ss, household
    ):
        url = reverse("residents:household_update", args=[household.pk])
        client = client_as(intervenant_ss)
        for version in (1, 2, 3):
            data = self._form(household, version=version, member_version=version)
            assert client.post(url, data).status_code == 302
        household.refresh_from_db()
        assert household.version == 4
        assert household.members.get().version == 4

    def test_moving_out_also_moves_the_version(self, client_as, intervenant_ss, household):
        client_as(intervenant_ss).post(
            reverse("residents:household_move_out", args=[household.pk]),
            {"moved_out_on": "2026-01-15"},
        )
        household.refresh_from_db()
        assert household.has_moved_out
        assert household.version == 2


class TestReferrals:
    def test_a_stale_referral_edit_is_refused_and_keeps_the_typed_reason(
        self, client_as, intervenant_ss, coordination, site_ss
    ):
        referral = ReferralFactory(
            resident=ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)),
            responsible=intervenant_ss,
        )
        url = reverse("partners:referral_update", args=[referral.pk])

        def form(reason):
            return referral_post(
                household=referral.household,
                organisation=referral.organisation,
                responsible=referral.responsible,
                resident=referral.resident,
                reason=reason,
                version=1,
            )

        assert client_as(coordination).post(url, form("Premier motif.")).status_code == 302
        late = client_as(intervenant_ss).post(url, form("Motif tapé pendant ce temps."))
        assert late.status_code == 409
        assert "Motif tapé pendant ce temps." in page_text(late)
        referral.refresh_from_db()
        assert referral.reason == "Premier motif."
        assert referral.version == 2


@pytest.mark.django_db
def test_a_write_without_a_version_to_compare_is_never_refused(site_ss):
    referral = ReferralFactory(organisation=OrganisationFactory())
    claim_next_version(referral, expected=None, message="")
    assert referral.version == 2
    with pytest.raises(StaleEditError):
        claim_next_version(Referral.objects.get(pk=referral.pk), expected=7, message="stale")
