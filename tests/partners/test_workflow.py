"""The referral workflow at the service level: allowed and forbidden moves, consent before
sending, concurrent moves, and the expected delays that make a referral overdue."""

from datetime import timedelta
from itertools import pairwise, product

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import TRANSITIONS, Referral, ReferralEvent, Status, StatusDelay
from partners.services import consent_problem, referral_save, referral_set_status
from tests.factories import ConsentedResidentFactory, UserFactory
from tests.partners.factories import (
    OrganisationFactory,
    ReferralFactory,
    ShareConsentFactory,
    move,
)

TODAY = timezone.localdate
DELAYS = {Status.DRAFT: 2, Status.SENT: 7, Status.ACCEPTED: 14, Status.IN_PROGRESS: 60}
ALLOWED = [(old, new) for old, new in product(Status, Status) if new in TRANSITIONS[old]]
FORBIDDEN = [(old, new) for old, new in product(Status, Status) if new not in TRANSITIONS[old]]


def steps(referral) -> list[tuple[str, str]]:
    return list(referral.events.order_by("at", "pk").values_list("old_status", "new_status"))


@pytest.fixture
def mover(db):
    return UserFactory(username="coordonnatrice.reseau")


class TestTransitions:
    def test_every_pair_of_statuses_is_either_allowed_or_forbidden(self):
        assert len(ALLOWED) + len(FORBIDDEN) == len(Status) ** 2
        assert len(ALLOWED) == 13

    @pytest.mark.parametrize(("old", "new"), ALLOWED, ids=lambda s: str(s.value))
    def test_an_allowed_move_records_its_step_and_the_time_of_the_change(self, old, new, mover):
        referral = ReferralFactory(consented=True, status=old)
        earlier_steps = steps(referral)
        before = timezone.now()
        outcome = Referral.Outcome.PARTLY_MET if new == Status.COMPLETED else ""
        moved = referral_set_status(
            referral=referral, status=new, by=mover, note="Appel au partenaire.", outcome=outcome
        )
        after = timezone.now()

        referral.refresh_from_db()
        assert moved.status == referral.status == new
        assert before <= referral.status_changed_at <= after
        event = referral.events.latest("at", "pk")
        assert (event.old_status, event.new_status) == (old, new)
        assert event.by == mover
        assert event.note == "Appel au partenaire."
        assert before <= event.at <= after
        assert steps(referral) == [*earlier_steps, (old, new)]

    @pytest.mark.parametrize(("old", "new"), FORBIDDEN, ids=lambda s: str(s.value))
    def test_a_forbidden_move_is_refused_and_changes_nothing(self, old, new, mover):
        referral = ReferralFactory(consented=True, status=old)
        referral.refresh_from_db()
        before = (
            referral.status,
            referral.status_changed_at,
            referral.due_on,
            referral.version,
            steps(referral),
        )

        with pytest.raises(ValidationError) as refused:
            referral_set_status(
                referral=referral, status=new, by=mover, outcome=Referral.Outcome.MET
            )

        assert refused.value.code == "forbidden_transition"
        referral.refresh_from_db()
        after = (
            referral.status,
            referral.status_changed_at,
            referral.due_on,
            referral.version,
            steps(referral),
        )
        assert after == before
        assert not ReferralEvent.objects.filter(referral=referral, by=mover).exists()

    def test_a_new_referral_is_a_draft_with_its_first_step(self, mover):
        resident = ConsentedResidentFactory()
        referral = referral_save(
            referral=Referral(
                resident=resident,
                household=resident.household,
                organisation=OrganisationFactory(),
                reason="Aide alimentaire.",
                responsible=mover,
                status=Status.COMPLETED,  # ignored: a new referral is a draft
            ),
            by=mover,
        )
        assert referral.status == Status.DRAFT
        assert referral.created_by == mover
        assert referral.site == resident.household.site
        event = referral.events.get()
        assert (event.old_status, event.new_status, event.by) == ("", Status.DRAFT, mover)

    def test_completing_requires_an_outcome(self, mover):
        referral = ReferralFactory(consented=True, status=Status.ACCEPTED)
        with pytest.raises(ValidationError) as refused:
            referral_set_status(referral=referral, status=Status.COMPLETED, by=mover)
        assert "outcome" in refused.value.message_dict
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED
        assert referral.outcome == ""
        assert steps(referral)[-1] == (Status.SENT, Status.ACCEPTED)

    def test_completing_with_an_outcome_keeps_it(self, mover):
        referral = ReferralFactory(consented=True, status=Status.IN_PROGRESS)
        referral_set_status(
            referral=referral, status=Status.COMPLETED, by=mover, outcome=Referral.Outcome.NOT_MET
        )
        referral.refresh_from_db()
        assert (referral.status, referral.outcome) == (Status.COMPLETED, Referral.Outcome.NOT_MET)

    def test_the_version_grows_with_each_move(self, mover):
        referral = ReferralFactory(consented=True)
        assert referral.version == 1
        referral = move(referral, Status.SENT, Status.ACCEPTED, by=mover)
        assert referral.version == 3


