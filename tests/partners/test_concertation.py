"""Concertation meetings and their commitments: the figures (kept, open, late), the pages and
who may use them, bad input, the history of a follow-up, and the query budgets."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partners.concertation.selectors import CommitmentCounts, commitment_counts
from partners.concertation.services import STALE_MEETING, commitment_set_status
from partners.models import Commitment, CommitmentEvent, ConcertationMeeting, Organisation
from tests.helpers import french, max_data_queries, once, page_text, version_of
from tests.partners.factories import (
    CommitmentFactory,
    ConcertationTableFactory,
    MeetingFactory,
    OrganisationFactory,
)

Kept, Open, Dropped = Commitment.Status.KEPT, Commitment.Status.OPEN, Commitment.Status.DROPPED


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


@pytest.fixture
def clsc(db):
    return OrganisationFactory(name="CLSC d’Ahuntsic", kind=Organisation.Kind.HEALTH)


@pytest.fixture
def meeting(db, clsc, coordination):
    return MeetingFactory(
        table__name="Table jeunesse", partners_present=[clsc], created_by=coordination
    )


@pytest.fixture
def mixed(meeting, clsc, coordination):
    """One commitment of each case: due today (open, not late), due yesterday (late), kept
    after its due date (kept), dropped (left out)."""
    due_today = CommitmentFactory(meeting=meeting, organisation=clsc, due_on=today())
    late = CommitmentFactory(meeting=meeting, organisation=clsc, due_on=days(-1))
    kept = CommitmentFactory(
        meeting=meeting,
        organisation=clsc,
        due_on=days(-20),
        status=Kept,
        status_on=today(),
        status_by=coordination,
    )
    dropped = CommitmentFactory(
        meeting=meeting, organisation=clsc, due_on=days(-5), status=Dropped, status_by=coordination
    )
    return {"due_today": due_today, "late": late, "kept": kept, "dropped": dropped}


# The figures -------------------------------------------------------------------------------


def test_due_today_is_open_due_yesterday_is_late_kept_after_its_day_is_kept(mixed, clsc):
    assert commitment_counts(today=today()) == {clsc.pk: CommitmentCounts(kept=1, open=1, late=1)}
    assert not mixed["due_today"].is_late
    assert mixed["late"].is_late
    assert not mixed["kept"].is_late


def test_a_dropped_commitment_is_neither_kept_open_nor_late(meeting, clsc, coordination):
    CommitmentFactory(meeting=meeting, organisation=clsc, due_on=days(-5), status=Dropped)
    assert commitment_counts(today=today()) == {}


def test_the_partner_page_shows_kept_open_and_late(client_as, intervenant_ss, mixed, clsc):
    response = client_as(intervenant_ss).get(clsc.get_absolute_url())
    assert response.context["commitments"] == CommitmentCounts(kept=1, open=1, late=1)
    text = page_text(response)
    assert french("Commitments at the concertation tables") in text
    assert reverse("partners:commitment_list") + f"?organisation={clsc.pk}" in text


def test_the_network_picture_counts_the_commitments_of_the_periods_meetings(
    client_as, coordination, mixed, clsc
):
    old = MeetingFactory(held_on=days(-800))
    CommitmentFactory(meeting=old, organisation=clsc, due_on=days(-700))  # outside the period

    response = client_as(coordination).get(reverse("partners:network"))

    [row] = response.context["picture"].rows
    assert (row.name, row.referrals, row.joint_activities) == (clsc.name, 0, 0)
    assert row.commitments == CommitmentCounts(kept=1, open=1, late=1)
    assert row.weight == 3
    svg = response.content.decode()
    assert 'stroke-dasharray="4 2"' in svg  # the late partner's outline
    assert french("Late commitments") in page_text(response)


def test_the_network_picture_of_a_site_counts_its_meetings_and_emas(
    client_as, coordination, clsc, site_ss, site_ag
):
    for sites, count in (([site_ss], 1), ([site_ag], 2), ([], 4)):
        meeting = MeetingFactory(sites=sites)
        CommitmentFactory.create_batch(count, meeting=meeting, organisation=clsc)

    response = client_as(coordination).get(reverse("partners:network"), {"site": site_ss.pk})

    [row] = response.context["picture"].rows
    assert row.commitments.open == 5


@pytest.mark.parametrize("count", [3, 30])
def test_the_partner_page_budget_does_not_grow_with_commitments(
    client_as, coordination, clsc, count
):
    for _ in range(count):
        CommitmentFactory(organisation=clsc, due_on=days(-1))
    client = client_as(coordination)
    client.get(clsc.get_absolute_url())
    with max_data_queries(12):
        response = client.get(clsc.get_absolute_url())
    assert response.context["commitments"].late == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_network_budget_does_not_grow_with_commitments(client_as, coordination, count):
    for index in range(count):
        CommitmentFactory(organisation=OrganisationFactory(name=f"Partenaire {index:02d}"))
    client = client_as(coordination)
    with max_data_queries(7):
        response = client.get(reverse("partners:network"))
    assert len(response.context["picture"].nodes) == count


# Recording a meeting -----------------------------------------------------------------------


def _meeting_post(**values):
    data = {
        "table": "",
        "table_name": "",
        "held_on": days(-2).isoformat(),
        "decisions": "",
    }
    data.update(values)
    return data


def test_coordination_records_a_meeting_with_who_was_there(
    client_as, coordination, intervenant_ss, clsc, site_ss
):
    table = ConcertationTableFactory(name="Table habitation")
    response = client_as(coordination).post(
        reverse("partners:meeting_create"),
        _meeting_post(
            table=table.pk,
            sites=[site_ss.pk],
            partners_present=[clsc.pk],
            staff_present=[intervenant_ss.pk],
            decisions="Tournée des logements en février.",
            **once(),
        ),
    )
    meeting = ConcertationMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.table, meeting.created_by, meeting.version) == (table, coordination, 1)
    assert list(meeting.sites.all()) == [site_ss]
    assert list(meeting.partners_present.all()) == [clsc]
    assert list(meeting.staff_present.all()) == [intervenant_ss]
    assert LogEntry.objects.get_for_object(meeting).exists()


def test_a_meeting_without_a_table_is_refused_in_french_and_keeps_what_was_typed(
    client_as, direction
):
    response = client_as(direction).post(
        reverse("partners:meeting_create"),
        _meeting_post(decisions="Décision à ne pas perdre.", **once()),
    )
    assert response.status_code == 400
    text = page_text(response)
    assert french("Choose the table or type its name.") in text
    assert "Décision à ne pas perdre." in text
    assert not ConcertationMeeting.objects.exists()


def test_a_meeting_in_the_future_is_refused(client_as, coordination):
    response = client_as(coordination).post(
        reverse("partners:meeting_create"),
        _meeting_post(table_name="Table jeunesse", held_on=days(3).isoformat(), **once()),
    )
    assert response.status_code == 400
    assert french("A meeting cannot be recorded before it is held.") in page_text(response)
    assert not ConcertationMeeting.objects.exists()


def test_a_stale_edit_of_a_meeting_is_refused_and_keeps_the_typed_decisions(
    client_as, coordination, direction, meeting
):
    url = reverse("partners:meeting_update", args=[meeting.pk])
    opened = version_of(meeting)
    first = client_as(direction).post(
        url, _meeting_post(table=meeting.table_id, decisions="Version de la direction.", **opened)
    )
    assert first.status_code == 302
    late = client_as(coordination).post(
        url, _meeting_post(table=meeting.table_id, decisions="Version tardive.", **opened)
    )
    assert late.status_code == 409
    assert french(STALE_MEETING) in page_text(late)
    assert "Version tardive." in page_text(late)
    meeting.refresh_from_db()
    assert (meeting.decisions, meeting.version) == ("Version de la direction.", 2)


def test_an_intervenant_reads_meetings_but_does_not_record_them(client_as, intervenant_ag, meeting):
    client = client_as(intervenant_ag)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    response = client.post(reverse("partners:meeting_create"), _meeting_post(table_name="X"))
    assert response.status_code == 403
    update = client.get(reverse("partners:meeting_update", args=[meeting.pk]))
    assert update.status_code == 403
    assert not ConcertationMeeting.objects.exclude(pk=meeting.pk).exists()


def test_research_does_not_open_the_meetings(client_as, research, meeting):
    client = client_as(research)
    for url in (
        reverse("partners:meeting_list"),
        meeting.get_absolute_url(),
        reverse("partners:commitment_list"),
    ):
        assert client.get(url).status_code == 403


# Commitments -------------------------------------------------------------------------------


def test_coordination_adds_a_commitment_to_the_meeting(client_as, coordination, meeting, clsc):
    client = client_as(coordination)
    url = reverse("partners:commitment_create", args=[meeting.pk])
    data = {"organisation": clsc.pk, "what": "Envoyer le calendrier.", "due_on": days(10)}
    with max_data_queries(12):
        response = client.post(url, {**data, **once()})
    assert response.status_code == 302
    commitment = meeting.commitments.get()
    assert (commitment.organisation, commitment.what, commitment.due_on) == (
        clsc,
        "Envoyer le calendrier.",
        days(10),
    )
    assert commitment.status == Open


def test_a_commitment_without_its_due_date_is_refused_and_keeps_what_was_typed(
    client_as, coordination, meeting, clsc
):
    response = client_as(coordination).post(
        reverse("partners:commitment_create", args=[meeting.pk]),
        {"organisation": clsc.pk, "what": "Promesse à garder.", "due_on": "", **once()},
    )
    assert response.status_code == 400
    assert french("This field is required.") in page_text(response)
    assert "Promesse à garder." in page_text(response)
    assert not Commitment.objects.exists()


def test_an_intervenant_adds_no_commitment(client_as, intervenant_ss, meeting, clsc):
    response = client_as(intervenant_ss).post(
        reverse("partners:commitment_create", args=[meeting.pk]),
        {"organisation": clsc.pk, "what": "Non.", "due_on": days(3), **once()},
    )
    assert response.status_code == 403
    assert not Commitment.objects.exists()


def test_an_intervenant_marks_a_commitment_kept_then_undoes_it(client_as, intervenant_ss, mixed):
    commitment = mixed["late"]
    client = client_as(intervenant_ss)
    url = reverse("partners:commitment_status", args=[commitment.pk])

    # The session and account, the commitment (twice: read, then locked), full_clean's three
    # checks, the update, the step, the audit entries and the session.
    with max_data_queries(14):
        response = client.post(url, {"status": "kept"})

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_on, commitment.status_by) == (
        Kept,
        today(),
        intervenant_ss,
    )
    assert not commitment.is_late
    client.post(url, {"status": "open"})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_on, commitment.status_by) == (Open, None, None)
    assert commitment.is_late
    steps = list(CommitmentEvent.objects.values_list("old_status", "new_status", "by"))
    assert steps == [(Open, Kept, intervenant_ss.pk), (Kept, Open, intervenant_ss.pk)]
    page = page_text(client.get(commitment.meeting.get_absolute_url()))
    assert french("History") in page
    kind = ContentType.objects.get_for_model(Commitment)
    assert LogEntry.objects.filter(content_type=kind, object_pk=str(commitment.pk)).count() >= 3


def test_a_kept_commitment_is_not_dropped_without_being_opened_again(
    client_as, coordination, mixed
):
    kept = mixed["kept"]
    response = client_as(coordination).post(
        reverse("partners:commitment_status", args=[kept.pk]), {"status": "dropped"}
    )
    assert response.status_code == 400
    assert french("This commitment is already %(status)s.") % {
        "status": french("Kept").lower()
    } in page_text(response)
    kept.refresh_from_db()
    assert kept.status == Kept


def test_a_follow_up_with_an_unknown_status_is_refused(client_as, coordination, mixed):
    response = client_as(coordination).post(
        reverse("partners:commitment_status", args=[mixed["late"].pk]), {"status": "oublié"}
    )
    assert response.status_code == 400
    assert french("Choose kept, dropped or open.") in page_text(response)
    assert not CommitmentEvent.objects.exists()


def test_the_service_refuses_a_move_to_the_same_status(coordination, mixed):
    with pytest.raises(ValidationError):
        commitment_set_status(commitment=mixed["late"], status=Open, by=coordination)
    assert not CommitmentEvent.objects.exists()


# The lists ---------------------------------------------------------------------------------


def test_the_commitments_to_follow_filter_by_organisation_and_lateness(
    client_as, coordination, mixed, meeting
):
    other = OrganisationFactory(name="Maison des jeunes")
    CommitmentFactory(meeting=meeting, organisation=other, what="Prêter la salle.")
    client = client_as(coordination)
    url = reverse("partners:commitment_list")

    shown = client.get(url).context["page_obj"].object_list
    assert set(shown) == {mixed["due_today"], mixed["late"], other.commitments.get()}
    by_partner = client.get(url, {"organisation": other.pk}).context["page_obj"].object_list
    assert list(by_partner) == [other.commitments.get()]
    late = client.get(url, {"late_only": "on"}).context["page_obj"].object_list
    assert list(late) == [mixed["late"]]


@pytest.mark.parametrize("count", [3, 30])
def test_the_lists_budgets_do_not_grow_with_data(client_as, coordination, clsc, count):
    for index in range(count):
        meeting = MeetingFactory(partners_present=[clsc], table__name=f"Table {index:02d}")
        CommitmentFactory(meeting=meeting, organisation=clsc, due_on=days(index - 5))
    client = client_as(coordination)
    client.get(reverse("partners:meeting_list"))
    for url, budget in (
        (reverse("partners:meeting_list"), 6),
        (reverse("partners:commitment_list"), 6),
        (meeting.get_absolute_url(), 10),
    ):
        with max_data_queries(budget):
            assert client.get(url).status_code == 200


def test_the_meeting_list_paginates(client_as, intervenant_ss):
    table = ConcertationTableFactory()
    for index in range(30):
        MeetingFactory(table=table, held_on=days(-index - 1))
    response = client_as(intervenant_ss).get(reverse("partners:meeting_list"))
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.num_pages == 2


# Reminders ---------------------------------------------------------------------------------


def test_late_commitments_ring_coordinations_bell_only(
    client_as, coordination, intervenant_ss, mixed
):
    page = page_text(client_as(coordination).get(reverse("reminders:list")))
    assert "1 engagement" in page
    assert reverse("partners:commitment_list") in page
    other = page_text(client_as(intervenant_ss).get(reverse("reminders:list")))
    assert "engagement" not in other


def test_the_weekly_summary_lists_late_commitments_by_partner(coordination, mixed, clsc):
    from django.core import mail

    from reminders.services import weekly_summary_send

    monday = today() - timedelta(days=today().weekday())
    assert weekly_summary_send(user=coordination, monday=monday)
    [message] = mail.outbox
    assert f"{clsc.name} : 1" in message.body
    assert "engagement" in message.subject
