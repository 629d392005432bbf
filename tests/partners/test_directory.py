"""The partner directory: searching, creating and editing a partner with its services,
contacts and agreements, the partner's page and its figures, tenant committees, and the
interventions partners were present at."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.forms import HEADCOUNTS
from interventions.models import Intervention, Level
from partners.models import (
    AGREEMENT_WARNING_DAYS,
    Agreement,
    CommitteeMembership,
    Contact,
    Organisation,
    Service,
    Status,
)
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    PlaceFactory,
)
from tests.helpers import once
from tests.partners.factories import (
    AgreementFactory,
    ContactFactory,
    OrganisationFactory,
    ReferralFactory,
    ServiceFactory,
    TenantCommitteeFactory,
    move,
)

TODAY = timezone.localdate
LIST_URL = reverse("partners:organisation_list")
CREATE_URL = reverse("partners:organisation_create")


def update_url(organisation):
    return reverse("partners:organisation_update", args=[organisation.pk])


def membership_url(committee):
    return reverse("partners:membership_create", args=[committee.pk])


def resident_of(site, **values):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site), **values)


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rows(prefix, *values, initial=0):
    """POST data of an inline formset: its management form and one dict per row."""
    data = management(prefix, len(values), initial)
    for index, row in enumerate(values):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def organisation_post(*, services=(), contacts=(), agreements=(), **values):
    data = {
        **once(),
        "name": "Maison de la famille Saint-Michel",
        "kind": Organisation.Kind.COMMUNITY,
        "address": "3000, rue Jarry Est",
        "phone": "514 555-0142",
        "email": "accueil@maisonfamille.example.org",
        "website": "https://maisonfamille.example.org",
        "committee_site": "",
        "is_active": "on",
    }
    data.update(values)
    data.update(rows("services", *services))
    data.update(rows("contacts", *contacts))
    data.update(rows("agreements", *agreements))
    return data


def section(response, prefix):
    """The formset of one section of the partner form."""
    return next(formset for _, formset in response.context["sections"] if formset.prefix == prefix)


SERVICE = {"name": "Halte-garderie", "languages": "français, espagnol", "age_groups": "0-5"}
CONTACT = {"name": "Sophie Tremblay", "role": "Coordonnatrice", "phone": "514 555-0143"}
AGREEMENT = {"kind": Agreement.Kind.ROOM_LOAN, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}


class TestSearch:
    def names(self, response):
        return [organisation.name for organisation in response.context["page_obj"]]

    def test_finds_a_partner_by_its_name(self, client_as, intervenant_ss):
        OrganisationFactory(name="Maison des jeunes La Relance")
        OrganisationFactory(name="CLSC Saint-Michel")
        response = client_as(intervenant_ss).get(LIST_URL, {"q": "relance"})
        assert response.status_code == 200
        assert self.names(response) == ["Maison des jeunes La Relance"]

    def test_finds_a_partner_by_the_name_of_a_service(self, client_as, intervenant_ss):
        ServiceFactory(
            organisation=OrganisationFactory(name="Centre communautaire"), name="Aide aux devoirs"
        )
        ServiceFactory(organisation=OrganisationFactory(name="Cuisine collective"), name="Repas")
        response = client_as(intervenant_ss).get(LIST_URL, {"q": "devoirs"})
        assert self.names(response) == ["Centre communautaire"]

    def test_every_word_must_match(self, client_as, intervenant_ss):
        ServiceFactory(
            organisation=OrganisationFactory(name="Centre communautaire"), name="Aide aux devoirs"
        )
        OrganisationFactory(name="Centre de loisirs")
        client = client_as(intervenant_ss)
        assert self.names(client.get(LIST_URL, {"q": "centre devoirs"})) == ["Centre communautaire"]
        assert self.names(client.get(LIST_URL, {"q": "centre"})) == [
            "Centre communautaire",
            "Centre de loisirs",
        ]

    def test_filters_by_type(self, client_as, intervenant_ss):
        OrganisationFactory(name="École Saint-Sulpice", kind=Organisation.Kind.SCHOOL)
        OrganisationFactory(name="Maison des jeunes", kind=Organisation.Kind.COMMUNITY)
        response = client_as(intervenant_ss).get(LIST_URL, {"kind": Organisation.Kind.SCHOOL})
        assert self.names(response) == ["École Saint-Sulpice"]

    def test_filters_by_site_served_or_committee_site(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        OrganisationFactory(name="Serves Saint-Sulpice", sites=[site_ss])
        OrganisationFactory(name="Serves both", sites=[site_ss, site_ag])
        OrganisationFactory(name="Serves André-Grasset", sites=[site_ag])
        TenantCommitteeFactory(name="Comité Saint-Sulpice", committee_site=site_ss)
        response = client_as(intervenant_ss).get(LIST_URL, {"site": site_ss.pk})
        assert set(self.names(response)) == {
            "Comité Saint-Sulpice",
            "Serves Saint-Sulpice",
            "Serves both",
        }

    def test_inactive_partners_are_not_listed(self, client_as, intervenant_ss):
        OrganisationFactory(name="Active")
        OrganisationFactory(name="Fermée", is_active=False)
        assert self.names(client_as(intervenant_ss).get(LIST_URL)) == ["Active"]

    def test_counts_services_and_open_referrals(self, client_as, coordination, site_ss):
        organisation = OrganisationFactory(name="Partenaire", sites=[site_ss])
        ServiceFactory.create_batch(2, organisation=organisation)
        for status in (Status.DRAFT, Status.SENT, Status.CANCELLED):
            ReferralFactory(
                organisation=organisation,
                resident=resident_of(site_ss),
                consented=True,
                status=status,
            )
        listed = client_as(coordination).get(LIST_URL).context["page_obj"][0]
        assert (listed.service_count, listed.open_referrals) == (2, 2)

    def test_an_intervenant_counts_only_the_open_referrals_they_see(
        self, client_as, intervenant_ag, site_ss, site_ag
    ):
        organisation = OrganisationFactory(name="Partenaire", sites=[site_ss, site_ag])
        ReferralFactory(organisation=organisation, resident=resident_of(site_ss))
        client = client_as(intervenant_ag)
        listed = client.get(LIST_URL).context["page_obj"][0]
        figures = client.get(organisation.get_absolute_url()).context["figures"]
        assert listed.open_referrals == figures.total == 0

    @pytest.mark.parametrize("organisations", [3, 30])
    def test_query_count_does_not_grow_with_partners(
        self,
        client_as,
        intervenant_ss,
        site_ss,
        site_ag,
        organisations,
        django_assert_max_num_queries,
    ):
        resident = resident_of(site_ss)
        for index in range(organisations):
            organisation = OrganisationFactory(sites=[site_ss, site_ag])
            ServiceFactory.create_batch(2, organisation=organisation)
            AgreementFactory(organisation=organisation, ends_on=TODAY() + timedelta(days=index))
            ReferralFactory(organisation=organisation, resident=resident)
        client = client_as(intervenant_ss)
        # session, user, sites of the filter, agreements ending soon, count, page, its sites
        with django_assert_max_num_queries(7):
            response = client.get(LIST_URL, {"q": "partenaire"})
        assert len(response.context["page_obj"]) == min(organisations, 25)


class TestCreateAndEdit:
    @pytest.mark.parametrize("persona", ["coordination", "direction", "admin_user"])
    def test_a_manager_creates_a_partner_with_services_contacts_and_agreements(
        self, request, client_as, persona, site_ss, site_ag
    ):
        client = client_as(request.getfixturevalue(persona))
        assert client.get(CREATE_URL).status_code == 200
        response = client.post(
            CREATE_URL,
            organisation_post(
                sites=[site_ss.pk, site_ag.pk],
                services=[SERVICE, {"name": "Ateliers parents-enfants"}],
                contacts=[CONTACT],
                agreements=[AGREEMENT],
            ),
        )
        organisation = Organisation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == organisation.get_absolute_url()
        assert organisation.name == "Maison de la famille Saint-Michel"
        assert set(organisation.sites.all()) == {site_ss, site_ag}
        assert sorted(organisation.services.values_list("name", flat=True)) == [
            "Ateliers parents-enfants",
            "Halte-garderie",
        ]
        assert organisation.contacts.get().name == "Sophie Tremblay"
        agreement = organisation.agreements.get()
        assert (agreement.kind, agreement.ends_on.isoformat()) == (
            Agreement.Kind.ROOM_LOAN,
            "2026-12-31",
        )

    def test_an_intervenant_cannot_create_or_edit_a_partner(self, client_as, intervenant_ss):
        organisation = OrganisationFactory(name="Partenaire")
        client = client_as(intervenant_ss)
        assert client.get(CREATE_URL).status_code == 403
        assert client.post(CREATE_URL, organisation_post()).status_code == 403
        assert client.get(update_url(organisation)).status_code == 403
        response = client.post(update_url(organisation), organisation_post(name="Piraté"))
        assert response.status_code == 403
        assert list(Organisation.objects.values_list("name", flat=True)) == ["Partenaire"]

    def _nothing_saved(self):
        assert not Organisation.objects.exists()
        assert not Service.objects.exists()
        assert not Contact.objects.exists()
        assert not Agreement.objects.exists()

    def test_a_bad_email_is_refused(self, client_as, coordination):
        response = client_as(coordination).post(
            CREATE_URL, organisation_post(email="pas-un-courriel", services=[SERVICE])
        )
        assert response.status_code == 400
        assert "email" in response.context["form"].errors
        assert response.context["form"]["name"].value() == "Maison de la famille Saint-Michel"
        self._nothing_saved()

    def test_a_bad_phone_is_refused(self, client_as, coordination):
        response = client_as(coordination).post(CREATE_URL, organisation_post(phone="appelez-nous"))
        assert response.status_code == 400
        assert "phone" in response.context["form"].errors
        self._nothing_saved()

    def test_a_contacts_bad_email_and_phone_are_refused(self, client_as, coordination):
        response = client_as(coordination).post(
            CREATE_URL,
            organisation_post(
                services=[SERVICE], contacts=[{**CONTACT, "email": "sophie@", "phone": "x"}]
            ),
        )
        assert response.status_code == 400
        assert {"email", "phone"} <= set(section(response, "contacts").errors[0])
        self._nothing_saved()

    def test_an_agreement_ending_before_it_starts_is_refused(self, client_as, coordination):
        response = client_as(coordination).post(
            CREATE_URL,
            organisation_post(
                services=[SERVICE],
                agreements=[{**AGREEMENT, "starts_on": "2026-06-01", "ends_on": "2026-05-31"}],
            ),
        )
        assert response.status_code == 400
        assert "ends_on" in section(response, "agreements").errors[0]
        self._nothing_saved()

    def test_a_tenant_committee_needs_its_site(self, client_as, coordination):
        response = client_as(coordination).post(
            CREATE_URL,
            organisation_post(
                name="Comité des locataires", kind=Organisation.Kind.TENANT_COMMITTEE
            ),
        )
        assert response.status_code == 400
        assert "committee_site" in response.context["form"].errors
        self._nothing_saved()

    def test_only_a_tenant_committee_has_a_site_of_its_own(self, client_as, coordination, site_ss):
        response = client_as(coordination).post(
            CREATE_URL, organisation_post(committee_site=site_ss.pk)
        )
        assert response.status_code == 400
        assert "committee_site" in response.context["form"].errors
        self._nothing_saved()

    def test_a_tenant_committee_with_its_site(self, client_as, coordination, site_ss):
        response = client_as(coordination).post(
            CREATE_URL,
            organisation_post(
                name="Comité des locataires Saint-Sulpice",
                kind=Organisation.Kind.TENANT_COMMITTEE,
                committee_site=site_ss.pk,
            ),
        )
        assert response.status_code == 302
        assert Organisation.objects.get().committee_site == site_ss

    def test_a_duplicate_name_is_refused(self, client_as, coordination):
        OrganisationFactory(name="Maison de la famille Saint-Michel")
        response = client_as(coordination).post(CREATE_URL, organisation_post())
        assert response.status_code == 400
        assert "name" in response.context["form"].errors
        assert Organisation.objects.count() == 1

    def test_editing_changes_a_service_removes_another_and_adds_a_contact(
        self, client_as, coordination, site_ss
    ):
        organisation = OrganisationFactory(name="Partenaire", sites=[site_ss])
        kept = ServiceFactory(organisation=organisation, name="Accueil")
        removed = ServiceFactory(organisation=organisation, name="Friperie")
        data = organisation_post(name="Partenaire renommé", sites=[site_ss.pk])
        data.update(
            rows(
                "services",
                {"id": kept.pk, "name": "Accueil et écoute"},
                {"id": removed.pk, "name": removed.name, "DELETE": "on"},
                initial=2,
            )
        )
        data.update(rows("contacts", CONTACT))
        response = client_as(coordination).post(update_url(organisation), data)
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.name == "Partenaire renommé"
        assert list(organisation.services.values_list("name", flat=True)) == ["Accueil et écoute"]
        assert organisation.contacts.get().name == "Sophie Tremblay"


def timed(referral, **steps):
    """Date the steps of a referral: timed(referral, sent=datetime, accepted=datetime)."""
    for status, at in steps.items():
        assert referral.events.filter(new_status=status).update(at=at) == 1
    return referral


class TestOrganisationPage:
    def test_shows_services_contacts_and_agreements(self, client_as, intervenant_ss):
        organisation = OrganisationFactory()
        service = ServiceFactory(organisation=organisation)
        contact = ContactFactory(organisation=organisation)
        agreement = AgreementFactory(organisation=organisation)
        response = client_as(intervenant_ss).get(organisation.get_absolute_url())
        assert response.status_code == 200
        assert response.context["services"] == [service]
        assert response.context["contacts"] == [contact]
        assert response.context["agreements"] == [agreement]
        assert not response.context["can_manage"]

    def test_figures_of_the_referrals_to_the_partner(self, client_as, coordination, site_ss):
        organisation = OrganisationFactory()
        sent = timezone.now() - timedelta(days=40)

        def referral(*path, accepted_after=None):
            made = move(
                ReferralFactory(
                    organisation=organisation, resident=resident_of(site_ss), consented=True
                ),
                *path,
            )
            if accepted_after is not None:
                timed(made, sent=sent, accepted=sent + timedelta(days=accepted_after))
            return made

        referral(Status.SENT, Status.ACCEPTED, accepted_after=2)
        referral(Status.SENT, Status.ACCEPTED, Status.COMPLETED, accepted_after=4)
        referral(Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS, accepted_after=10)
        referral(Status.SENT, Status.REFUSED)
        referral(Status.SENT, Status.NO_FOLLOW_UP)
        referral()  # a draft
        ReferralFactory(resident=resident_of(site_ss))  # to another partner

        figures = client_as(coordination).get(organisation.get_absolute_url()).context["figures"]

        assert figures.total == 6
        # 3 accepted of 4 answers (accepted, under way, completed, refused)
        assert figures.acceptance_rate == 75
        # 1 completed of 4 decided (accepted ones and no follow-up)
        assert figures.completion_rate == 25
        assert figures.median_days_to_acceptance == 4.0
        assert sum(figures.by_status.values()) == 6

    def test_the_median_of_an_even_number_of_delays_is_their_mean(
        self, client_as, coordination, site_ss
    ):
        organisation = OrganisationFactory()
        sent = timezone.now() - timedelta(days=20)
        for hours in (36, 60):
            timed(
                ReferralFactory(
                    organisation=organisation,
                    resident=resident_of(site_ss),
                    consented=True,
                    status=Status.ACCEPTED,
                ),
                sent=sent,
                accepted=sent + timedelta(hours=hours),
            )
        figures = client_as(coordination).get(organisation.get_absolute_url()).context["figures"]
        assert figures.median_days_to_acceptance == 2.0
        assert figures.acceptance_rate == 100
        assert figures.completion_rate == 0

    def test_a_partner_without_referrals_has_no_rates(self, client_as, coordination):
        organisation = OrganisationFactory()
        figures = client_as(coordination).get(organisation.get_absolute_url()).context["figures"]
        assert figures.total == 0
        assert figures.acceptance_rate is None
        assert figures.completion_rate is None
        assert figures.median_days_to_acceptance is None

    def test_the_figures_count_only_the_referrals_the_user_sees(
        self, client_as, intervenant_ag, site_ss
    ):
        organisation = OrganisationFactory()
        ReferralFactory(
            organisation=organisation,
            resident=resident_of(site_ss),
            consented=True,
            status=Status.ACCEPTED,
        )
        response = client_as(intervenant_ag).get(organisation.get_absolute_url())
        assert response.status_code == 200
        assert response.context["figures"].total == 0
        assert response.context["figures"].median_days_to_acceptance is None

    @pytest.mark.parametrize("referrals", [3, 30])
    def test_query_count_does_not_grow_with_referrals(
        self, client_as, coordination, site_ss, referrals, django_assert_max_num_queries
    ):
        organisation = TenantCommitteeFactory(committee_site=site_ss, sites=[site_ss])
        resident = resident_of(site_ss)
        for index in range(referrals):
            referral = ReferralFactory(
                organisation=organisation, resident=resident, consented=index == 0
            )
            if index % 2:
                move(referral, Status.CANCELLED)
        move(organisation.referrals.get(consent__isnull=False), Status.SENT, Status.ACCEPTED)
        ServiceFactory.create_batch(2, organisation=organisation)
        ContactFactory(organisation=organisation)
        AgreementFactory(organisation=organisation)
        for _ in range(referrals):
            CommitteeMembership.objects.create(
                committee=organisation, resident=resident_of(site_ss), since=TODAY()
            )
        organisation.present_at.set(InterventionFactory.create_batch(referrals, site=site_ss))
        client = client_as(coordination)
        # session, user, the partner, services, contacts, agreements, members, figures (counts
        # and steps), joint activities with their data, commitments (kept, open, late)
        with django_assert_max_num_queries(12):
            response = client.get(organisation.get_absolute_url())
        assert response.context["figures"].total == referrals
        assert len(response.context["members"]) == referrals


class TestAgreementsEndingSoon:
    @pytest.mark.parametrize(
        ("days", "soon"),
        [(-1, False), (0, True), (30, True), (AGREEMENT_WARNING_DAYS, True), (61, False)],
    )
    def test_an_agreement_ending_within_60_days_is_flagged(
        self, client_as, intervenant_ss, days, soon
    ):
        agreement = AgreementFactory(ends_on=TODAY() + timedelta(days=days))
        assert agreement.ends_soon is soon
        response = client_as(intervenant_ss).get(LIST_URL)
        assert (agreement in response.context["ending_soon"]) is soon

    def test_an_agreement_without_an_end_is_never_flagged(self, client_as, intervenant_ss):
        agreement = AgreementFactory(ends_on=None)
        assert not agreement.ends_soon
        assert not client_as(intervenant_ss).get(LIST_URL).context["ending_soon"].exists()


class TestCommitteeMembership:
    def _post(self, resident, **values):
        return {
            **once(),
            "resident": resident.pk,
            "role": CommitteeMembership.Role.TREASURER,
            "since": TODAY().isoformat(),
            "until": "",
            **values,
        }

    def test_a_manager_adds_a_member_who_then_shows_on_the_residents_page(
        self, client_as, coordination, intervenant_ss, site_ss
    ):
        committee = TenantCommitteeFactory(committee_site=site_ss)
        resident = resident_of(site_ss)
        response = client_as(coordination).post(membership_url(committee), self._post(resident))
        assert response.status_code == 302
        assert response["Location"] == committee.get_absolute_url()
        membership = CommitteeMembership.objects.get()
        assert (membership.committee, membership.resident, membership.role) == (
            committee,
            resident,
            CommitteeMembership.Role.TREASURER,
        )
        page = client_as(intervenant_ss).get(resident.get_absolute_url())
        assert page.context["memberships"] == [membership]
        committee_page = client_as(intervenant_ss).get(committee.get_absolute_url())
        assert list(committee_page.context["members"]) == [membership]

    def test_an_intervenant_cannot_add_a_member(self, client_as, intervenant_ss, site_ss):
        committee = TenantCommitteeFactory(committee_site=site_ss)
        client = client_as(intervenant_ss)
        assert client.get(membership_url(committee)).status_code == 403
        response = client.post(membership_url(committee), self._post(resident_of(site_ss)))
        assert response.status_code == 403
        assert not CommitteeMembership.objects.exists()

    def test_only_a_tenant_committee_has_members(self, client_as, coordination):
        assert client_as(coordination).get(membership_url(OrganisationFactory())).status_code == 404

    def test_a_resident_of_another_site_cannot_join(
        self, client_as, coordination, site_ss, site_ag
    ):
        committee = TenantCommitteeFactory(committee_site=site_ss)
        response = client_as(coordination).post(
            membership_url(committee), self._post(resident_of(site_ag))
        )
        assert response.status_code == 400
        assert "resident" in response.context["form"].errors
        assert not CommitteeMembership.objects.exists()

    def test_a_membership_cannot_end_before_it_starts(self, client_as, coordination, site_ss):
        committee = TenantCommitteeFactory(committee_site=site_ss)
        response = client_as(coordination).post(
            membership_url(committee),
            self._post(resident_of(site_ss), until=(TODAY() - timedelta(days=1)).isoformat()),
        )
        assert response.status_code == 400
        assert "until" in response.context["form"].errors
        assert not CommitteeMembership.objects.exists()


def intervention_post(site, **values):
    """POST data of the full intervention form: a concertation today, one hour."""
    data = {
        **once(),
        "level": Level.INDIVIDUAL,
        "type": InterventionTypeFactory(name="Concertation").pk,
        "place": PlaceFactory(name="Bureau").pk,
        "date": TODAY().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "60",
        "site": site.pk,
        "summary": "Table de quartier : plan d'action de l'été.",
        **dict.fromkeys(HEADCOUNTS, "0"),
    }
    data.update(values)
    return data


class TestPartnersPresent:
    def test_an_intervention_records_the_partners_present_and_shows_them(
        self, client_as, intervenant_ss, site_ss
    ):
        clsc = OrganisationFactory(name="CLSC")
        school = OrganisationFactory(name="École")
        OrganisationFactory(name="Absent")
        client = client_as(intervenant_ss)
        response = client.post(
            reverse("interventions:intervention_create"),
            intervention_post(site_ss, partners=[clsc.pk, school.pk]),
        )
        assert response.status_code == 302
        intervention = Intervention.objects.get()
        assert set(intervention.partners_present.all()) == {clsc, school}
        detail = client.get(intervention.get_absolute_url())
        assert set(detail.context["partners"]) == {clsc, school}
        joint = client.get(clsc.get_absolute_url()).context["joint_activities"]
        assert [i.pk for i in joint] == [intervention.pk]

    def test_an_inactive_partner_cannot_be_named_present(self, client_as, intervenant_ss, site_ss):
        closed = OrganisationFactory(is_active=False)
        response = client_as(intervenant_ss).post(
            reverse("interventions:intervention_create"),
            intervention_post(site_ss, partners=[closed.pk]),
        )
        assert response.status_code == 400
        assert "partners" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_joint_activities_are_those_the_user_sees(
        self, client_as, intervenant_ss, intervenant_ag, direction, site_ss, site_ag
    ):
        organisation = OrganisationFactory()
        here = InterventionFactory(site=site_ss)
        there = InterventionFactory(site=site_ag)
        InterventionFactory(site=site_ss)  # the partner was not there
        organisation.present_at.set([here, there])

        def joint(user):
            response = client_as(user).get(organisation.get_absolute_url())
            return {i.pk for i in response.context["joint_activities"]}

        assert joint(intervenant_ss) == {here.pk}
        assert joint(intervenant_ag) == {there.pk}
        assert joint(direction) == {here.pk, there.pk}
