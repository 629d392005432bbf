"""Referral pages: creating and editing, the page and its status changes, who may do what,
and the referrals listed on household and resident pages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from partners.models import Referral, ReferralEvent, Status
from partners.services import consent_problem
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import REFERRAL_REASON, referral_post, version_of
from tests.partners.factories import (
    OrganisationFactory,
    ReferralFactory,
    ServiceFactory,
    ShareConsentFactory,
    move,
)

CREATE_URL = reverse("partners:referral_create")
REASON = REFERRAL_REASON


def update_url(referral):
    return reverse("partners:referral_update", args=[referral.pk])


def status_url(referral):
    return reverse("partners:referral_status", args=[referral.pk])


def resident_of(site, **values):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site), **values)


def error_messages(form) -> list[str]:
    return [str(message) for message in form.non_field_errors()]


class TestCreate:
    def test_the_form_names_me_responsible_by_default(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).get(CREATE_URL, {"resident": resident.pk})
        assert response.status_code == 200
        assert response.context["form"]["responsible"].value() == intervenant_ss.pk

    @pytest.mark.parametrize("through", ["resident", "household"])
    def test_the_form_starts_from_the_household_in_the_address(
        self, client_as, intervenant_ss, site_ss, through
    ):
        resident = resident_of(site_ss)
        params = {"resident": resident.pk, "household": resident.household.pk}
        response = client_as(intervenant_ss).get(CREATE_URL, {through: params[through]})
        assert response.status_code == 200
        assert response.context["form"]["household"].value() == resident.household.pk

    def test_the_form_shares_nothing_by_default(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).get(CREATE_URL, {"resident": resident.pk})
        form = response.context["form"]
        assert form["resident"].value() == resident.pk
        assert form["information_shared"].value() == ""
        assert not form["consent"].value()

    def test_an_intervenant_creates_a_draft_for_a_resident_of_their_site(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = resident_of(site_ss)
        organisation = OrganisationFactory()
        response = client_as(intervenant_ss).post(
            f"{CREATE_URL}?resident={resident.pk}",
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=organisation,
                responsible=intervenant_ss,
            ),
        )
        referral = Referral.objects.get()
        assert response.status_code == 302
        assert response["Location"] == referral.get_absolute_url()
        assert referral.status == Status.DRAFT
        assert (referral.resident, referral.household) == (resident, resident.household)
        assert referral.site == site_ss
        assert referral.responsible == referral.created_by == intervenant_ss
        assert referral.reason == REASON
        event = referral.events.get()
        assert (event.old_status, event.new_status, event.by) == ("", Status.DRAFT, intervenant_ss)

    def test_a_household_referral_names_no_resident(self, client_as, coordination, site_ss):
        household = HouseholdFactory(site=site_ss)
        response = client_as(coordination).post(
            CREATE_URL,
            referral_post(
                household=household, organisation=OrganisationFactory(), responsible=coordination
            ),
        )
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert referral.resident is None
        assert (referral.household, referral.site) == (household, site_ss)

    def _refused(self, response, field):
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert response.context["form"]["reason"].value() == REASON
        assert not Referral.objects.exists()
        assert not ReferralEvent.objects.exists()

    def test_a_household_of_another_site_is_refused(self, client_as, intervenant_ss, site_ag):
        household = HouseholdFactory(site=site_ag)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=household, organisation=OrganisationFactory(), responsible=intervenant_ss
            ),
        )
        self._refused(response, "household")

    def test_a_resident_who_is_not_of_the_household_is_refused(
        self, client_as, intervenant_ss, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        neighbour = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=household,
                resident=neighbour,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
            ),
        )
        self._refused(response, "resident")

    def test_a_resident_who_is_not_of_the_household_in_the_address_is_refused(
        self, client_as, intervenant_ss, site_ss
    ):
        household = HouseholdFactory(site=site_ss)
        neighbour = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            f"{CREATE_URL}?household={household.pk}",
            referral_post(
                household=household,
                resident=neighbour,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
            ),
        )
        self._refused(response, "resident")

    def test_another_persons_consent_is_refused(self, client_as, intervenant_ss, site_ss):
        organisation = OrganisationFactory()
        resident = resident_of(site_ss)
        brother = ConsentedResidentFactory(household=resident.household)
        consent = ShareConsentFactory(resident=brother, organisation=organisation)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=organisation,
                responsible=intervenant_ss,
                consent=consent.pk,
            ),
        )
        self._refused(response, "consent")

    def test_an_exception_to_consent_without_justification_is_refused(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                consent_exception=Referral.ConsentException.SAFETY,
            ),
        )
        self._refused(response, "exception_justification")

    def test_a_service_of_another_partner_is_refused(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                service=ServiceFactory().pk,
            ),
        )
        self._refused(response, "service")

    def test_an_inactive_partner_cannot_be_chosen(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(is_active=False),
                responsible=intervenant_ss,
            ),
        )
        self._refused(response, "organisation")

    def test_a_household_referral_refuses_the_consent_of_someone_outside_the_household(
        self, client_as, intervenant_ss, site_ss
    ):
        organisation = OrganisationFactory()
        household = HouseholdFactory(site=site_ss)
        neighbour = resident_of(site_ss)
        consent = ShareConsentFactory(resident=neighbour, organisation=organisation)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=household,
                organisation=organisation,
                responsible=intervenant_ss,
                consent=consent.pk,
            ),
        )
        self._refused(response, "consent")

    def test_a_referral_without_a_reason_is_refused(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(),
                responsible=intervenant_ss,
                reason="",
            ),
        )
        assert response.status_code == 400
        assert "reason" in response.context["form"].errors
        assert not Referral.objects.exists()

    def test_the_direction_cannot_create_a_referral(self, client_as, direction, site_ss):
        resident = resident_of(site_ss)
        client = client_as(direction)
        assert client.get(CREATE_URL).status_code == 403
        response = client.post(
            CREATE_URL,
            referral_post(
                household=resident.household,
                resident=resident,
                organisation=OrganisationFactory(),
                responsible=direction,
            ),
        )
        assert response.status_code == 403
        assert not Referral.objects.exists()

    def test_a_resident_of_another_site_in_the_address_gets_404(
        self, client_as, intervenant_ss, site_ag
    ):
        resident = resident_of(site_ag)
        response = client_as(intervenant_ss).get(CREATE_URL, {"resident": resident.pk})
        assert response.status_code == 404


class TestUpdate:
    def test_an_intervenant_edits_an_open_referral(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(
            resident=resident_of(site_ss), responsible=intervenant_ss, consented=True
        )
        referral = move(referral, Status.SENT)
        response = client_as(intervenant_ss).post(
            update_url(referral),
            referral_post(
                household=referral.household,
                resident=referral.resident,
                organisation=referral.organisation,
                responsible=intervenant_ss,
                consent=referral.consent_id,
                reason="Motif précisé après l'appel.",
                urgency=Referral.Urgency.PRIORITY,
                **version_of(referral),
            ),
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.reason == "Motif précisé après l'appel."
        assert referral.urgency == Referral.Urgency.PRIORITY
        assert referral.status == Status.SENT
        assert referral.version == 3

    @pytest.mark.parametrize("status", [Status.COMPLETED, Status.REFUSED, Status.CANCELLED])
    def test_a_closed_referral_cannot_be_edited(self, client_as, intervenant_ss, site_ss, status):
        referral = ReferralFactory(
            resident=resident_of(site_ss), responsible=intervenant_ss, consented=True, status=status
        )
        client = client_as(intervenant_ss)
        response = client.get(update_url(referral))
        assert response.status_code == 302
        assert response["Location"] == referral.get_absolute_url()
        assert len(list(get_messages(response.wsgi_request))) == 1
        response = client.post(
            update_url(referral),
            referral_post(
                household=referral.household,
                resident=referral.resident,
                organisation=referral.organisation,
                responsible=intervenant_ss,
                reason="Modifié après la fermeture.",
            ),
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.reason == ReferralFactory.reason

    def test_the_direction_cannot_edit(self, client_as, direction, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss))
        assert client_as(direction).get(update_url(referral)).status_code == 403


class TestDetail:
    def test_shows_the_referral_and_its_steps(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        referral = move(referral, Status.SENT, by=intervenant_ss)
        response = client_as(intervenant_ss).get(referral.get_absolute_url())
        assert response.status_code == 200
        assert response.context["referral"] == referral
        assert [e.new_status for e in response.context["events"]] == [Status.DRAFT, Status.SENT]
        assert response.context["can_act"]
        assert response.context["status_form"] is not None

    def test_a_draft_without_consent_shows_the_problem_before_sending(
        self, client_as, intervenant_ss, site_ss
    ):
        referral = ReferralFactory(resident=resident_of(site_ss))
        response = client_as(intervenant_ss).get(referral.get_absolute_url())
        with translation.override("fr-ca"):
            expected = consent_problem(referral)
        assert response.context["consent_problem"] == expected
        assert expected in response.content.decode()

    def test_the_direction_reads_the_referral_but_cannot_act(self, client_as, direction, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss))
        response = client_as(direction).get(referral.get_absolute_url())
        assert response.status_code == 200
        assert not response.context["can_act"]
        assert response.context["status_form"] is None
        assert update_url(referral) not in response.content.decode()

    def test_a_closed_referral_offers_no_next_step(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), status=Status.CANCELLED)
        response = client_as(intervenant_ss).get(referral.get_absolute_url())
        assert response.status_code == 200
        assert response.context["status_form"] is None

    def test_an_intervenant_of_another_site_gets_404(self, client_as, intervenant_ag, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        client = client_as(intervenant_ag)
        assert client.get(referral.get_absolute_url()).status_code == 404
        assert client.get(update_url(referral)).status_code == 404
        response = client.post(status_url(referral), {"status": Status.SENT})
        assert response.status_code == 404
        referral.refresh_from_db()
        assert referral.status == Status.DRAFT

    @pytest.mark.parametrize("events", [1, 15])
    def test_query_count_does_not_grow_with_steps(
        self, client_as, intervenant_ss, site_ss, events, django_assert_max_num_queries
    ):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        authors = [UserFactory(sites=[site_ss]) for _ in range(3)]
        ReferralEvent.objects.bulk_create(
            ReferralEvent(
                referral=referral,
                old_status=Status.DRAFT,
                new_status=Status.DRAFT,
                by=authors[index % 3],
                note=f"Relance {index}",
            )
            for index in range(events - 1)
        )
        referral.themes.set(ThemeFactory(name=f"Thème {index}") for index in range(events))
        referral.interventions.set(
            InterventionFactory.create_batch(events, site=site_ss, author=authors[0])
        )
        client = client_as(intervenant_ss)
        # session, user, the user's sites (who may be named), the referral and its people,
        # steps, partner links, themes, interventions
        with django_assert_max_num_queries(8):
            response = client.get(referral.get_absolute_url())
        assert len(response.context["events"]) == events
        assert len(response.context["interventions"]) == events


class TestStatusChange:
    def test_sending_without_consent_is_refused_with_the_reason_shown(
        self, client_as, intervenant_ss, site_ss
    ):
        referral = ReferralFactory(resident=resident_of(site_ss))
        response = client_as(intervenant_ss).post(status_url(referral), {"status": Status.SENT})
        assert response.status_code == 400
        with translation.override("fr-ca"):
            expected = consent_problem(referral)
        assert expected in error_messages(response.context["status_form"])
        assert expected in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == Status.DRAFT
        assert referral.events.count() == 1

    def test_sending_with_consent_moves_the_referral(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        response = client_as(intervenant_ss).post(
            status_url(referral), {"status": Status.SENT, "note": "Envoyée par courriel."}
        )
        assert response.status_code == 302
        assert response["Location"] == referral.get_absolute_url()
        referral.refresh_from_db()
        assert referral.status == Status.SENT
        event = referral.events.latest("at", "pk")
        assert (event.new_status, event.by, event.note) == (
            Status.SENT,
            intervenant_ss,
            "Envoyée par courriel.",
        )

    def test_a_forbidden_move_is_refused(self, client_as, coordination, site_ss):
        referral = ReferralFactory(
            resident=resident_of(site_ss), consented=True, status=Status.SENT
        )
        response = client_as(coordination).post(
            status_url(referral), {"status": Status.COMPLETED, "outcome": Referral.Outcome.MET}
        )
        assert response.status_code == 400
        assert "status" in response.context["status_form"].errors
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_completing_without_an_outcome_is_refused(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(
            resident=resident_of(site_ss), consented=True, status=Status.ACCEPTED
        )
        response = client_as(intervenant_ss).post(
            status_url(referral), {"status": Status.COMPLETED, "outcome": ""}
        )
        assert response.status_code == 400
        assert "outcome" in response.context["status_form"].errors
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED

    def test_completing_with_an_outcome(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(
            resident=resident_of(site_ss), consented=True, status=Status.ACCEPTED
        )
        response = client_as(intervenant_ss).post(
            status_url(referral),
            {"status": Status.COMPLETED, "outcome": Referral.Outcome.PARTLY_MET},
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert (referral.status, referral.outcome) == (
            Status.COMPLETED,
            Referral.Outcome.PARTLY_MET,
        )

    def test_a_closed_referral_takes_no_other_status(self, client_as, coordination, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), status=Status.CANCELLED)
        response = client_as(coordination).post(status_url(referral), {"status": Status.DRAFT})
        assert response.status_code == 400
        referral.refresh_from_db()
        assert referral.status == Status.CANCELLED
        assert referral.events.count() == 2

    def test_a_move_made_impossible_by_a_colleagues_is_refused(
        self, client_as, intervenant_ss, coordination, site_ss
    ):
        referral = ReferralFactory(
            resident=resident_of(site_ss), consented=True, status=Status.SENT
        )
        # Both had the page open on "sent"; the coordinator accepted first.
        client_as(coordination).post(status_url(referral), {"status": Status.ACCEPTED})
        response = client_as(intervenant_ss).post(status_url(referral), {"status": Status.REFUSED})
        assert response.status_code == 400
        assert response.context["referral"].status == Status.ACCEPTED
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED
        assert [e.new_status for e in referral.events.all()] == [
            Status.DRAFT,
            Status.SENT,
            Status.ACCEPTED,
        ]

    def test_the_direction_cannot_change_a_status(self, client_as, direction, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        response = client_as(direction).post(status_url(referral), {"status": Status.SENT})
        assert response.status_code == 403
        referral.refresh_from_db()
        assert referral.status == Status.DRAFT

    def test_a_status_change_is_a_post(self, client_as, intervenant_ss, site_ss):
        referral = ReferralFactory(resident=resident_of(site_ss), consented=True)
        assert client_as(intervenant_ss).get(status_url(referral)).status_code == 405


class TestListedOnPages:
    def test_the_household_page_lists_its_referrals(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        for_resident = ReferralFactory(resident=resident)
        for_household = ReferralFactory(resident=None, household=resident.household)
        ReferralFactory(resident=resident_of(site_ss))
        response = client_as(intervenant_ss).get(resident.household.get_absolute_url())
        assert response.status_code == 200
        assert {r.pk for r in response.context["referrals"]} == {
            for_resident.pk,
            for_household.pk,
        }

    def test_the_resident_page_lists_their_referrals(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        theirs = ReferralFactory(resident=resident)
        ReferralFactory(resident=None, household=resident.household)
        ReferralFactory(resident=ConsentedResidentFactory(household=resident.household))
        response = client_as(intervenant_ss).get(resident.get_absolute_url())
        assert response.status_code == 200
        assert [r.pk for r in response.context["referrals"]] == [theirs.pk]
