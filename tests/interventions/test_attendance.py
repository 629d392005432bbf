"""The attendance page of a group session (issue 13): rows a thumb can hit, the last
session's attendance or everyone ticked in one tap (with or without JavaScript), the
activity's usual start time, and a warning before a second session on the same day."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from ema.submissions import FIELD
from interventions import selectors
from interventions.forms import SAME_DAY
from interventions.models import GroupActivity, Intervention, Level
from tests.factories import (
    GroupActivityFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
    resident_of,
)
from tests.helpers import SUMMARY_QUERIES, french, max_data_queries, once, page_text

TODAY = timezone.localdate


def session_url(activity: GroupActivity, query: str = "") -> str:
    return reverse("interventions:session_create", args=[activity.pk]) + query


def session_post(**values):
    data = {
        **once(),
        "date": TODAY().isoformat(),
        "start_time": "16:00",
        "duration_minutes": "90",
    }
    data.update(values)
    return data


def session_of(activity, *residents, days_ago=0, start=time(16, 0)):
    """A session of the activity held `days_ago`, naming these residents."""
    session = InterventionFactory(
        activity=activity,
        site=activity.site,
        type=activity.type,
        place=activity.place,
        level=Level.GROUP,
        date=TODAY() - timedelta(days=days_ago),
        start_time=start,
    )
    for resident in residents:
        ParticipationFactory(intervention=session, resident=resident)
    return session


def same_day_warning(day) -> str:
    """The warning as the French page shows it for `day`."""
    with translation.override("fr-ca"):
        return " ".join((SAME_DAY % {"date": date_format(day, "DATE_FORMAT")}).split())


def ticked(response) -> set[int]:
    """The residents whose presence box the page shows ticked."""
    return {
        int(value)
        for value in re.findall(
            r'<input type="checkbox" name="present" value="(\d+)"[^>]*\bchecked\b',
            response.content.decode(),
        )
    }


@pytest.fixture
def activity(site_ss):
    return GroupActivityFactory(site=site_ss)


@pytest.fixture
def group(site_ss, activity):
    """Four registered residents: the last session named the first and the third."""
    people = [resident_of(site_ss, last_name=name) for name in ("Aubin", "Bédard", "Caron", "Dion")]
    activity.registered.set(people)
    session_of(activity, *people, days_ago=14)
    session_of(activity, people[0], people[2], days_ago=7)
    return people


class TestUsualStartTime:
    def test_the_activity_form_saves_the_usual_start_time(self, client_as, intervenant_ss, site_ss):
        data = {
            **once(),
            "name": "Club de devoirs",
            "site": site_ss.pk,
            "season": "Automne 2026",
            "schedule": "Mardis 16 h 30",
            "usual_start_time": "16:30",
            "type": InterventionTypeFactory(name="Aide aux devoirs").pk,
            "place": PlaceFactory(name="Local communautaire").pk,
            "usual_duration": "90",
            "is_active": "on",
        }
        client = client_as(intervenant_ss)
        page = client.get(reverse("interventions:activity_create"))
        assert 'name="usual_start_time"' in page.content.decode()
        assert french("usual start time").capitalize() in page_text(page)
        response = client.post(reverse("interventions:activity_create"), data)
        assert response.status_code == 302
        assert GroupActivity.objects.get().usual_start_time == time(16, 30)

    def test_a_new_session_starts_at_the_activitys_usual_time(
        self, client_as, intervenant_ss, site_ss
    ):
        activity = GroupActivityFactory(site=site_ss, usual_start_time=time(16, 30))
        response = client_as(intervenant_ss).get(session_url(activity))
        assert response.context["form"]["start_time"].value() == time(16, 30)
        assert 'name="start_time" value="16:30"' in response.content.decode()

    def test_without_a_usual_time_the_start_time_is_left_empty(
        self, client_as, intervenant_ss, activity
    ):
        response = client_as(intervenant_ss).get(session_url(activity))
        assert response.context["form"]["start_time"].value() is None


class TestTapTargets:
    def test_each_presence_box_is_inside_its_own_row_label(
        self, client_as, intervenant_ss, activity, group
    ):
        html = client_as(intervenant_ss).get(session_url(activity)).content.decode()
        for index, person in enumerate(sorted(group, key=lambda r: r.last_name)):
            row = re.search(
                rf'<label class="tap-row" for="id_present_{index}">'
                rf'<input type="checkbox" name="present" value="{person.pk}"[^>]*'
                rf'id="id_present_{index}"[^>]*><span>{re.escape(person.full_name)}</span></label>',
                html,
            )
            assert row, person.full_name

    def test_the_page_loads_its_script_from_a_file(self, client_as, intervenant_ss, activity):
        html = client_as(intervenant_ss).get(session_url(activity)).content.decode()
        assert re.search(r'<script src="[^"]*js/attendance\.js"></script>', html)
        assert not re.search(r"<script>", html)  # no inline script (CSP)


class TestFromTheLastSession:
    def test_the_last_session_is_the_latest_by_date_then_by_time(self, site_ss, activity):
        first, second, third = (resident_of(site_ss) for _ in range(3))
        session_of(activity, first, days_ago=3, start=time(18, 0))
        session_of(activity, second, days_ago=1, start=time(9, 0))
        session_of(activity, third, days_ago=1, start=time(14, 0))
        last = selectors.last_session(activity=activity)
        assert last is not None
        assert last.date == TODAY() - timedelta(days=1)
        assert last.named == {third.pk}

    def test_a_session_of_a_headcount_only_names_nobody(self, activity):
        session_of(activity, days_ago=2)
        assert selectors.last_session(activity=activity).named == frozenset()

    def test_an_activity_without_sessions_has_no_last_session(self, activity):
        assert selectors.last_session(activity=activity) is None

    def test_the_buttons_carry_who_to_tick_and_nothing_is_ticked_at_first(
        self, client_as, intervenant_ss, activity, group
    ):
        response = client_as(intervenant_ss).get(session_url(activity))
        html = response.content.decode()
        expected = " ".join(str(pk) for pk in sorted([group[0].pk, group[2].pk]))
        assert f'href="?comme=derniere#attendance" data-attendance-fill="{expected}"' in html
        assert 'href="?comme=tous#attendance" data-attendance-fill="all"' in html
        text = page_text(response)
        assert french("Everyone from the last session") in text
        assert french("Tick everyone") in text
        assert ticked(response) == set()

    def test_without_javascript_comme_derniere_ticks_those_of_the_last_session(
        self, client_as, intervenant_ss, activity, group
    ):
        response = client_as(intervenant_ss).get(session_url(activity, "?comme=derniere"))
        assert response.status_code == 200
        assert ticked(response) == {group[0].pk, group[2].pk}

    def test_without_javascript_comme_tous_ticks_every_registered_participant(
        self, client_as, intervenant_ss, activity, group
    ):
        response = client_as(intervenant_ss).get(session_url(activity, "?comme=tous"))
        assert ticked(response) == {person.pk for person in group}

    def test_an_unknown_comme_ticks_nobody(self, client_as, intervenant_ss, activity, group):
        response = client_as(intervenant_ss).get(session_url(activity, "?comme=1%20OR%201"))
        assert response.status_code == 200
        assert ticked(response) == set()

    def test_a_walk_in_of_the_last_session_is_not_ticked_among_the_registered(
        self, client_as, intervenant_ss, site_ss, activity, group
    ):
        walk_in = resident_of(site_ss)
        session_of(activity, group[1], walk_in, days_ago=1)
        response = client_as(intervenant_ss).get(session_url(activity, "?comme=derniere"))
        assert ticked(response) == {group[1].pk}

    def test_without_a_last_session_only_tick_everyone_is_offered(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        activity.registered.set([resident_of(site_ss)])
        response = client_as(intervenant_ss).get(session_url(activity))
        text = page_text(response)
        assert french("Everyone from the last session") not in text
        assert french("Tick everyone") in text

    def test_an_activity_without_registrations_says_so(self, client_as, intervenant_ss, activity):
        response = client_as(intervenant_ss).get(session_url(activity))
        text = page_text(response)
        assert french("Nobody is registered in this activity yet.") in text
        assert french("Tick everyone") not in text

    def test_the_attendance_started_from_the_last_session_is_saved_with_its_changes(
        self, client_as, intervenant_ss, activity, group
    ):
        client = client_as(intervenant_ss)
        form = client.get(session_url(activity, "?comme=derniere")).context["form"]
        present = set(form["present"].value())
        present ^= {group[2].pk, group[3].pk}  # Caron did not come, Dion did
        response = client.post(
            session_url(activity),
            session_post(**{FIELD: form[FIELD].value()}, present=sorted(present)),
        )
        assert response.status_code == 302
        saved = Intervention.objects.get(date=TODAY())
        assert set(saved.participants.all()) == {group[0], group[3]}

    def test_an_intervenant_of_another_site_gets_404_even_with_comme(
        self, client_as, intervenant_ag, activity, group
    ):
        response = client_as(intervenant_ag).get(session_url(activity, "?comme=derniere"))
        assert response.status_code == 404


class TestSameDay:
    def test_the_page_warns_when_a_session_of_today_is_already_logged(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        activity.registered.set([resident_of(site_ss)])
        session_of(activity, days_ago=0)
        response = client_as(intervenant_ss).get(session_url(activity))
        assert response.status_code == 200
        text = page_text(response)
        assert same_day_warning(TODAY()) in text
        assert french("Save anyway: this is another session on the same day") in text
        assert 'name="same_day_ok"' in response.content.decode()

    def test_no_warning_when_the_last_session_was_another_day(
        self, client_as, intervenant_ss, activity, group
    ):
        response = client_as(intervenant_ss).get(session_url(activity))
        assert response.context["form"].same_day is None
        assert 'name="same_day_ok"' not in response.content.decode()

    def test_a_second_session_of_the_day_is_held_back_then_saved_once_confirmed(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        resident = resident_of(site_ss)
        activity.registered.set([resident])
        session_of(activity, days_ago=0, start=time(10, 0))
        client = client_as(intervenant_ss)
        data = session_post(present=[resident.pk], summary="Deuxième groupe")

        first = client.post(session_url(activity), data)
        assert first.status_code == 400
        assert Intervention.objects.filter(activity=activity).count() == 1
        form = first.context["form"]
        assert form.same_day == TODAY()
        assert "same_day_ok" in form.errors
        text = page_text(first)
        assert french("Save anyway: this is another session on the same day") in text
        # What was typed comes back, with the same one-time token, unused.
        assert form["summary"].value() == "Deuxième groupe"
        assert f'name="{FIELD}" value="{data[FIELD]}"' in first.content.decode()

        second = client.post(session_url(activity), {**data, "same_day_ok": "on"})
        assert second.status_code == 302
        assert second["Location"] == activity.get_absolute_url()
        sessions = Intervention.objects.filter(activity=activity, date=TODAY())
        assert sessions.count() == 2
        assert set(sessions.latest("pk").participants.all()) == {resident}

    def test_the_warning_names_the_day_chosen(self, client_as, intervenant_ss, activity):
        session_of(activity, days_ago=3)
        day = TODAY() - timedelta(days=3)
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(date=day.isoformat(), count_6_12="3")
        )
        assert response.status_code == 400
        assert same_day_warning(day) in page_text(response)
        assert Intervention.objects.filter(activity=activity, date=day).count() == 1

    def test_a_session_of_another_day_or_activity_is_saved_without_a_warning(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        session_of(activity, days_ago=1)
        other = GroupActivityFactory(site=site_ss, name="Cuisine collective")
        session_of(other, days_ago=0)
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(count_6_12="3")
        )
        assert response.status_code == 302
        assert Intervention.objects.filter(activity=activity, date=TODAY()).count() == 1

    def test_a_confirmed_form_sent_twice_saves_once(self, client_as, intervenant_ss, activity):
        session_of(activity, days_ago=0)
        client = client_as(intervenant_ss)
        data = session_post(count_6_12="3", same_day_ok="on")
        assert client.post(session_url(activity), data).status_code == 302
        again = client.post(session_url(activity), data)
        assert again.status_code == 302
        assert Intervention.objects.filter(activity=activity, date=TODAY()).count() == 2

    def test_the_confirmation_is_not_handed_to_the_service(
        self, client_as, intervenant_ss, activity
    ):
        # A stray confirmation on a day without a session changes nothing.
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(count_6_12="3", same_day_ok="on")
        )
        assert response.status_code == 302
        assert Intervention.objects.get(activity=activity).count_6_12 == 3

    @pytest.mark.parametrize("sessions", [1, 30])
    def test_a_confirmed_second_session_keeps_the_query_budget(
        self, client_as, intervenant_ss, site_ss, activity, sessions
    ):
        people = [resident_of(site_ss) for _ in range(4)]
        activity.registered.set(people)
        for days_ago in range(sessions):
            session_of(activity, *people, days_ago=days_ago)
        client = client_as(intervenant_ss)
        client.get(reverse("interventions:my_day"))
        data = session_post(present=[p.pk for p in people], same_day_ok="on")
        with max_data_queries(12 + SUMMARY_QUERIES):
            response = client.post(session_url(activity), data)
        assert response.status_code == 302
