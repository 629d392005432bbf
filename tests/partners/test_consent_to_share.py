"""A consent to share names an organisation of the directory, not a string: the referral checks
it by identity, older texts are matched once (quotes, accents, case and spaces aside), and the
consent a draft referral waits for is recorded from the referral's page and attached to it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral, Status
from partners.services import consent_problem, referral_set_status
from residents.models import Consent
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.helpers import once
from tests.partners.factories import OrganisationFactory, ReferralFactory
from tests.security.pages import read_page

MIGRATION = importlib.import_module("residents.migrations.0004_share_consents_name_an_organisation")


def _older_consent(resident, text):
    return Consent.objects.create(
        resident=resident,
        purpose=Consent.Purpose.SHARE,
        partner_name=text,
        given_on=timezone.localdate(),
        obtained_by=resident.consents.filter(purpose=Consent.Purpose.KEEP_FILE).get().obtained_by,
    )


@pytest.mark.parametrize(
    "typed",
    ["CLSC d’Ahuntsic", "  clsc d'ahuntsic ", "CLSC  d‘Ahuntsic", "Clsc d'Ahuntsic"],
)
def test_the_migration_matches_a_text_typed_as_a_phone_types_it(site_ss, typed, capsys):
    clsc = OrganisationFactory(name="CLSC d'Ahuntsic")
    consent = _older_consent(ConsentedResidentFactory(household__site=site_ss), typed)

    MIGRATION.match_partners(apps, None)

    consent.refresh_from_db()
    assert (consent.partner, consent.partner_name) == (clsc, "")
    assert "name no organisation" not in capsys.readouterr().out


def test_the_migration_matches_accents_and_lists_what_it_could_not_match(site_ss, capsys):
    cafe = OrganisationFactory(name="Café de la Famille")
    resident = ConsentedResidentFactory(household__site=site_ss)
    matched = _older_consent(resident, "cafe de la famille")
    unknown = _older_consent(resident, "Maison inconnue")

    MIGRATION.match_partners(apps, None)

    matched.refresh_from_db()
    unknown.refresh_from_db()
    assert matched.partner == cafe
    assert (unknown.partner, unknown.partner_name) == (None, "Maison inconnue")
    listed = capsys.readouterr().out
    assert f"consent {unknown.pk}: 'Maison inconnue'" in listed
    # An unmatched consent shares nothing until a person chooses its organisation.
    referral = ReferralFactory(resident=resident, organisation=cafe, consent=unknown)
    assert consent_problem(referral)


def test_a_consent_to_the_partner_itself_lets_the_referral_go_whatever_its_spelling(site_ss):
    clsc = OrganisationFactory(name="CLSC d’Ahuntsic")
    referral = ReferralFactory(
        resident=ConsentedResidentFactory(household__site=site_ss),
        organisation=clsc,
        consented=True,
    )
    assert referral.consent.partner == clsc
    referral_set_status(referral=referral, status=Status.SENT, by=referral.responsible)
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


class TestFromTheReferralsPage:
    @pytest.fixture
    def draft(self, site_ss, intervenant_ss):
        return ReferralFactory(
            resident=ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)),
            organisation=OrganisationFactory(name="Banque alimentaire"),
            responsible=intervenant_ss,
        )

    def test_the_page_of_a_draft_waiting_for_consent_offers_to_record_it(
        self, client_as, intervenant_ss, draft
    ):
        page = client_as(intervenant_ss).get(draft.get_absolute_url())
        url = reverse("partners:referral_consent_create", args=[draft.pk])
        assert f'href="{url}"' in page.content.decode()

    def test_the_consent_recorded_there_names_the_partner_and_is_attached(
        self, client_as, intervenant_ss, draft
    ):
        client = client_as(intervenant_ss)
        url = reverse("partners:referral_consent_create", args=[draft.pk])
        page = client.get(url)
        form = read_page(page, url).form_to("partners:referral_consent_create")
        # The purpose and the partner are the referral's: shown, not chosen.
        assert {"purpose", "partner"}.isdisjoint(form.names)

        response = client.post(url, form.data())

        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        draft.refresh_from_db()
        consent = draft.consent
        assert (consent.purpose, consent.partner, consent.resident, consent.obtained_by) == (
            Consent.Purpose.SHARE,
            draft.organisation,
            draft.resident,
            intervenant_ss,
        )
        assert consent_problem(draft) is None
        referral_set_status(referral=draft, status=Status.SENT, by=intervenant_ss)

    def test_a_household_referral_asks_which_member_gives_it(
        self, client_as, intervenant_ss, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        members = ConsentedResidentFactory.create_batch(2, household=household)
        referral = ReferralFactory(resident=None, household=household, responsible=intervenant_ss)
        client = client_as(intervenant_ss)
        page = client.get(referral.get_absolute_url()).content.decode()
        url = reverse("partners:referral_consent_create", args=[referral.pk])
        for member in members:
            assert f"{url}?resident={member.pk}" in page
        assert client.get(url).status_code == 404
        stranger = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        assert client.get(url, {"resident": stranger.pk}).status_code == 404
        response = client.post(
            f"{url}?resident={members[1].pk}",
            {**once(), "given_by": "person", "given_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.consent.resident == members[1]

    def test_the_direction_reads_referrals_but_records_no_consent_there(
        self, client_as, direction, draft
    ):
        url = reverse("partners:referral_consent_create", args=[draft.pk])
        assert client_as(direction).get(url).status_code == 403
