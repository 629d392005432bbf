"""The referral form at EMA's size: households and residents picked by typing, and only the
consents and interventions of the household concerned, offered and accepted."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ema.accounts.models import Role
from partners.models import Referral
from partners.selectors import REFERRAL_INTERVENTIONS_LIMIT
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
    UserFactory,
    bulk_households,
    bulk_named_interventions,
    bulk_residents,
)
from tests.helpers import TODAY, referral_post, version_of
from tests.partners.factories import OrganisationFactory, ServiceFactory, ShareConsentFactory

CREATE_URL = reverse("partners:referral_create")
INTERVENTIONS_URL = reverse("partners:referral_intervention_lookup")
CONSENTS_URL = reverse("partners:referral_consent_lookup")


def named_intervention(resident, **values):
    intervention = InterventionFactory(site=resident.household.site, **values)
    ParticipationFactory(intervention=intervention, resident=resident)
    return intervention


def results(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()["results"]


@pytest.fixture
def emas_size(site_ss, site_ag):
    """About EMA's size: 400 households, 1,000 residents, 3,000 interventions naming them,
    30 partners with their services and a team of 15."""
    author = UserFactory(role=Role.INTERVENANT, sites=[site_ss, site_ag])
    for _n in range(14):
        UserFactory(role=Role.INTERVENANT, sites=[site_ss])
    households = bulk_households(200, site=site_ss) + bulk_households(200, site=site_ag)
    residents = bulk_residents(1000, households=households)
    of_ss = [r for r in residents if r.household.site_id == site_ss.pk]
    of_ag = [r for r in residents if r.household.site_id == site_ag.pk]
    bulk_named_interventions(1500, author=author, site=site_ss, residents=of_ss)
    bulk_named_interventions(1500, author=author, site=site_ag, residents=of_ag)
    for n in range(30):
        ServiceFactory.create_batch(3, organisation=OrganisationFactory(name=f"Partenaire {n}"))
    return households


class TestAtEmasSize:
    def test_the_new_referral_page_stays_light(
        self, client_as, coordination, emas_size, django_assert_max_num_queries
    ):
        client = client_as(coordination)
        with django_assert_max_num_queries(12):
            response = client.get(CREATE_URL)
        assert response.status_code == 200
        assert len(response.content) < 100_000

    def test_from_a_household_only_its_latest_interventions_are_listed(
        self, client_as, coordination, emas_size, django_assert_max_num_queries
    ):
        household = emas_size[0]
        client = client_as(coordination)
        with django_assert_max_num_queries(12):
            response = client.get(CREATE_URL, {"household": household.pk})
        assert response.status_code == 200
        assert len(response.content) < 100_000
        offered = list(response.context["form"].fields["interventions"].queryset)
        assert 0 < len(offered) <= REFERRAL_INTERVENTIONS_LIMIT
        assert all(
            intervention.participations.filter(resident__household=household).exists()
            for intervention in offered
        )
        dates = [intervention.date for intervention in offered]
        assert dates == sorted(dates, reverse=True)

    def test_the_intervention_search_costs_the_same_whatever_the_data(
        self, client_as, coordination, emas_size, django_assert_max_num_queries
    ):
        client = client_as(coordination)
        client.post(INTERVENTIONS_URL, {"q": "", "within": emas_size[1].pk})
        with django_assert_max_num_queries(4):
            response = client.post(INTERVENTIONS_URL, {"q": "", "within": emas_size[0].pk})
        assert 0 < len(results(response)) <= REFERRAL_INTERVENTIONS_LIMIT

    def test_the_consent_search_costs_the_same_whatever_the_data(
        self, client_as, coordination, emas_size, django_assert_max_num_queries
    ):
        client = client_as(coordination)
        client.post(CONSENTS_URL, {"within": emas_size[1].pk})
        with django_assert_max_num_queries(4):
            response = client.post(CONSENTS_URL, {"within": emas_size[0].pk})
        assert results(response) == []


class TestTheFormOffersTheHouseholdsOwn:
    def test_a_new_referral_page_lists_no_household_resident_or_intervention(
        self, client_as, intervenant_ss, site_ss
    ):
        # A label no staff member's name can hold: the page lists the staff (who follows up).
        household = HouseholdFactory(site=site_ss, label="Vermettefontaine")
        resident = ConsentedResidentFactory(household=household, first_name="Ondine")
        named_intervention(resident)
        response = client_as(intervenant_ss).get(CREATE_URL)
        page = response.content.decode()
        assert resident.full_name not in page
        assert resident.household.label not in page
        assert 'data-picker-depends-on="id_household"' in page

    def test_from_a_household_the_interventions_of_another_are_not_listed(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        neighbour = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        ours = named_intervention(resident)
        theirs = named_intervention(neighbour)
        response = client_as(intervenant_ss).get(CREATE_URL, {"household": resident.household.pk})
        offered = set(response.context["form"].fields["interventions"].queryset)
        assert ours in offered
        assert theirs not in offered

    def test_an_intervention_of_the_chosen_household_is_linked(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        intervention = named_intervention(resident)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                interventions=[intervention.pk],
            ),
        )
        assert response.status_code == 302
        assert list(Referral.objects.get().interventions.all()) == [intervention]

    @pytest.mark.parametrize("opened_from_the_household", [True, False])
    def test_an_intervention_of_another_household_is_refused(
        self, client_as, intervenant_ss, site_ss, opened_from_the_household
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        neighbour = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        theirs = named_intervention(neighbour)
        url = CREATE_URL
        if opened_from_the_household:
            url = f"{CREATE_URL}?household={resident.household.pk}"
        response = client_as(intervenant_ss).post(
            url,
            referral_post(
                household=resident.household,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                interventions=[theirs.pk],
            ),
        )
        assert response.status_code == 400
        assert "interventions" in response.context["form"].errors
        assert not Referral.objects.exists()

    def test_the_household_chosen_wins_over_the_one_the_page_was_opened_from(
        self, client_as, intervenant_ss, site_ss
    ):
        first = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        chosen = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        intervention = named_intervention(chosen)
        response = client_as(intervenant_ss).post(
            f"{CREATE_URL}?household={first.household.pk}",
            referral_post(
                household=chosen.household,
                resident=chosen,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                interventions=[intervention.pk],
            ),
        )
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert (referral.household, referral.resident) == (chosen.household, chosen)
        assert list(referral.interventions.all()) == [intervention]

    def test_a_consent_of_another_household_is_refused(self, client_as, intervenant_ss, site_ss):
        organisation = OrganisationFactory()
        household = HouseholdFactory(site=site_ss)
        stranger = ShareConsentFactory(
            resident=ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)),
            organisation=organisation,
        )
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=household,
                organisation=organisation,
                responsible=intervenant_ss,
                consent=stranger.pk,
            ),
        )
        assert response.status_code == 400
        assert "consent" in response.context["form"].errors
        assert not Referral.objects.exists()


class TestInterventionLookup:
    def test_it_answers_the_interventions_of_the_household_most_recent_first(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        older = named_intervention(resident, date=TODAY() - timedelta(days=3))
        newer = named_intervention(resident)
        named_intervention(ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)))
        response = client_as(intervenant_ss).post(
            INTERVENTIONS_URL, {"q": "", "within": resident.household.pk}
        )
        answered = [row["value"] for row in results(response)]
        assert answered == [newer.pk, older.pk]

    def test_it_never_answers_those_of_a_household_of_another_site(
        self, client_as, intervenant_ss, site_ag
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ag))
        named_intervention(resident)
        response = client_as(intervenant_ss).post(
            INTERVENTIONS_URL, {"q": "", "within": resident.household.pk}
        )
        assert results(response) == []

    @pytest.mark.parametrize("within", ["", "abc", "999999"])
    def test_without_a_household_it_answers_nothing(self, client_as, coordination, within):
        response = client_as(coordination).post(INTERVENTIONS_URL, {"q": "", "within": within})
        assert results(response) == []

    def test_the_direction_may_not_ask(self, client_as, direction):
        response = client_as(direction).post(INTERVENTIONS_URL, {"q": "", "within": "1"})
        assert response.status_code == 403

    def test_a_get_is_refused(self, client_as, coordination):
        assert client_as(coordination).get(INTERVENTIONS_URL).status_code == 405


class TestConsentLookup:
    def test_it_answers_the_consents_to_share_of_the_household(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        consent = ShareConsentFactory(resident=resident)
        ShareConsentFactory(
            resident=ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        )
        response = client_as(intervenant_ss).post(CONSENTS_URL, {"within": resident.household.pk})
        answered = results(response)
        assert [row["value"] for row in answered] == [consent.pk]
        assert resident.full_name in answered[0]["text"]

    def test_it_never_answers_those_of_a_household_of_another_site(
        self, client_as, intervenant_ss, site_ag
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ag))
        ShareConsentFactory(resident=resident)
        response = client_as(intervenant_ss).post(CONSENTS_URL, {"within": resident.household.pk})
        assert results(response) == []


class TestEditing:
    def test_a_link_older_than_the_list_stays_offered_and_kept(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
        old = named_intervention(resident, date=TODAY() - timedelta(days=400))
        recent = named_intervention(resident)
        organisation = OrganisationFactory()
        client = client_as(intervenant_ss)
        client.post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=organisation,
                responsible=intervenant_ss,
                interventions=[recent.pk],
            ),
        )
        referral = Referral.objects.get()
        referral.interventions.add(old)
        url = reverse("partners:referral_update", args=[referral.pk])
        offered = set(client.get(url).context["form"].fields["interventions"].queryset)
        assert offered == {old, recent}
        response = client.post(
            url,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=organisation,
                responsible=intervenant_ss,
                interventions=[old.pk, recent.pk],
                **version_of(referral),
            ),
        )
        assert response.status_code == 302
        assert set(referral.interventions.all()) == {old, recent}


class TestPartnerLookups:
    def test_active_partners_are_found_by_name(self, client_as, intervenant_ss):
        found = OrganisationFactory(name="Carrefour jeunesse-emploi")
        OrganisationFactory(name="Carrefour fermé", is_active=False)
        OrganisationFactory(name="Banque alimentaire")
        response = client_as(intervenant_ss).post(
            reverse("partners:organisation_lookup"), {"q": "carrefour"}
        )
        assert results(response) == [{"value": found.pk, "text": found.name}]

    def test_the_services_offered_are_the_chosen_partners(self, client_as, intervenant_ss):
        partner = OrganisationFactory()
        service = ServiceFactory(organisation=partner)
        ServiceFactory()
        response = client_as(intervenant_ss).post(
            reverse("partners:service_lookup"), {"within": partner.pk}
        )
        assert results(response) == [{"value": service.pk, "text": service.name}]

    @pytest.mark.parametrize("within", ["", "abc"])
    def test_without_a_partner_no_service_is_offered(self, client_as, intervenant_ss, within):
        ServiceFactory()
        response = client_as(intervenant_ss).post(
            reverse("partners:service_lookup"), {"within": within}
        )
        assert results(response) == []

    def test_the_partner_searches_cost_the_same_whatever_the_data(
        self, client_as, coordination, emas_size, django_assert_max_num_queries
    ):
        client = client_as(coordination)
        partner = OrganisationFactory(name="Partenaire témoin")
        client.post(reverse("partners:organisation_lookup"), {"q": "partenaire"})
        with django_assert_max_num_queries(4):
            response = client.post(reverse("partners:organisation_lookup"), {"q": "partenaire"})
        assert 0 < len(results(response)) <= 20
        with django_assert_max_num_queries(4):
            client.post(reverse("partners:service_lookup"), {"within": partner.pk})

    def test_the_new_referral_page_lists_no_partner_or_service(self, client_as, intervenant_ss):
        service = ServiceFactory(name="Aide à l’emploi d’été")
        response = client_as(intervenant_ss).get(CREATE_URL)
        page = response.content.decode()
        assert service.organisation.name not in page
        assert service.name not in page
        assert 'data-picker-depends-on="id_organisation"' in page
