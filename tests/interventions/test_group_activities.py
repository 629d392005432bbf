"""Group activities: registrations, sessions with their attendance, and who stopped coming."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.models import GroupActivity, Intervention, Level, Participation
from residents.models import Consent
from tests.factories import (
    GroupActivityFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
    resident_of,
)
from tests.helpers import once

TODAY = timezone.localdate
CREATE_URL = reverse("interventions:activity_create")


def session_url(activity):
    return reverse("interventions:session_create", args=[activity.pk])


def activity_post(site, **values):
    data = {
        **once(),
        "name": "Club de devoirs",
        "site": site.pk,
        "season": "Automne 2026",
        "schedule": "Mardis 16 h",
        "type": InterventionTypeFactory(name="Aide aux devoirs").pk,
        "place": PlaceFactory(name="Local communautaire").pk,
        "usual_duration": "90",
        "is_active": "on",
    }
    data.update(values)
    return data


def session_post(**values):
    data = {
        "date": TODAY().isoformat(),
        "start_time": "16:00",
        "duration_minutes": "90",
        **once(),
    }
    data.update(values)
    return data


def held(activity, *residents, days_ago, headcount=0, author=None):
    """A session of the activity, `days_ago`, with these residents and a headcount."""
    session = InterventionFactory(
        activity=activity,
        site=activity.site,
        type=activity.type,
        place=activity.place,
        level=Level.GROUP,
        date=TODAY() - timedelta(days=days_ago),
        count_6_12=headcount,
        count_13_17=0,
        **({"author": author} if author else {}),
    )
    for resident in residents:
        ParticipationFactory(intervention=session, resident=resident)
    return session


@pytest.fixture
def activity(site_ss):
    return GroupActivityFactory(site=site_ss)


class TestActivityForm:
    def test_creates_an_activity_with_its_registered_participants(
        self, client_as, intervenant_ss, site_ss
    ):
        first, second = resident_of(site_ss), resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL, activity_post(site_ss, registered=[first.pk, second.pk])
        )
        activity = GroupActivity.objects.get()
        assert response.status_code == 302
        assert response["Location"] == activity.get_absolute_url()
        assert activity.site == site_ss
        assert set(activity.registered.all()) == {first, second}

    def test_only_residents_i_can_see_can_be_registered(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        elsewhere = resident_of(site_ag)
        response = client_as(intervenant_ss).post(
            CREATE_URL, activity_post(site_ss, registered=[elsewhere.pk])
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "registered" in form.errors
        assert form["name"].value() == "Club de devoirs"
        assert not GroupActivity.objects.exists()

    def test_an_intervenant_cannot_create_an_activity_on_another_site(
        self, client_as, intervenant_ss, site_ag
    ):
        response = client_as(intervenant_ss).post(CREATE_URL, activity_post(site_ag))
        assert response.status_code == 400
        assert "site" in response.context["form"].errors
        assert not GroupActivity.objects.exists()

    def test_editing_changes_the_registrations(self, client_as, intervenant_ss, site_ss, activity):
        leaving, staying, joining = (resident_of(site_ss) for _ in range(3))
        activity.registered.set([leaving, staying])
        url = reverse("interventions:activity_update", args=[activity.pk])
        client = client_as(intervenant_ss)
        assert set(client.get(url).context["form"]["registered"].value()) == {
            leaving.pk,
            staying.pk,
        }
        response = client.post(url, activity_post(site_ss, registered=[staying.pk, joining.pk]))
        assert response.status_code == 302
        assert set(activity.registered.all()) == {staying, joining}


class TestActivityAccess:
    def test_the_list_shows_only_my_sites_activities(
        self, client_as, intervenant_ss, site_ss, site_ag, activity
    ):
        GroupActivityFactory(site=site_ag, name="Cuisine collective")
        response = client_as(intervenant_ss).get(reverse("interventions:activity_list"))
        assert [a.pk for a in response.context["page_obj"]] == [activity.pk]

    @pytest.mark.parametrize("page_name", ["activity_detail", "activity_update", "session_create"])
    def test_an_intervenant_of_another_site_gets_404(
        self, client_as, intervenant_ag, activity, page_name
    ):
        url = reverse(f"interventions:{page_name}", args=[activity.pk])
        assert client_as(intervenant_ag).get(url).status_code == 404

    def test_an_intervenant_of_another_site_cannot_log_a_session(
        self, client_as, intervenant_ag, activity
    ):
        response = client_as(intervenant_ag).post(
            session_url(activity), session_post(count_6_12="3")
        )
        assert response.status_code == 404
        assert not Intervention.objects.exists()


class TestSession:
    def test_records_present_registered_walk_ins_and_a_headcount_in_one_group_intervention(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        present, absent, walk_in = (resident_of(site_ss) for _ in range(3))
        activity.registered.set([present, absent])
        client = client_as(intervenant_ss)
        form = client.get(session_url(activity)).context["form"]
        assert set(form.fields["present"].queryset) == {present, absent}
        assert form["duration_minutes"].value() == activity.usual_duration
        assert form["date"].value() == TODAY()

        response = client.post(
            session_url(activity),
            session_post(present=[present.pk], walk_ins=[walk_in.pk], count_6_12="4"),
        )
        assert response.status_code == 302
        assert response["Location"] == activity.get_absolute_url()
        session = Intervention.objects.get()
        assert session.level == Level.GROUP
        assert session.activity == activity
        assert session.site == activity.site
        assert session.type == activity.type
        assert session.place == activity.place
        assert session.author == intervenant_ss
        assert session.count_6_12 == 4
        assert set(session.participants.all()) == {present, walk_in}
        assert set(Participation.objects.values_list("role", flat=True)) == {
            Participation.Role.PARTICIPANT
        }

    def test_a_walk_in_who_is_also_registered_is_named_once(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        resident = resident_of(site_ss)
        activity.registered.set([resident])
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(present=[resident.pk], walk_ins=[resident.pk])
        )
        assert response.status_code == 302
        assert Participation.objects.get().resident == resident

    def test_a_session_with_nobody_is_refused(self, client_as, intervenant_ss, site_ss, activity):
        activity.registered.set([resident_of(site_ss)])
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(summary="Texte tapé")
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "present" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()

    def test_only_registered_participants_can_be_ticked_present(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        stranger = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(present=[stranger.pk])
        )
        assert response.status_code == 400
        assert "present" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_walk_in_of_another_site_is_refused(
        self, client_as, intervenant_ss, site_ag, activity
    ):
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(walk_ins=[resident_of(site_ag).pk])
        )
        assert response.status_code == 400
        assert "walk_ins" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_session_cannot_be_logged_in_the_future(self, client_as, intervenant_ss, activity):
        tomorrow = (TODAY() + timedelta(days=1)).isoformat()
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(date=tomorrow, count_6_12="3")
        )
        assert response.status_code == 400
        assert "date" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_registered_resident_whose_consent_was_withdrawn_is_refused_not_a_crash(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        resident = resident_of(site_ss)
        activity.registered.set([resident])
        Consent.objects.filter(resident=resident).update(withdrawn_on=TODAY())
        response = client_as(intervenant_ss).post(
            session_url(activity), session_post(present=[resident.pk], summary="Texte tapé")
        )
        assert response.status_code == 400
        assert response.context["form"].errors
        assert not Intervention.objects.exists()


class TestActivityStats:
    def test_sessions_attendance_new_returning_and_who_stopped_coming(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        alice = resident_of(site_ss, first_name="Alice", last_name="Arsenault")
        bruno = resident_of(site_ss, first_name="Bruno", last_name="Bélanger")
        chloe = resident_of(site_ss, first_name="Chloé", last_name="Côté")
        held(activity, alice, bruno, days_ago=60, headcount=2)  # 4 people
        held(activity, alice, days_ago=50)  # 1
        held(activity, days_ago=20, headcount=3)  # 3
        held(activity, chloe, days_ago=10)  # 1
        held(activity, bruno, chloe, days_ago=5)  # 2
        response = client_as(intervenant_ss).get(activity.get_absolute_url())
        assert response.status_code == 200
        stats = response.context["stats"]
        assert stats.sessions == 5
        assert stats.average_attendance == pytest.approx(11 / 5)
        assert stats.participants == 3
        assert stats.new_participants == 1  # Chloé came first 10 days ago
        assert stats.returning_participants == 2
        assert stats.stopped_coming == [alice]
        assert alice.full_name in response.content.decode()

    def test_nobody_stopped_coming_while_there_are_three_sessions_or_fewer(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        alice = resident_of(site_ss)
        held(activity, alice, days_ago=30)
        held(activity, days_ago=20, headcount=2)
        held(activity, days_ago=10, headcount=2)
        stats = client_as(intervenant_ss).get(activity.get_absolute_url()).context["stats"]
        assert stats.sessions == 3
        assert stats.stopped_coming == []

    def test_an_activity_without_sessions_shows_zeros(self, client_as, intervenant_ss, activity):
        stats = client_as(intervenant_ss).get(activity.get_absolute_url()).context["stats"]
        assert (stats.sessions, stats.average_attendance, stats.participants) == (0, 0, 0)

    def test_another_activitys_sessions_do_not_count(
        self, client_as, intervenant_ss, site_ss, activity
    ):
        other = GroupActivityFactory(site=site_ss, name="Cuisine collective")
        held(other, resident_of(site_ss), days_ago=3)
        held(activity, days_ago=3, headcount=5)
        stats = client_as(intervenant_ss).get(activity.get_absolute_url()).context["stats"]
        assert (stats.sessions, stats.average_attendance, stats.participants) == (1, 5, 0)

    @pytest.mark.parametrize("sessions", [3, 30])
    def test_query_count_does_not_grow_with_sessions(
        self, client_as, intervenant_ss, site_ss, activity, sessions, django_assert_max_num_queries
    ):
        people = [resident_of(site_ss) for _ in range(4)]
        activity.registered.set(people)
        for index in range(sessions):
            held(activity, *people[index % 4 :], days_ago=index, headcount=1)
        client = client_as(intervenant_ss)
        # session and user, the user's sites (who may be named), the activity, four for its
        # statistics, latest sessions and their themes, registered participants
        with django_assert_max_num_queries(11):
            response = client.get(activity.get_absolute_url())
        assert response.context["stats"].sessions == sessions