class TestConsentBeforeSending:
    def _refused(self, referral, by):
        with pytest.raises(ValidationError) as refused:
            referral_set_status(referral=referral, status=Status.SENT, by=by)
        assert refused.value.code == "consent"
        referral.refresh_from_db()
        assert referral.status == Status.DRAFT
        assert steps(referral) == [("", Status.DRAFT)]

    def test_without_consent_nor_exception_an_outgoing_referral_stays_a_draft(self, mover):
        referral = ReferralFactory()
        assert consent_problem(referral)
        self._refused(referral, mover)

    def test_a_consent_in_force_to_share_with_that_partner_allows_sending(self, mover):
        referral = ReferralFactory(consented=True)
        assert consent_problem(referral) is None
        referral_set_status(referral=referral, status=Status.SENT, by=mover)
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_an_older_consent_naming_the_partner_as_text_only_allows_no_sharing(self, mover):
        # Until a person chooses its organisation (the migration could not match the text),
        # a consent that names its partner as typed text shares nothing.
        organisation = OrganisationFactory(name="Maison des jeunes La Relance")
        resident = ConsentedResidentFactory()
        consent = ShareConsentFactory(
            resident=resident, partner=None, partner_name="Maison des jeunes La Relance"
        )
        referral = ReferralFactory(resident=resident, organisation=organisation, consent=consent)
        self._refused(referral, mover)

    def test_a_withdrawn_consent_does_not_allow_sending(self, mover):
        organisation = OrganisationFactory()
        resident = ConsentedResidentFactory()
        consent = ShareConsentFactory(
            resident=resident,
            organisation=organisation,
            given_on=TODAY() - timedelta(days=30),
            withdrawn_on=TODAY(),
        )
        referral = ReferralFactory(resident=resident, organisation=organisation, consent=consent)
        self._refused(referral, mover)

    def test_a_consent_to_share_with_another_partner_does_not_allow_sending(self, mover):
        resident = ConsentedResidentFactory()
        consent = ShareConsentFactory(
            resident=resident, organisation=OrganisationFactory(name="CLSC de la Petite-Patrie")
        )
        referral = ReferralFactory(
            resident=resident,
            organisation=OrganisationFactory(name="Carrefour jeunesse-emploi"),
            consent=consent,
        )
        self._refused(referral, mover)

    def test_another_persons_consent_does_not_allow_sending(self, mover):
        organisation = OrganisationFactory()
        resident = ConsentedResidentFactory()
        sister = ConsentedResidentFactory(household=resident.household)
        consent = ShareConsentFactory(resident=sister, organisation=organisation)
        referral = ReferralFactory(resident=resident, organisation=organisation, consent=consent)
        self._refused(referral, mover)

    def test_a_household_referral_is_not_sent_on_the_consent_of_someone_outside_it(self, mover):
        organisation = OrganisationFactory()
        household = ConsentedResidentFactory().household
        neighbour = ConsentedResidentFactory(household__site=household.site)
        consent = ShareConsentFactory(resident=neighbour, organisation=organisation)
        referral = ReferralFactory(
            resident=None, household=household, organisation=organisation, consent=consent
        )
        self._refused(referral, mover)

    def test_a_household_referral_is_sent_on_the_consent_of_a_member(self, mover):
        organisation = OrganisationFactory()
        member = ConsentedResidentFactory()
        consent = ShareConsentFactory(resident=member, organisation=organisation)
        referral = ReferralFactory(
            resident=None, household=member.household, organisation=organisation, consent=consent
        )
        referral_set_status(referral=referral, status=Status.SENT, by=mover)
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_a_consent_to_keep_a_file_is_not_a_consent_to_share(self, mover):
        resident = ConsentedResidentFactory()
        referral = ReferralFactory(resident=resident, consent=resident.consents.get())
        self._refused(referral, mover)

    @pytest.mark.parametrize(
        "exception", [Referral.ConsentException.URGENCY, Referral.ConsentException.SAFETY]
    )
    def test_a_justified_exception_allows_sending_without_consent(self, exception, mover):
        referral = ReferralFactory(
            consent_exception=exception,
            exception_justification="Risque immédiat pour la sécurité d'un enfant.",
        )
        referral_set_status(referral=referral, status=Status.SENT, by=mover)
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_an_exception_without_justification_cannot_be_saved(self, mover):
        with pytest.raises(ValidationError) as refused:
            ReferralFactory(consent_exception=Referral.ConsentException.URGENCY)
        assert "exception_justification" in refused.value.message_dict
        assert not Referral.objects.exists()

    def test_an_incoming_referral_needs_no_consent(self, mover):
        referral = ReferralFactory(direction=Referral.Direction.INCOMING)
        assert consent_problem(referral) is None
        referral_set_status(referral=referral, status=Status.SENT, by=mover)
        referral.refresh_from_db()
        assert referral.status == Status.SENT


