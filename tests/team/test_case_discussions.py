"""Case discussions: their content is for the meeting's participants and the direction, each
reading recorded in the read log; the household's timeline shows that one took place, not
what was said, to those who may see the household but not read it."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from privacy.models import ReadEvent
from team.models import AgendaItem
from tests.factories import HouseholdFactory, UserFactory
from tests.helpers import french, page_text
from tests.team.factories import case_discussion_of

SAID = "ÉCHANGE-CONFIDENTIEL la mère se dit épuisée par la situation"
DECIDED = "DÉCISION-CONFIDENTIELLE proposer une rencontre à l’école"
TO_DO = "ACTION-CONFIDENTIELLE appeler la travailleuse sociale"
WORDS = ["ÉCHANGE-CONFIDENTIEL", "DÉCISION-CONFIDENTIELLE", "ACTION-CONFIDENTIELLE"]


@pytest.fixture
def colleague(site_ss):
    """An intervenant of the same site who did not attend."""
    return UserFactory(username="collegue.ss", role=Role.INTERVENANT, sites=[site_ss])


@pytest.fixture
def household(site_ss):
    return HouseholdFactory(site=site_ss, label="Tremblay")


@pytest.fixture
def discussion(household, intervenant_ss):
    item = case_discussion_of(
        household, participants=[intervenant_ss], said=SAID, decisions=DECIDED
    )
    item.actions.update(what=TO_DO)
    return item


@pytest.fixture
def personas(
    intervenant_ss,
    colleague,
    intervenant_ag,
    coordination,
    direction,
    admin_user,
    research,
    outsider,
):
    return {
        "participant": intervenant_ss,
        "direction": direction,
        "colleague": colleague,
        "other_site": intervenant_ag,
        "coordination": coordination,
        "admin": admin_user,
        "research": research,
        "outsider": outsider,
    }


def readings(item):
    return ReadEvent.objects.filter(
        kind=ReadEvent.Kind.CASE_DISCUSSION,
        target_type=ContentType.objects.get_for_model(AgendaItem),
        target_id=item.pk,
    )


def _pages(item):
    action = item.actions.get()
    return [
        reverse("team:meeting_detail", args=[item.meeting_id]),
        reverse("team:item_update", args=[item.pk]),
        reverse("team:action_update", args=[action.pk]),
    ]


class TestWhoReadsACaseDiscussion:
    @pytest.mark.parametrize("persona", ["participant", "direction"])
    def test_the_participants_and_the_direction_read_it_and_each_reading_is_logged(
        self, client_as, personas, persona, discussion
    ):
        user = personas[persona]
        client = client_as(user)
        response = client.get(discussion.meeting.get_absolute_url())
        assert response.status_code == 200
        text = page_text(response)
        assert all(word in text for word in WORDS)
        assert readings(discussion).filter(actor=user).count() == 1
        client.get(reverse("team:item_update", args=[discussion.pk]))
        assert readings(discussion).filter(actor=user).count() == 2

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("colleague", 404),
            ("other_site", 404),
            ("coordination", 404),
            ("admin", 403),
            ("research", 403),
            ("outsider", 403),
        ],
    )
    def test_nobody_else_reads_it_nor_learns_more_than_a_refusal(
        self, client_as, personas, persona, status, discussion
    ):
        client = client_as(personas[persona])
        for url in _pages(discussion):
            response = client.get(url)
            assert response.status_code == status, url
            assert not any(word in response.content.decode() for word in WORDS)
        assert not readings(discussion).exists()

    def test_a_colleague_does_not_see_the_meeting_in_the_list(
        self, client_as, colleague, discussion
    ):
        response = client_as(colleague).get(reverse("team:meeting_list"))
        assert response.status_code == 200
        assert not list(response.context["page_obj"])

    def test_the_direction_sees_every_meeting_in_the_list(self, client_as, direction, discussion):
        response = client_as(direction).get(reverse("team:meeting_list"))
        assert [meeting.pk for meeting in response.context["page_obj"]] == [discussion.meeting_id]

    def test_a_participant_removed_from_the_meeting_no_longer_reads_it(
        self, client_as, colleague, intervenant_ss, discussion
    ):
        discussion.meeting.participants.set([colleague])
        response = client_as(intervenant_ss).get(discussion.meeting.get_absolute_url())
        assert response.status_code == 404

    def test_the_audit_trail_keeps_that_it_changed_never_what_was_said(self, discussion):
        entries = LogEntry.objects.get_for_object(discussion)
        assert entries.exists()
        changes = str([entry.changes for entry in entries])
        assert "ÉCHANGE-CONFIDENTIEL" not in changes
        assert "DÉCISION-CONFIDENTIELLE" not in changes
        assert "ACTION-CONFIDENTIELLE" not in str(
            [entry.changes for entry in LogEntry.objects.get_for_object(discussion.actions.get())]
        )


class TestTheHouseholdTimeline:
    def test_a_colleague_of_the_site_sees_that_it_took_place_and_who_attended_not_what(
        self, client_as, colleague, intervenant_ss, household, discussion
    ):
        response = client_as(colleague).get(household.get_absolute_url())
        text = page_text(response)
        day = discussion.meeting.held_on
        assert french("Case discussions in team meetings") in text
        assert intervenant_ss.get_full_name() in text
        assert not any(word in text for word in WORDS)
        assert discussion.get_absolute_url() not in response.content.decode()
        assert response.context["case_discussions"][0].meeting.held_on == day
        assert not readings(discussion).exists()

    @pytest.mark.parametrize("persona", ["participant", "direction"])
    def test_those_who_may_read_it_get_a_link(
        self, client_as, personas, persona, household, discussion
    ):
        response = client_as(personas[persona]).get(household.get_absolute_url())
        assert discussion.get_absolute_url() in response.content.decode()
        assert not any(word in page_text(response) for word in WORDS)

    def test_the_resident_page_shows_a_discussion_about_the_resident(
        self, client_as, colleague, intervenant_ss, household
    ):
        from tests.factories import ConsentedResidentFactory

        resident = ConsentedResidentFactory(household=household)
        item = case_discussion_of(household, participants=[intervenant_ss], said=SAID)
        item.resident = resident
        item.save()
        response = client_as(colleague).get(resident.get_absolute_url())
        assert [trace.item.pk for trace in response.context["case_discussions"]] == [item.pk]
        assert SAID not in page_text(response)

    def test_the_household_page_budget_does_not_grow_with_discussions(
        self,
        client_as,
        colleague,
        intervenant_ss,
        coordination,
        household,
        django_assert_max_num_queries,
    ):
        for days in range(15):
            item = case_discussion_of(household, participants=[intervenant_ss, coordination])
            item.meeting.held_on = timezone.localdate() - timedelta(days=days)
            item.meeting.save()
        client = client_as(colleague)
        client.get(household.get_absolute_url())
        with django_assert_max_num_queries(16):
            response = client.get(household.get_absolute_url())
        assert len(response.context["case_discussions"]) == 10


@pytest.mark.parametrize(
    ("role", "takes_part", "reads_all"),
    [
        (Role.INTERVENANT, True, False),
        (Role.COORDINATION, True, False),
        (Role.DIRECTION, True, True),
        (Role.ADMIN, False, False),
        (Role.RESEARCH, False, False),
        ("", False, False),
    ],
)
def test_the_policy_says_who_takes_part_and_who_reads_every_meeting(
    db, role, takes_part, reads_all
):
    from ema.access import can_read_every_team_meeting, can_take_part_in_team_meetings

    user = UserFactory(role=role)
    assert can_take_part_in_team_meetings(user) is takes_part
    assert can_read_every_team_meeting(user) is reads_all
