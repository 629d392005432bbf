"""Partner links: a referral answered by a partner's contact without an account. The link
is made for one contact, stored as a hash, expires, is revoked, stops with the referral; a
wrong token is a 404, too many openings a 429; each answer is a step of the referral by the
partner's organisation and a reading of the read log; the email names nobody."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ema.read_log import ReadKind
from partners.links import token_hash
from partners.models import PartnerLink, Referral, ReferralEvent, Status
from partners.services import partner_link_create
from privacy.models import ReadEvent
from tests.factories import UserFactory
from tests.helpers import french, page_text
from tests.partners.factories import ContactFactory, OrganisationFactory, ReferralFactory, move

LINK_IN_EMAIL = re.compile(r"https?://\S+/lien/([\w-]+)/")
# Tokens of the right shape that open no link.
WRONG = "pas-le-bon-jeton-" + "x" * 26


@pytest.fixture
def clsc(db):
    return OrganisationFactory(name="CLSC d’Ahuntsic", address="1165, boul. Henri-Bourassa Est")


@pytest.fixture
def contact(clsc):
    return ContactFactory(organisation=clsc, name="Julie Gagnon", email="julie@clsc.example.org")


@pytest.fixture
def referral(clsc, intervenant_ss, site_ss):
    from tests.factories import ConsentedResidentFactory, HouseholdFactory

    household = HouseholdFactory(site=site_ss, unit="2150, app. 4")
    resident = ConsentedResidentFactory(
        household=household, first_name="Mireille", last_name="Bastarache"
    )
    return ReferralFactory(
        resident=resident,
        organisation=clsc,
        responsible=intervenant_ss,
        consented=True,
        status=Status.SENT,
        information_shared="Famille de quatre; cherche une place en halte-garderie.",
    )


@pytest.fixture
def link_and_token(referral, contact, coordination):
    return partner_link_create(referral=referral, contact=contact, by=coordination)


def url(token: str) -> str:
    return reverse("partners:partner_link", args=[token])


def answer(client, token, **data):
    return client.post(url(token), data)


class TestMaking:
    def test_the_coordinator_emails_a_link_that_names_nobody(
        self, client_as, coordination, referral, contact, django_assert_max_num_queries
    ):
        client = client_as(coordination)
        with django_assert_max_num_queries(25):
            response = client.post(
                reverse("partners:referral_link_send", args=[referral.pk]),
                {"contact": str(contact.pk)},
            )

        assert response.status_code == 302
        link = PartnerLink.objects.get()
        assert (link.referral, link.contact, link.sent_to) == (referral, contact, contact.email)
        assert link.created_by == coordination
        assert link.expires_at - link.created_at == timedelta(days=30)
        (email,) = mail.outbox
        assert email.to == [contact.email]
        token = LINK_IN_EMAIL.search(email.body).group(1)
        # Only the hash is stored; the token is in the email alone.
        assert link.token_hash == token_hash(token) != token
        assert not PartnerLink.objects.filter(token_hash=token).exists()
        text = email.subject + email.body
        assert referral.reference in email.subject and referral.reference in email.body
        assert "L’Entre-Maisons Ahuntsic" in text
        assert "Bonjour Julie Gagnon" in email.body
        for private in ("Mireille", "Bastarache", "2150", referral.household.label):
            assert private not in text
        assert referral.reason not in text

    def test_the_days_a_link_works_are_a_setting(self, settings, referral, contact, coordination):
        settings.PARTNER_LINK_DAYS = 7
        link, _ = partner_link_create(referral=referral, contact=contact, by=coordination)
        assert link.expires_at - link.created_at == timedelta(days=7)

    def test_the_referral_page_lists_the_links_with_a_revoke_button(
        self, client_as, coordination, link_and_token, referral
    ):
        link, _ = link_and_token
        response = client_as(coordination).get(referral.get_absolute_url())
        text = page_text(response)
        assert "Liens partenaires" in text
        assert "Julie Gagnon (julie@clsc.example.org)" in text
        assert reverse("partners:partner_link_revoke", args=[link.pk]) in response.content.decode()
        assert "jamais" in text  # never used yet

    def test_no_link_for_a_draft_referral(self, client_as, coordination, clsc, contact):
        draft = ReferralFactory(organisation=clsc, consented=True)
        client = client_as(coordination)
        assert "Liens partenaires" not in page_text(client.get(draft.get_absolute_url()))

        response = client.post(
            reverse("partners:referral_link_send", args=[draft.pk]), {"contact": str(contact.pk)}
        )

        assert response.status_code == 400
        assert not PartnerLink.objects.exists()
        assert not mail.outbox

    def test_a_contact_of_another_partner_is_refused_in_french(
        self, client_as, coordination, referral
    ):
        stranger = ContactFactory(organisation=OrganisationFactory(name="Autre organisme"))
        response = client_as(coordination).post(
            reverse("partners:referral_link_send", args=[referral.pk]),
            {"contact": str(stranger.pk)},
        )
        assert response.status_code == 400
        assert french("Choose a contact of this partner who has an email address.") in page_text(
            response
        )
        assert not PartnerLink.objects.exists()

    def test_no_contact_chosen_is_a_clear_400(self, client_as, coordination, referral):
        response = client_as(coordination).post(
            reverse("partners:referral_link_send", args=[referral.pk]), {}
        )
        assert response.status_code == 400
        assert french("Choose the contact who receives the link.") in page_text(response)

    def test_the_direction_reads_but_does_not_send(self, client_as, direction, referral, contact):
        response = client_as(direction).post(
            reverse("partners:referral_link_send", args=[referral.pk]),
            {"contact": str(contact.pk)},
        )
        assert response.status_code == 403
        assert not PartnerLink.objects.exists()


class TestOpening:
    def test_the_partner_sees_the_reference_and_what_may_be_shared_only(
        self, link_and_token, referral, django_assert_max_num_queries
    ):
        link, token = link_and_token
        with django_assert_max_num_queries(6):
            response = Client().get(url(token))

        assert response.status_code == 200
        assert response["Referrer-Policy"] == "same-origin"
        text = page_text(response)
        assert referral.reference in text
        assert "Famille de quatre; cherche une place en halte-garderie." in text
        for private in ("Mireille", "Bastarache", "2150", referral.household.label):
            assert private not in text
        assert referral.reason not in text
        link.refresh_from_db()
        assert link.last_used_at is not None

    def test_opening_is_a_reading_of_the_read_log(self, link_and_token, referral):
        link, token = link_and_token
        Client().get(url(token))
        reading = ReadEvent.objects.get(kind=ReadKind.PARTNER_LINK)
        assert reading.actor is None
        assert reading.target_id == referral.pk
        assert reading.details == {
            "partner_link": link.pk,
            "partner": "CLSC d’Ahuntsic",
            "action": "open",
        }

    def test_nothing_is_shared_once_the_consent_is_withdrawn(self, link_and_token, referral):
        _, token = link_and_token
        referral.consent.withdrawn_on = timezone.localdate()
        referral.consent.save(update_fields=["withdrawn_on"])
        text = page_text(Client().get(url(token)))
        assert "halte-garderie" not in text

    def test_a_token_of_another_shape_is_a_404_too(self):
        assert Client().get("/lien/trop-court/").status_code == 404

    def test_a_wrong_token_is_a_404(self, link_and_token):
        assert Client().get(url(WRONG)).status_code == 404
        assert Client().post(url(WRONG), {"status": "accepted"}).status_code == 404
        assert not ReferralEvent.objects.filter(via_link__isnull=False).exists()

    def test_an_expired_link_no_longer_works(self, link_and_token):
        link, token = link_and_token
        PartnerLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
        response = Client().get(url(token))
        assert response.status_code == 410
        assert french("This link has expired.") in page_text(response)
        assert answer(Client(), token, status="accepted").status_code == 410
        assert link.referral.events.filter(via_link=link).count() == 0

    def test_a_revoked_link_no_longer_works(self, client_as, coordination, link_and_token):
        link, token = link_and_token
        response = client_as(coordination).post(
            reverse("partners:partner_link_revoke", args=[link.pk])
        )
        assert response.status_code == 302
        link.refresh_from_db()
        assert link.revoked_at is not None and link.revoked_by == coordination
        response = Client().get(url(token))
        assert response.status_code == 410
        assert french("EMA withdrew this link.") in page_text(response)

    def test_the_link_stops_once_the_referral_is_closed(self, link_and_token, referral):
        _, token = link_and_token
        move(referral, Status.CANCELLED)
        response = Client().get(url(token))
        assert response.status_code == 410
        assert referral.reference not in page_text(response)

    def test_too_many_openings_are_a_429_in_french(self, settings, link_and_token):
        settings.PARTNER_LINK_HOURLY_PER_LINK = 2
        _, token = link_and_token
        client = Client()
        assert [client.get(url(token)).status_code for _ in range(2)] == [200, 200]
        response = client.get(url(token))
        assert response.status_code == 429
        assert "Trop de tentatives" in page_text(response)

    def test_guessing_tokens_from_one_address_is_limited_too(self, settings, link_and_token):
        settings.PARTNER_LINK_HOURLY_PER_ADDRESS = 3
        _, token = link_and_token
        client = Client()
        assert [client.get(url(f"{WRONG[:-1]}{n}")).status_code for n in range(3)] == [404] * 3
        assert client.get(url(token)).status_code == 429


class TestAnswering:
    def test_accepting_is_a_step_by_the_partners_organisation(
        self, client_as, intervenant_ss, link_and_token, referral, django_assert_max_num_queries
    ):
        link, token = link_and_token
        client = Client()
        client.get(url(token))
        with django_assert_max_num_queries(19):
            response = answer(client, token, status="accepted", note="Rendez-vous le 12.")

        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED
        step = referral.events.latest("at", "pk")
        assert (step.old_status, step.new_status) == (Status.SENT, Status.ACCEPTED)
        assert (step.by, step.via_link, step.note) == (None, link, "Rendez-vous le 12.")
        reading = ReadEvent.objects.filter(kind=ReadKind.PARTNER_LINK).order_by("pk").last()
        assert reading.details["action"] == "accepted"
        assert french("Thank you: your answer was sent to EMA.") in page_text(
            client.get(response["Location"])
        )
        # The coordinator reads who answered.
        text = page_text(client_as(intervenant_ss).get(referral.get_absolute_url()))
        assert "par CLSC d’Ahuntsic, lien partenaire" in text

    def test_refusing_closes_the_referral_and_the_link(self, link_and_token, referral):
        _, token = link_and_token
        assert answer(Client(), token, status="refused").status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.REFUSED
        assert Client().get(url(token)).status_code == 410

    def test_started_then_completed_with_its_outcome(self, link_and_token, referral):
        link, token = link_and_token
        client = Client()
        for status in ("accepted", "in_progress"):
            assert answer(client, token, status=status).status_code == 302
        response = answer(client, token, status="completed", outcome="partly_met")
        assert response.status_code == 302
        referral.refresh_from_db()
        assert (referral.status, referral.outcome) == (Status.COMPLETED, "partly_met")
        steps = list(referral.events.filter(via_link=link).values_list("new_status", flat=True))
        assert steps == [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED]

    def test_completing_without_an_outcome_is_refused_keeping_the_note(
        self, link_and_token, referral
    ):
        _, token = link_and_token
        answer(Client(), token, status="accepted")
        response = answer(Client(), token, status="completed", note="Suivi terminé hier.")
        assert response.status_code == 400
        text = page_text(response)
        assert french("Give the outcome of the completed service.") in text
        assert "Suivi terminé hier." in text
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED

    def test_an_answer_the_workflow_does_not_allow_now_is_refused(self, link_and_token, referral):
        _, token = link_and_token
        response = answer(Client(), token, status="in_progress")
        assert response.status_code == 400
        assert french("This answer is no longer possible: the referral has moved on.") in (
            page_text(response)
        )
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_forged_fields_change_nothing_else(self, link_and_token, referral):
        _, token = link_and_token
        other = OrganisationFactory(name="Organisme ailleurs")
        by = UserFactory()
        response = answer(
            Client(),
            token,
            status="accepted",
            outcome="met",
            organisation=str(other.pk),
            by=str(by.pk),
            via_link="424242",
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert (referral.organisation.name, referral.outcome) == ("CLSC d’Ahuntsic", "")
        assert referral.events.latest("at", "pk").by is None

    def test_a_step_has_an_author_or_a_link(self, referral):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            ReferralEvent.objects.create(referral=referral, new_status=Status.ACCEPTED)
        assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_the_read_log_names_the_partner_of_a_reading_through_its_link(
    client_as, direction, link_and_token
):
    _, token = link_and_token
    Client().get(url(token))
    response = client_as(direction).get(reverse("privacy:read_log"))
    text = page_text(response)
    assert "Lu par un lien partenaire" in text
    assert "CLSC d’Ahuntsic, lien partenaire" in text


def test_making_and_revoking_a_link_are_in_the_history_without_the_hash(
    link_and_token, coordination
):
    from auditlog.models import LogEntry

    from partners.services import partner_link_revoke

    link, _ = link_and_token
    partner_link_revoke(link=link, by=coordination)
    entries = LogEntry.objects.get_for_object(link)
    assert entries.count() == 2
    assert all("token_hash" not in (entry.changes or {}) for entry in entries)


def test_a_referral_answered_through_a_link_can_still_be_deleted_whole(link_and_token, referral):
    _, token = link_and_token
    answer(Client(), token, status="accepted")
    referral.delete()
    assert not PartnerLink.objects.exists()
    assert not ReferralEvent.objects.filter(referral_id=referral.pk).exists()


def test_the_persons_export_says_which_partner_answered(link_and_token, referral):
    from privacy.portability import personal_information_of

    _, token = link_and_token
    answer(Client(), token, status="accepted")
    (exported,) = personal_information_of(resident=referral.resident)["referrals"]
    last = exported["events"][-1]
    assert (last["new_status"], last["by"], last["by_partner"]) == (
        "accepted",
        None,
        "CLSC d’Ahuntsic",
    )