class TestConcurrentMoves:
    def test_the_second_move_is_checked_against_the_first_ones_result(self, mover):
        referral = ReferralFactory(consented=True, status=Status.SENT)
        colleague = UserFactory(username="collegue.reseau")
        mine = Referral.objects.get(pk=referral.pk)
        theirs = Referral.objects.get(pk=referral.pk)

        referral_set_status(referral=mine, status=Status.ACCEPTED, by=mover)
        with pytest.raises(ValidationError) as refused:
            # Their page still says "sent": refusing looked possible.
            referral_set_status(referral=theirs, status=Status.REFUSED, by=colleague)

        assert refused.value.code == "forbidden_transition"
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED
        assert steps(referral) == [
            ("", Status.DRAFT),
            (Status.DRAFT, Status.SENT),
            (Status.SENT, Status.ACCEPTED),
        ]

    def test_a_stale_copy_moves_from_the_status_in_the_database(self, mover):
        referral = ReferralFactory(consented=True, status=Status.SENT)
        colleague = UserFactory(username="collegue.reseau")
        mine = Referral.objects.get(pk=referral.pk)
        theirs = Referral.objects.get(pk=referral.pk)

        referral_set_status(referral=mine, status=Status.ACCEPTED, by=mover)
        # From "sent" this move is forbidden; from the stored "accepted" it is allowed.
        referral_set_status(referral=theirs, status=Status.IN_PROGRESS, by=colleague)

        referral.refresh_from_db()
        assert referral.status == Status.IN_PROGRESS
        assert steps(referral)[-2:] == [
            (Status.SENT, Status.ACCEPTED),
            (Status.ACCEPTED, Status.IN_PROGRESS),
        ]
        # Every step starts where the one before ended: no step is lost or invented.
        history = steps(referral)
        assert all(a[1] == b[0] for a, b in pairwise(history))
        assert referral.version == 4


