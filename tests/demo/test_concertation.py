"""The demo's concertation meetings: a year of the tables' meetings with partners present,
decisions and commitments (most kept, some open, a few late, a couple dropped), valid,
deterministic and safe to rerun."""

import pytest
from django.utils import timezone

from demo.activity import seed_activity
from demo.concertation import seed_concertation
from demo.households import seed_demo
from demo.network import seed_network
from partners.models import Commitment, CommitmentEvent, ConcertationMeeting, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def concertation(db):
    seed_demo()
    seed_activity(days=30)
    seed_network()
    return seed_concertation()


def test_the_tables_meet_about_monthly_with_partners_decisions_and_commitments(concertation):
    today = timezone.localdate()
    tables = Organisation.objects.filter(kind=Organisation.Kind.CONCERTATION_TABLE)
    assert tables.count() == 3
    meetings = ConcertationMeeting.objects.all()
    assert 20 <= meetings.count() <= 3 * 12  # a meeting a month but in summer
    assert all(m.held_on < today and m.decisions for m in meetings)
    for meeting in meetings.prefetch_related("partners_present", "staff_present"):
        assert meeting.partners_present.count() >= 2
        assert meeting.staff_present.exists()
    commitments = Commitment.objects.all()
    late = commitments.filter(status=Commitment.Status.OPEN, due_on__lt=today).count()
    kept = commitments.filter(status=Commitment.Status.KEPT).count()
    dropped = commitments.filter(status=Commitment.Status.DROPPED).count()
    assert kept > commitments.count() / 2
    assert 1 <= late < kept / 3
    assert 1 <= dropped < kept / 3
    assert commitments.filter(status=Commitment.Status.OPEN, due_on__gte=today).exists()
    assert concertation.late == late
    # Each kept or dropped commitment says when and by whom, with its step.
    closed = commitments.exclude(status=Commitment.Status.OPEN)
    assert not closed.filter(status_on__isnull=True).exists()
    assert not closed.filter(status_by__isnull=True).exists()
    assert CommitmentEvent.objects.count() == closed.count()
    for row in (*meetings, *commitments):
        row.full_clean()


def test_running_again_adds_nothing(concertation):
    again = seed_concertation()
    assert (again.meetings, again.commitments) == (0, 0)
    assert ConcertationMeeting.objects.count() == concertation.meetings


def test_two_fresh_runs_give_identical_data(concertation):
    def snapshot():
        return list(
            Commitment.objects.order_by(
                "meeting__held_on", "meeting__table__name", "what"
            ).values_list(
                "meeting__table__name",
                "meeting__held_on",
                "organisation__name",
                "what",
                "due_on",
                "status",
                "status_on",
            )
        )

    first = snapshot()
    Commitment.objects.all().delete()
    ConcertationMeeting.objects.all().delete()
    seed_concertation()
    assert snapshot() == first
