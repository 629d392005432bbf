"""Team meetings: recording one, its agenda and its actions, which become follow-ups of their
owners (« Mes suivis », the bell); marking them done and undoing; bad input; query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from reminders.selectors import reminders_for
from team.models import MAX_ITEMS, AgendaItem, Meeting, MeetingAction
from tests.factories import HouseholdFactory, UserFactory
from tests.helpers import french, max_data_queries, once, page_text, version_of
from tests.team.factories import (
    AgendaItemFactory,
    MeetingActionFactory,
    MeetingFactory,
    case_discussion_of,
)

FOLLOW_UPS = reverse("interventions:follow_ups")


@pytest.fixture
def colleague(site_ss):
    return UserFactory(
        username="collegue.ss",
        first_name="Maude",
        last_name="Gagnon",
        role=Role.INTERVENANT,
        sites=[site_ss],
    )


@pytest.fixture
def household(site_ss):
    return HouseholdFactory(site=site_ss, label="Tremblay")


@pytest.fixture
def meeting(intervenant_ss, colleague):
    return MeetingFactory(created_by=intervenant_ss, participants=[intervenant_ss, colleague])


class TestRecordingAMeeting:
    def test_an_intervenant_records_a_meeting_and_is_one_of_its_participants(
        self, client_as, intervenant_ss, colleague
    ):
        day = timezone.localdate()
        response = client_as(intervenant_ss).post(
            reverse("team:meeting_create"),
            {"held_on": day.isoformat(), "participants": [colleague.pk], **once()},
        )
        meeting = Meeting.objects.get()
        assert response["Location"] == meeting.get_absolute_url()
        assert meeting.held_on == day
        assert meeting.created_by == intervenant_ss
        assert set(meeting.participants.all()) == {intervenant_ss, colleague}

    @pytest.mark.parametrize("role", ["coordination", "direction"])
    def test_any_staff_role_may_record_one(self, client_as, role, request):
        user = request.getfixturevalue(role)
        response = client_as(user).post(
            reverse("team:meeting_create"),
            {"held_on": timezone.localdate().isoformat(), **once()},
        )
        assert response.status_code == 302
        assert list(Meeting.objects.get().participants.all()) == [user]

    def test_an_administrator_may_not(self, client_as, admin_user):
        response = client_as(admin_user).post(
            reverse("team:meeting_create"),
            {"held_on": timezone.localdate().isoformat(), **once()},
        )
        assert response.status_code == 403
        assert not Meeting.objects.exists()

    def test_a_meeting_without_a_date_is_refused_in_french_and_nothing_is_saved(
        self, client_as, intervenant_ss, colleague
    ):
        response = client_as(intervenant_ss).post(
            reverse("team:meeting_create"),
            {"held_on": "", "participants": [colleague.pk], **once()},
        )
        assert response.status_code == 400
        assert french("This field is required.") in page_text(response)
        assert not Meeting.objects.exists()

    def test_a_research_account_cannot_be_a_participant(self, client_as, intervenant_ss, research):
        response = client_as(intervenant_ss).post(
            reverse("team:meeting_create"),
            {"held_on": timezone.localdate().isoformat(), "participants": [research.pk], **once()},
        )
        assert response.status_code == 400
        assert not Meeting.objects.exists()

    def test_a_participant_changes_the_participants(
        self, client_as, colleague, meeting, coordination
    ):
        response = client_as(colleague).post(
            reverse("team:meeting_update", args=[meeting.pk]),
            {
                "held_on": meeting.held_on.isoformat(),
                "participants": [colleague.pk, coordination.pk],
                **version_of(meeting),
            },
        )
        assert response.status_code == 302
        assert set(meeting.participants.all()) == {colleague, coordination}

    def test_the_list_runs_a_fixed_number_of_queries(
        self, client_as, intervenant_ss, colleague, django_assert_max_num_queries
    ):
        for days in range(25):
            item = AgendaItemFactory(
                meeting=MeetingFactory(
                    created_by=intervenant_ss,
                    participants=[intervenant_ss, colleague],
                    held_on=timezone.localdate() - timedelta(days=14 * days),
                )
            )
            MeetingActionFactory(item=item)
        client = client_as(intervenant_ss)
        with django_assert_max_num_queries(6):
            response = client.get(reverse("team:meeting_list"))
        page = list(response.context["page_obj"])
        assert len(page) == 20
        assert page[0].held_on > page[-1].held_on


class TestTheAgenda:
    def test_a_case_discussion_about_a_household_is_added_at_the_end(
        self, client_as, intervenant_ss, meeting, household
    ):
        AgendaItemFactory(
            meeting=meeting, kind=AgendaItem.Kind.TRAINING, household=None, position=1
        )
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {
                "kind": "case",
                "title": "Une famille du 2e",
                "household": household.pk,
                "said": "Retard de loyer.",
                "decisions": "Accompagner au bureau de l’OMHM.",
                **once(),
            },
        )
        item = AgendaItem.objects.latest("pk")
        assert response["Location"] == item.get_absolute_url()
        assert (item.household, item.position, item.said) == (household, 2, "Retard de loyer.")

    def test_a_case_discussion_without_a_household_is_refused_in_french(
        self, client_as, intervenant_ss, meeting
    ):
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {"kind": "case", "title": "Une famille", "said": "Ce qui a été dit.", **once()},
        )
        assert response.status_code == 400
        text = page_text(response)
        assert french("A case discussion is about a household or a resident.") in text
        assert "Ce qui a été dit." in text
        assert not AgendaItem.objects.exists()

    def test_a_household_of_another_site_is_refused(
        self, client_as, intervenant_ss, meeting, site_ag
    ):
        elsewhere = HouseholdFactory(site=site_ag)
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {"kind": "case", "title": "Une famille", "household": elsewhere.pk, **once()},
        )
        assert response.status_code == 400
        assert french("This household is not among those you can see.") in page_text(response)
        assert not AgendaItem.objects.exists()

    def test_a_resident_names_their_household(self, client_as, intervenant_ss, meeting, household):
        from tests.factories import ConsentedResidentFactory

        resident = ConsentedResidentFactory(household=household)
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {
                "kind": "case",
                "title": "Un jeune",
                "household": household.pk,
                "resident": resident.pk,
                **once(),
            },
        )
        assert response.status_code == 302
        item = AgendaItem.objects.get()
        assert (item.household, item.resident) == (household, resident)

    def test_an_exchange_names_nobody(self, client_as, intervenant_ss, meeting, household):
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {
                "kind": "approaches",
                "title": "L’approche de milieu",
                "household": household.pk,
                **once(),
            },
        )
        assert response.status_code == 302
        assert AgendaItem.objects.get().household is None

    def test_an_agenda_is_limited(self, client_as, intervenant_ss, meeting):
        AgendaItemFactory.create_batch(MAX_ITEMS, meeting=meeting, kind="training", household=None)
        response = client_as(intervenant_ss).post(
            reverse("team:item_create", args=[meeting.pk]),
            {"kind": "training", "title": "Encore un point", **once()},
        )
        assert response.status_code == 400
        assert AgendaItem.objects.count() == MAX_ITEMS

    def test_a_participant_edits_then_removes_an_item(self, client_as, colleague, meeting):
        item = AgendaItemFactory(meeting=meeting, kind="organisation", household=None)
        MeetingActionFactory(item=item, owner=colleague)
        client = client_as(colleague)
        response = client.post(
            reverse("team:item_update", args=[item.pk]),
            {"kind": "organisation", "title": "Horaire d’été", **version_of(item)},
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.title == "Horaire d’été"
        response = client.post(reverse("team:item_delete", args=[item.pk]))
        assert response["Location"] == meeting.get_absolute_url()
        assert not AgendaItem.objects.exists()
        assert not MeetingAction.objects.exists()

    def test_the_meeting_page_runs_a_bounded_number_of_queries(
        self, client_as, intervenant_ss, meeting, household, django_assert_max_num_queries
    ):
        for _ in range(MAX_ITEMS):
            item = AgendaItemFactory(meeting=meeting, household=household)
            MeetingActionFactory.create_batch(3, item=item)
        client = client_as(intervenant_ss)
        # session, user, meeting and participants, items, actions, the reader's sites, and
        # one line of the read log per case discussion shown (at most MAX_ITEMS)
        with django_assert_max_num_queries(8 + MAX_ITEMS * 2):
            response = client.get(meeting.get_absolute_url())
        assert len(response.context["rows"]) == MAX_ITEMS


class TestActions:
    def test_an_action_for_a_colleague_is_added(
        self, client_as, intervenant_ss, colleague, meeting, household
    ):
        item = AgendaItemFactory(meeting=meeting, household=household)
        due = timezone.localdate() + timedelta(days=1)
        response = client_as(intervenant_ss).post(
            reverse("team:action_create", args=[item.pk]),
            {"owner": colleague.pk, "what": "Appeler l’école", "due_on": due.isoformat(), **once()},
        )
        action = MeetingAction.objects.get()
        assert response["Location"] == action.get_absolute_url()
        assert (action.owner, action.what, action.due_on, action.done_on) == (
            colleague,
            "Appeler l’école",
            due,
            None,
        )

    def test_an_owner_who_did_not_attend_is_refused_in_french(
        self, client_as, intervenant_ss, coordination, meeting
    ):
        item = AgendaItemFactory(meeting=meeting)
        response = client_as(intervenant_ss).post(
            reverse("team:action_create", args=[item.pk]),
            {"owner": coordination.pk, "what": "Appeler", "due_on": "2026-01-10", **once()},
        )
        assert response.status_code == 400
        assert french("Choose one of the meeting’s participants.") in page_text(response)
        assert not MeetingAction.objects.exists()

    def test_a_due_date_a_century_ahead_is_refused(self, client_as, intervenant_ss, meeting):
        item = AgendaItemFactory(meeting=meeting)
        response = client_as(intervenant_ss).post(
            reverse("team:action_create", args=[item.pk]),
            {"owner": intervenant_ss.pk, "what": "Appeler", "due_on": "2199-01-10", **once()},
        )
        assert response.status_code == 400
        assert not MeetingAction.objects.exists()


class TestActionsAreFollowUps:
    @pytest.fixture
    def actions(self, household, intervenant_ss, colleague):
        item = case_discussion_of(
            household, participants=[intervenant_ss, colleague], owner=colleague
        )
        today = timezone.localdate()
        item.actions.update(what="Rappeler la mère", due_on=today - timedelta(days=3))
        MeetingActionFactory(item=item, owner=colleague, what="Voir l’école", due_on=today)
        MeetingActionFactory(
            item=item, owner=colleague, what="Faire le bilan", due_on=today + timedelta(days=30)
        )
        return list(item.actions.order_by("due_on"))

    def test_they_appear_in_the_owners_follow_ups_grouped_by_when(
        self, client_as, colleague, actions
    ):
        response = client_as(colleague).get(FOLLOW_UPS)
        groups = {
            group.key: [row.action for row in group.others] for group in response.context["groups"]
        }
        assert groups["overdue"] == [actions[0]]
        assert groups["week"] == [actions[1]]
        assert groups["later"] == [actions[2]]
        assert "Rappeler la mère" in page_text(response)

    def test_not_in_anyone_elses(self, client_as, intervenant_ss, actions):
        response = client_as(intervenant_ss).get(FOLLOW_UPS)
        assert "Rappeler la mère" not in page_text(response)

    def test_an_owner_no_longer_participant_sees_the_action_but_not_its_text(
        self, client_as, colleague, intervenant_ss, actions
    ):
        actions[0].item.meeting.participants.set([intervenant_ss])
        response = client_as(colleague).get(FOLLOW_UPS)
        text = page_text(response)
        assert french("An action of a team meeting") in text
        assert "Rappeler la mère" not in text

    def test_the_bell_counts_them(self, colleague, actions):
        reminders = {
            reminder.kind: reminder.count
            for reminder in reminders_for(user=colleague, today=timezone.localdate())
        }
        assert reminders["meeting_actions_overdue"] == 1
        assert reminders["meeting_actions_due"] == 1

    def test_the_follow_ups_page_budget_does_not_grow_with_actions(
        self, client_as, colleague, actions, django_assert_max_num_queries
    ):
        for _ in range(20):
            MeetingActionFactory(item=actions[0].item, owner=colleague)
        client = client_as(colleague)
        with django_assert_max_num_queries(8):
            response = client.get(FOLLOW_UPS)
        assert sum(len(group.others) for group in response.context["groups"]) == 23

    def test_the_owner_marks_one_done_from_the_follow_ups(self, client_as, colleague, actions):
        response = client_as(colleague).post(
            reverse("team:action_done", args=[actions[0].pk]), {"back": "follow_ups"}
        )
        assert response["Location"] == FOLLOW_UPS
        actions[0].refresh_from_db()
        assert (actions[0].done_on, actions[0].done_by) == (timezone.localdate(), colleague)
        assert "Rappeler la mère" not in page_text(client_as(colleague).get(FOLLOW_UPS))

    def test_a_participant_undoes_it_from_the_meeting(
        self, client_as, colleague, intervenant_ss, actions
    ):
        action = actions[0]
        action.done_on, action.done_by = timezone.localdate(), colleague
        action.save()
        response = client_as(intervenant_ss).post(reverse("team:action_reopen", args=[action.pk]))
        assert response["Location"] == action.get_absolute_url()
        action.refresh_from_db()
        assert (action.done_on, action.done_by) == (None, None)

    def test_the_direction_marks_one_done(self, client_as, direction, actions):
        response = client_as(direction).post(reverse("team:action_done", args=[actions[1].pk]))
        assert response.status_code == 302
        actions[1].refresh_from_db()
        assert actions[1].done_by == direction

    def test_the_owner_no_longer_participant_still_marks_it_done(
        self, client_as, colleague, intervenant_ss, actions
    ):
        actions[0].item.meeting.participants.set([intervenant_ss])
        response = client_as(colleague).post(
            reverse("team:action_done", args=[actions[0].pk]), {"back": "follow_ups"}
        )
        assert response.status_code == 302
        actions[0].refresh_from_db()
        assert actions[0].is_done

    @pytest.mark.parametrize("persona", ["coordination", "intervenant_ag"])
    def test_nobody_else_marks_it_done(self, client_as, request, persona, actions):
        response = client_as(request.getfixturevalue(persona)).post(
            reverse("team:action_done", args=[actions[0].pk])
        )
        assert response.status_code == 404
        actions[0].refresh_from_db()
        assert not actions[0].is_done

    def test_marking_done_runs_a_fixed_number_of_queries(self, client_as, colleague, actions):
        client = client_as(colleague)
        # session, user, the action and its meeting's participants, the audit entry, the
        # update, the session's message
        with max_data_queries(8):
            client.post(reverse("team:action_done", args=[actions[0].pk]), {"back": "follow_ups"})