class TestDueDates:
    def test_the_seeded_delays(self, db):
        assert dict(StatusDelay.objects.values_list("status", "days")) == DELAYS

    def test_a_new_draft_is_due_after_the_draft_delay(self, mover):
        referral = ReferralFactory()
        assert referral.due_on == TODAY() + timedelta(days=DELAYS[Status.DRAFT])

    @pytest.mark.parametrize(
        ("path", "delay"),
        [
            ([Status.SENT], DELAYS[Status.SENT]),
            ([Status.SENT, Status.ACCEPTED], DELAYS[Status.ACCEPTED]),
            ([Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS], DELAYS[Status.IN_PROGRESS]),
        ],
        ids=["sent", "accepted", "in_progress"],
    )
    def test_each_open_status_is_due_after_its_delay(self, path, delay, mover):
        referral = move(ReferralFactory(consented=True), *path, by=mover)
        referral.refresh_from_db()
        assert referral.due_on == TODAY() + timedelta(days=delay)

    @pytest.mark.parametrize(
        "path",
        [
            [Status.CANCELLED],
            [Status.SENT, Status.REFUSED],
            [Status.SENT, Status.NO_FOLLOW_UP],
            [Status.SENT, Status.ACCEPTED, Status.COMPLETED],
        ],
        ids=["cancelled", "refused", "no_follow_up", "completed"],
    )
    def test_a_closed_referral_has_no_due_date(self, path, mover):
        referral = move(ReferralFactory(consented=True), *path, by=mover)
        referral.refresh_from_db()
        assert referral.due_on is None
        assert not referral.is_overdue

    def test_changing_a_delay_changes_the_due_date_of_the_next_change_only(self, mover):
        waiting = ReferralFactory(consented=True, status=Status.SENT)
        StatusDelay.objects.filter(status=Status.SENT).update(days=3)

        referral = move(ReferralFactory(consented=True), Status.SENT, by=mover)

        assert referral.due_on == TODAY() + timedelta(days=3)
        waiting.refresh_from_db()
        assert waiting.due_on == TODAY() + timedelta(days=DELAYS[Status.SENT])


class TestOverdue:
    def _due(self, referral, day):
        Referral.objects.filter(pk=referral.pk).update(due_on=day)
        referral.refresh_from_db()
        return referral

    def test_a_referral_due_today_is_not_overdue(self, mover):
        referral = self._due(ReferralFactory(), TODAY())
        assert not referral.is_overdue
        assert not Referral.objects.overdue().exists()

    def test_a_referral_due_yesterday_is_overdue(self, mover):
        referral = self._due(ReferralFactory(), TODAY() - timedelta(days=1))
        assert referral.is_overdue
        assert list(Referral.objects.overdue()) == [referral]

    def test_overdue_is_judged_on_the_day_given(self, mover):
        referral = ReferralFactory(consented=True, status=Status.SENT)
        due = referral.due_on
        assert not Referral.objects.overdue(today=due).exists()
        assert list(Referral.objects.overdue(today=due + timedelta(days=1))) == [referral]

    @pytest.mark.parametrize(
        "status", [Status.COMPLETED, Status.REFUSED, Status.NO_FOLLOW_UP, Status.CANCELLED]
    )
    def test_a_closed_referral_is_never_overdue(self, status, mover):
        referral = self._due(
            ReferralFactory(consented=True, status=status), TODAY() - timedelta(days=30)
        )
        assert not referral.is_overdue
        assert not Referral.objects.overdue().exists()

    def test_a_referral_without_a_due_date_is_not_overdue(self, mover):
        referral = self._due(ReferralFactory(), None)
        assert not referral.is_overdue
        assert not Referral.objects.overdue().exists()
