"""Interventions: "my day", the full form, editing, deleting, the list and its filters."""

import html
import re
from datetime import datetime, time, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from interventions.models import Intervention, Level, Participation
from interventions.selectors import COUNT_LIMIT
from residents.models import Consent
from tests.factories import (
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
    ResidentFactory,
    ThemeFactory,
    UserFactory,
    bulk_interventions,
    resident_of,
)
from tests.helpers import form_data, intervention_post, page_text

TODAY = timezone.localdate
CREATE_URL = reverse("interventions:intervention_create")
LIST_URL = reverse("interventions:intervention_list")


def update_url(intervention):
    return reverse("interventions:intervention_update", args=[intervention.pk])


def delete_url(intervention):
    return reverse("interventions:intervention_delete", args=[intervention.pk])


class TestHome:
    def test_home_leads_to_my_day(self, client_as, intervenant_ss):
        response = client_as(intervenant_ss).get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == reverse("interventions:my_day")


class TestMyDay:
    URL = reverse("interventions:my_day")

    def test_shows_my_entries_of_today_as_author_or_co_intervenant_and_nobody_elses(
        self, client_as, intervenant_ss, site_ss
    ):
        colleague = UserFactory(username="collegue.ss", sites=[site_ss])
        mine = InterventionFactory(author=intervenant_ss, site=site_ss)
        joined = InterventionFactory(author=colleague, site=site_ss)
        joined.co_intervenants.add(intervenant_ss)
        InterventionFactory(author=colleague, site=site_ss)
        InterventionFactory(author=intervenant_ss, site=site_ss, date=TODAY() - timedelta(1))
        response = client_as(intervenant_ss).get(self.URL)
        assert response.status_code == 200
        assert {i.pk for i in response.context["day"].today} == {mine.pk, joined.pk}

    def test_frequent_types_come_first_most_used_first(self, client_as, intervenant_ss, site_ss):
        often = InterventionTypeFactory(name="Type souvent")
        sometimes = InterventionTypeFactory(name="Type parfois")
        once = InterventionTypeFactory(name="Type une fois")
        for type_, uses in ((once, 1), (often, 3), (sometimes, 2)):
            InterventionFactory.create_batch(uses, author=intervenant_ss, site=site_ss, type=type_)
        # A colleague's habits are not mine.
        InterventionFactory.create_batch(
            5, site=site_ss, type=InterventionTypeFactory(name="Type du collègue")
        )
        frequent = client_as(intervenant_ss).get(self.URL).context["day"].frequent_types
        assert frequent[:3] == [often, sometimes, once]
        assert len(frequent) == 4

    def test_a_newcomer_still_gets_four_shortcuts(self, client_as, intervenant_ss):
        frequent = client_as(intervenant_ss).get(self.URL).context["day"].frequent_types
        assert len(frequent) == 4

    def test_recent_entries_offer_to_log_again(self, client_as, intervenant_ss, site_ss):
        earlier = InterventionFactory(
            author=intervenant_ss, site=site_ss, date=TODAY() - timedelta(days=2)
        )
        response = client_as(intervenant_ss).get(self.URL)
        assert [i.pk for i in response.context["day"].recent] == [earlier.pk]
        assert f'href="{CREATE_URL}?from={earlier.pk}"' in response.content.decode()

    def test_counts_my_open_and_overdue_follow_ups(self, client_as, intervenant_ss, site_ss):
        for due in (TODAY() - timedelta(days=1), TODAY() + timedelta(days=3)):
            InterventionFactory(
                author=intervenant_ss, site=site_ss, follow_up_due=due, follow_up_by=intervenant_ss
            )
        day = client_as(intervenant_ss).get(self.URL).context["day"]
        assert (day.open_follow_ups, day.overdue_follow_ups) == (2, 1)

    @pytest.mark.parametrize("count", [30, 1000, 3000])
    def test_query_count_does_not_grow_with_interventions(
        self, client_as, intervenant_ss, site_ss, count, django_assert_max_num_queries
    ):
        bulk_interventions(count, author=intervenant_ss, site=site_ss)
        client = client_as(intervenant_ss)
        # session and user, frequent types (and the first types to fill the four), follow-ups,
        # today and the people it names, recent and theirs, the reader's sites (for the
        # names), open tallies; no theme: a row shows none
        with django_assert_max_num_queries(12):
            response = client.get(self.URL)
        assert response.status_code == 200
        assert len(response.context["day"].recent) == 8


class TestLogAgain:
    def test_copies_type_place_site_and_participants_but_no_notes(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = resident_of(site_ss)
        source = InterventionFactory(
            author=intervenant_ss,
            site=site_ss,
            level=Level.INDIVIDUAL,
            type=InterventionTypeFactory(name="Accompagnement"),
            place=PlaceFactory(name="Domicile"),
            date=TODAY() - timedelta(days=7),
            summary="Résumé d'avant",
            restricted_note="Note d'avant",
            follow_up_due=TODAY(),
            follow_up_by=intervenant_ss,
        )
        ParticipationFactory(intervention=source, resident=resident)
        response = client_as(intervenant_ss).get(CREATE_URL, {"from": source.pk})
        assert response.status_code == 200
        form = response.context["form"]
        assert form["type"].value() == source.type_id
        assert form["place"].value() == source.place_id
        assert form["site"].value() == site_ss.pk
        assert form["level"].value() == Level.INDIVIDUAL
        assert list(form["participants"].value()) == [resident.pk]
        assert not form["summary"].value()
        assert not form["restricted_note"].value()
        assert not form["follow_up_due"].value()
        assert not form["follow_up_by"].value()
        assert "Note d'avant" not in response.content.decode()

    def test_is_dated_today(self, client_as, intervenant_ss, site_ss):
        source = InterventionFactory(
            author=intervenant_ss, site=site_ss, date=TODAY() - timedelta(days=7)
        )
        form = client_as(intervenant_ss).get(CREATE_URL, {"from": source.pk}).context["form"]
        assert form["date"].value() == TODAY()

    def test_copies_the_headcount_and_every_role_and_dates_it_now(
        self, client_as, intervenant_ss, site_ss
    ):
        organiser, volunteer = resident_of(site_ss), resident_of(site_ss)
        source = InterventionFactory(
            author=intervenant_ss,
            site=site_ss,
            level=Level.COLLECTIVE,
            date=TODAY() - timedelta(days=7),
            start_time=time(9, 0),
            count_6_12=7,
            count_26_64=3,
        )
        ParticipationFactory(
            intervention=source, resident=organiser, role=Participation.Role.ORGANISER
        )
        ParticipationFactory(
            intervention=source, resident=volunteer, role=Participation.Role.VOLUNTEER
        )
        form = client_as(intervenant_ss).get(CREATE_URL, {"from": source.pk}).context["form"]
        assert (form["count_6_12"].value(), form["count_26_64"].value()) == (7, 3)
        assert list(form["organisers"].value()) == [organiser.pk]
        assert list(form["volunteers"].value()) == [volunteer.pk]
        now = timezone.localtime()
        copied = datetime.combine(TODAY(), form["start_time"].value())
        assert abs(copied - now.replace(tzinfo=None)) < timedelta(minutes=2)

    def test_a_source_that_is_not_a_number_is_not_found(self, client_as, intervenant_ss):
        assert client_as(intervenant_ss).get(CREATE_URL, {"from": "abc"}).status_code == 404

    def test_an_intervention_of_another_site_cannot_be_copied(
        self, client_as, intervenant_ag, site_ss
    ):
        source = InterventionFactory(site=site_ss)
        assert client_as(intervenant_ag).get(CREATE_URL, {"from": source.pk}).status_code == 404


class TestInterventionCreate:
    def test_a_new_form_is_dated_today_on_my_site(self, client_as, intervenant_ss, site_ss):
        form = client_as(intervenant_ss).get(CREATE_URL).context["form"]
        assert form["date"].value() == TODAY()
        assert form["site"].value() == site_ss.pk

    def test_an_individual_intervention_names_a_consenting_resident(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = resident_of(site_ss)
        response = client_as(intervenant_ss).post(
            CREATE_URL, intervention_post(site_ss, participants=[resident.pk])
        )
        intervention = Intervention.objects.get()
        assert response.status_code == 302
        assert response["Location"] == intervention.get_absolute_url()
        assert intervention.author == intervenant_ss
        assert intervention.version == 1
        participation = Participation.objects.get(intervention=intervention)
        assert participation.resident == resident
        assert participation.role == Participation.Role.PARTICIPANT

    def test_themes_and_co_intervenants_are_saved_without_myself(
        self, client_as, intervenant_ss, site_ss
    ):
        colleague = UserFactory(username="collegue.ss", sites=[site_ss])
        housing = ThemeFactory(name="Logement")
        client_as(intervenant_ss).post(
            CREATE_URL,
            intervention_post(
                site_ss, themes=[housing.pk], co_intervenants=[colleague.pk, intervenant_ss.pk]
            ),
        )
        intervention = Intervention.objects.get()
        assert list(intervention.themes.all()) == [housing]
        assert list(intervention.co_intervenants.all()) == [colleague]

    def test_a_resident_whose_consent_was_withdrawn_cannot_be_named(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = resident_of(site_ss)
        Consent.objects.filter(resident=resident).update(withdrawn_on=TODAY())
        data = intervention_post(site_ss, participants=[resident.pk], summary="Texte tapé")
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert "participants" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()
        assert not Participation.objects.exists()

    def test_a_resident_who_never_consented_cannot_be_named(
        self, client_as, intervenant_ss, site_ss
    ):
        resident = ResidentFactory(household=HouseholdFactory(site=site_ss))
        response = client_as(intervenant_ss).post(
            CREATE_URL, intervention_post(site_ss, participants=[resident.pk])
        )
        assert response.status_code == 400
        assert "participants" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_resident_of_another_site_cannot_be_named(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        elsewhere = resident_of(site_ag)
        data = intervention_post(site_ss, participants=[elsewhere.pk], summary="Texte tapé")
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert "participants" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()

    def test_an_intervenant_cannot_log_on_another_site(self, client_as, intervenant_ss, site_ag):
        response = client_as(intervenant_ss).post(CREATE_URL, intervention_post(site_ag))
        assert response.status_code == 400
        assert "site" in response.context["form"].errors
        assert not Intervention.objects.exists()

    @pytest.mark.parametrize("level", [Level.GROUP, Level.COLLECTIVE])
    def test_a_group_or_collective_intervention_names_or_counts_someone(
        self, client_as, intervenant_ss, site_ss, level
    ):
        data = intervention_post(site_ss, level=level, summary="Texte tapé")
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert "participants" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()

    def test_a_group_intervention_may_only_count_people(self, client_as, intervenant_ss, site_ss):
        data = intervention_post(site_ss, level=Level.GROUP, count_6_12="7")
        assert client_as(intervenant_ss).post(CREATE_URL, data).status_code == 302
        assert Intervention.objects.get().total_headcount == 7

    def test_a_future_date_is_refused(self, client_as, intervenant_ss, site_ss):
        tomorrow = (TODAY() + timedelta(days=1)).isoformat()
        data = intervention_post(site_ss, date=tomorrow, summary="Texte tapé")
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert "date" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()

    def test_a_follow_up_by_someone_needs_a_due_date(self, client_as, intervenant_ss, site_ss):
        data = intervention_post(site_ss, follow_up_by=intervenant_ss.pk, summary="Texte tapé")
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert "follow_up_due" in form.errors
        assert form["summary"].value() == "Texte tapé"
        assert not Intervention.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"), [("duration_minutes", "0"), ("duration_minutes", "721")]
    )
    def test_a_duration_lasts_from_one_minute_to_twelve_hours(
        self, client_as, intervenant_ss, site_ss, field, value
    ):
        response = client_as(intervenant_ss).post(
            CREATE_URL, intervention_post(site_ss, **{field: value})
        )
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_collective_action_records_organisers_and_volunteers(
        self, client_as, intervenant_ss, site_ss
    ):
        organiser, volunteer, participant = (resident_of(site_ss) for _ in range(3))
        data = intervention_post(
            site_ss,
            level=Level.COLLECTIVE,
            type=InterventionTypeFactory(name="Événement communautaire").pk,
            participants=[participant.pk],
            organisers=[organiser.pk],
            volunteers=[volunteer.pk],
            count_26_64="12",
        )
        assert client_as(intervenant_ss).post(CREATE_URL, data).status_code == 302
        roles = dict(Participation.objects.values_list("resident_id", "role"))
        assert roles == {
            organiser.pk: Participation.Role.ORGANISER,
            volunteer.pk: Participation.Role.VOLUNTEER,
            participant.pk: Participation.Role.PARTICIPANT,
        }

    def test_a_person_is_named_once_with_one_role(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        data = intervention_post(
            site_ss, level=Level.COLLECTIVE, organisers=[resident.pk], volunteers=[resident.pk]
        )
        response = client_as(intervenant_ss).post(CREATE_URL, data)
        assert response.status_code == 400
        assert "participants" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_an_activity_of_another_site_is_refused(self, client_as, direction, site_ss, site_ag):
        activity = GroupActivityFactory(site=site_ag)
        data = intervention_post(site_ss, level=Level.GROUP, activity=activity.pk, count_6_12="3")
        response = client_as(direction).post(CREATE_URL, data)
        assert response.status_code == 400
        assert "activity" in response.context["form"].errors
        assert not Intervention.objects.exists()


class TestInterventionEdit:
    def _edit(self, client, intervention, **values):
        form = client.get(update_url(intervention)).context["form"]
        data = form_data(form)
        data.update(values)
        return client.post(update_url(intervention), data)

    def test_the_author_edits_their_intervention(self, client_as, intervenant_ss, site_ss):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        response = self._edit(client_as(intervenant_ss), intervention, summary="Corrigé")
        assert response.status_code == 302
        intervention.refresh_from_db()
        assert intervention.summary == "Corrigé"
        assert intervention.version == 2
        assert intervention.author == intervenant_ss

    def test_the_direction_edits_any_intervention_and_the_author_stays(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        response = self._edit(client_as(direction), intervention, summary="Revu")
        assert response.status_code == 302
        intervention.refresh_from_db()
        assert intervention.summary == "Revu"
        assert intervention.author == intervenant_ss

    def test_an_edit_keeps_the_named_participants_and_their_roles(
        self, client_as, intervenant_ss, site_ss
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        organiser = resident_of(site_ss)
        ParticipationFactory(
            intervention=intervention, resident=organiser, role=Participation.Role.ORGANISER
        )
        self._edit(client_as(intervenant_ss), intervention, summary="Corrigé")
        assert dict(intervention.participations.values_list("resident", "role")) == {
            organiser.pk: Participation.Role.ORGANISER
        }

    def test_the_direction_editing_stays_a_co_intervenant(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        intervention.co_intervenants.add(direction)
        response = self._edit(client_as(direction), intervention, summary="Revu")
        assert response.status_code == 302
        assert list(intervention.co_intervenants.all()) == [direction]

    def test_the_author_is_never_their_own_co_intervenant(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        self._edit(client_as(direction), intervention, co_intervenants=[intervenant_ss.pk])
        assert not intervention.co_intervenants.exists()

    def test_another_intervenant_of_the_site_cannot_edit(self, client_as, site_ss):
        author = UserFactory(username="auteur.ss", sites=[site_ss])
        colleague = UserFactory(username="collegue.ss", sites=[site_ss])
        intervention = InterventionFactory(author=author, site=site_ss)
        client = client_as(colleague)
        assert client.get(update_url(intervention)).status_code == 403
        data = intervention_post(site_ss, summary="Pas à moi")
        assert client.post(update_url(intervention), data).status_code == 403
        intervention.refresh_from_db()
        assert intervention.summary != "Pas à moi"

    def test_coordination_cannot_edit(self, client_as, coordination, intervenant_ss, site_ss):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        assert client_as(coordination).get(update_url(intervention)).status_code == 403

    def test_an_intervenant_of_another_site_gets_404(self, client_as, intervenant_ag, site_ss):
        intervention = InterventionFactory(site=site_ss)
        assert client_as(intervenant_ag).get(update_url(intervention)).status_code == 404

    def test_a_stale_edit_is_refused_and_the_typed_text_kept(
        self, client_as, intervenant_ss, site_ss
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss, summary="Début")
        client = client_as(intervenant_ss)
        opened = form_data(client.get(update_url(intervention)).context["form"])
        assert opened["version"] == 1
        first = client.post(update_url(intervention), {**opened, "summary": "Première version"})
        assert first.status_code == 302
        intervention.refresh_from_db()
        assert intervention.version == 2

        late = client.post(update_url(intervention), {**opened, "summary": "Texte tapé en retard"})
        assert late.status_code == 409
        intervention.refresh_from_db()
        assert intervention.summary == "Première version"
        assert intervention.version == 2
        assert late.context["form"].non_field_errors()
        assert "Texte tapé en retard" in late.content.decode()


class TestInterventionDelete:
    @pytest.mark.parametrize("persona", ["author", "direction"])
    def test_the_author_or_the_direction_deletes(
        self, client_as, intervenant_ss, direction, site_ss, persona
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        ParticipationFactory(intervention=intervention, resident=resident_of(site_ss))
        user = intervenant_ss if persona == "author" else direction
        client = client_as(user)
        assert client.get(delete_url(intervention)).status_code == 200
        response = client.post(delete_url(intervention))
        assert response.status_code == 302
        assert response["Location"] == LIST_URL
        assert not Intervention.objects.exists()
        assert not Participation.objects.exists()

    def test_coordination_cannot_delete(self, client_as, coordination, intervenant_ss, site_ss):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        client = client_as(coordination)
        assert client.get(delete_url(intervention)).status_code == 403
        assert client.post(delete_url(intervention)).status_code == 403
        assert Intervention.objects.filter(pk=intervention.pk).exists()

    def test_another_intervenant_of_the_site_cannot_delete(self, client_as, site_ss):
        intervention = InterventionFactory(site=site_ss)
        colleague = UserFactory(username="collegue.ss", sites=[site_ss])
        assert client_as(colleague).post(delete_url(intervention)).status_code == 403
        assert Intervention.objects.exists()


class TestAuditTrail:
    def test_create_update_and_delete_are_recorded_with_their_actor(
        self, client_as, intervenant_ss, direction, site_ss
    ):
        client_as(intervenant_ss).post(CREATE_URL, intervention_post(site_ss))
        intervention = Intervention.objects.get()
        pk = intervention.pk
        client = client_as(direction)
        data = form_data(client.get(update_url(intervention)).context["form"])
        client.post(update_url(intervention), {**data, "summary": "Revu par la direction"})
        client.post(delete_url(intervention))

        entries = LogEntry.objects.get_for_model(Intervention).filter(object_id=pk)
        created = entries.get(action=LogEntry.Action.CREATE)
        assert created.actor == intervenant_ss
        updated = entries.filter(action=LogEntry.Action.UPDATE, actor=direction)
        assert any("summary" in entry.changes_dict for entry in updated)
        assert entries.get(action=LogEntry.Action.DELETE).actor == direction


class TestInterventionList:
    def test_an_intervenant_sees_only_their_sites_interventions(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        here = InterventionFactory(site=site_ss)
        InterventionFactory(site=site_ag)
        response = client_as(intervenant_ss).get(LIST_URL)
        assert response.status_code == 200
        assert [i.pk for i in response.context["page"].rows] == [here.pk]

    def test_an_intervenant_of_another_site_gets_404_on_the_page(
        self, client_as, intervenant_ag, site_ss
    ):
        intervention = InterventionFactory(site=site_ss)
        assert client_as(intervenant_ag).get(intervention.get_absolute_url()).status_code == 404

    def test_coordination_sees_every_site(self, client_as, coordination, site_ss, site_ag):
        InterventionFactory(site=site_ss)
        InterventionFactory(site=site_ag)
        response = client_as(coordination).get(LIST_URL)
        assert response.context["page"].count == 2

    def test_a_person_without_a_role_sees_nothing(self, client_as, outsider, site_ss):
        InterventionFactory(site=site_ss)
        assert client_as(outsider).get(LIST_URL).status_code == 403

    def test_filters_by_period(self, client_as, direction, site_ss):
        old = InterventionFactory(site=site_ss, date=TODAY() - timedelta(days=40))
        mid = InterventionFactory(site=site_ss, date=TODAY() - timedelta(days=20))
        InterventionFactory(site=site_ss)
        response = client_as(direction).get(
            LIST_URL,
            {
                "date_from": (TODAY() - timedelta(days=45)).isoformat(),
                "date_to": (TODAY() - timedelta(days=10)).isoformat(),
            },
        )
        assert [i.pk for i in response.context["page"].rows] == [mid.pk, old.pk]

    def test_a_period_that_ends_before_it_starts_is_an_error_on_the_page(
        self, client_as, direction, site_ss
    ):
        InterventionFactory(site=site_ss)
        response = client_as(direction).get(
            LIST_URL,
            {"date_from": TODAY().isoformat(), "date_to": (TODAY() - timedelta(1)).isoformat()},
        )
        assert response.status_code == 200
        assert "date_to" in response.context["form"].errors

    def test_filters_by_site_level_type_and_theme(self, client_as, direction, site_ss, site_ag):
        crisis = InterventionTypeFactory(name="Intervention de crise")
        health = ThemeFactory(name="Santé")
        individual = InterventionFactory(
            site=site_ss, level=Level.INDIVIDUAL, type=crisis, count_6_12=0, count_13_17=0
        )
        individual.themes.add(health)
        collective = InterventionFactory(site=site_ss)
        elsewhere = InterventionFactory(site=site_ag)
        client = client_as(direction)

        def pks(**filters):
            return {i.pk for i in client.get(LIST_URL, filters).context["page"].rows}

        assert pks(site=site_ag.pk) == {elsewhere.pk}
        assert pks(level=Level.INDIVIDUAL) == {individual.pk}
        assert pks(level=Level.COLLECTIVE) == {collective.pk, elsewhere.pk}
        assert pks(type=crisis.pk) == {individual.pk}
        assert pks(theme=health.pk) == {individual.pk}
        assert pks(site=site_ss.pk, level=Level.COLLECTIVE) == {collective.pk}

    def test_filters_by_intervenant_as_author_or_co_intervenant(
        self, client_as, direction, intervenant_ss, site_ss
    ):
        authored = InterventionFactory(site=site_ss, author=intervenant_ss)
        authored.co_intervenants.add(UserFactory(username="un.ss"), UserFactory(username="deux.ss"))
        ParticipationFactory(intervention=authored, resident=resident_of(site_ss))
        joined = InterventionFactory(site=site_ss)
        joined.co_intervenants.add(intervenant_ss, UserFactory(username="autre.ss"))
        InterventionFactory(site=site_ss)
        response = client_as(direction).get(LIST_URL, {"intervenant": intervenant_ss.pk})
        rows = list(response.context["page"].rows)
        assert sorted(i.pk for i in rows) == sorted([authored.pk, joined.pk])
        # Joining the co-intervenants multiplies neither the rows nor the counts.
        row = next(i for i in rows if i.pk == authored.pk)
        assert (row.participant_count, row.headcount) == (1, authored.total_headcount)

    def test_filters_by_named_resident(self, client_as, intervenant_ss, site_ss):
        resident = resident_of(site_ss)
        named = InterventionFactory(site=site_ss)
        ParticipationFactory(intervention=named, resident=resident)
        ParticipationFactory(intervention=InterventionFactory(site=site_ss))
        InterventionFactory(site=site_ss)
        response = client_as(intervenant_ss).get(LIST_URL, {"resident": resident.pk})
        assert [i.pk for i in response.context["page"].rows] == [named.pk]
        assert response.context["filters"]["resident"] == resident

    def test_filters_by_group_activity(self, client_as, intervenant_ss, site_ss):
        activity = GroupActivityFactory(site=site_ss)
        session = InterventionFactory(site=site_ss, activity=activity, level=Level.GROUP)
        InterventionFactory(site=site_ss)
        response = client_as(intervenant_ss).get(LIST_URL, {"activity": activity.pk})
        assert [i.pk for i in response.context["page"].rows] == [session.pk]

    def test_a_resident_of_another_site_is_no_filter_and_leaks_nothing(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        elsewhere = resident_of(site_ag)
        ParticipationFactory(intervention=InterventionFactory(site=site_ag), resident=elsewhere)
        response = client_as(intervenant_ss).get(LIST_URL, {"resident": elsewhere.pk})
        assert response.status_code == 200
        assert "resident" in response.context["form"].errors
        assert not list(response.context["page"].rows)

    def test_the_list_is_paginated_newest_first_with_a_link_to_older_ones(
        self, client_as, intervenant_ss, site_ss
    ):
        bulk_interventions(30, author=intervenant_ss, site=site_ss, level=Level.COLLECTIVE)
        InterventionFactory(site=site_ss, level=Level.INDIVIDUAL)
        client = client_as(intervenant_ss)
        first = client.get(LIST_URL, {"level": Level.COLLECTIVE})
        shown = first.context["page"].rows
        assert len(shown) == 25
        assert first.context["page"].count == 30
        older = _older_link(first)
        # The link keeps the filters and goes on where the first page ended.
        assert "level=collective" in older
        second = client.get(older)
        rest = second.context["page"].rows
        assert len(rest) == 5
        assert not {i.pk for i in shown} & {i.pk for i in rest}
        every = [*shown, *rest]
        keys = [(i.date, i.start_time, i.pk) for i in every]
        assert keys == sorted(keys, reverse=True)
        assert second.context["page"].older is None
        assert "Plus anciennes" not in page_text(second)
        assert "Plus récentes" in page_text(second)

    def test_entries_of_a_day_with_and_without_a_time_are_each_shown_once(
        self, client_as, intervenant_ss, site_ss, monkeypatch
    ):
        """The untimed entries of a day come first, on SQLite as on PostgreSQL, and the
        cursor between pages neither skips nor repeats one."""
        day = TODAY() - timedelta(days=3)
        untimed = [InterventionFactory(site=site_ss, date=day, start_time=None) for _ in range(3)]
        timed = [
            InterventionFactory(site=site_ss, date=day, start_time=time(hour, 0))
            for hour in (9, 9, 14, 16)
        ]
        monkeypatch.setattr("interventions.views.PER_PAGE", 2)
        client = client_as(intervenant_ss)
        seen, url = [], LIST_URL
        for _ in range(7):
            response = client.get(url)
            rows = response.context["page"].rows
            seen += rows
            if response.context["page"].older is None:
                break
            url = _older_link(response)
        assert [i.pk for i in seen] == [
            *sorted((i.pk for i in untimed), reverse=True),
            timed[3].pk,
            timed[2].pk,
            timed[1].pk,
            timed[0].pk,
        ]

    @pytest.mark.parametrize(
        "cursor", ["n'importe quoi", "2026-13-45__12", "2026-01-01__-4", "x" * 300]
    )
    def test_a_link_with_a_bad_cursor_shows_the_newest_and_says_so(
        self, client_as, intervenant_ss, site_ss, cursor
    ):
        newest = InterventionFactory(site=site_ss)
        response = client_as(intervenant_ss).get(LIST_URL, {"after": cursor})
        assert response.status_code == 200
        assert [i.pk for i in response.context["page"].rows] == [newest.pk]
        assert "Ce lien vers une page de la liste n’est plus valide" in page_text(response)

    def test_past_a_thousand_the_list_says_more_than_a_thousand(
        self, client_as, coordination, site_ss
    ):
        bulk_interventions(COUNT_LIMIT + 1, author=coordination, site=site_ss)
        response = client_as(coordination).get(LIST_URL)
        assert response.context["page"].count is None
        assert "Plus de 1" in page_text(response)
        assert len(response.context["page"].rows) == 25

    @pytest.mark.parametrize("count", [30, 1000, 3000])
    def test_query_count_does_not_grow_with_interventions(
        self, client_as, intervenant_ss, site_ss, count, django_assert_max_num_queries
    ):
        bulk_interventions(count, author=intervenant_ss, site=site_ss)
        client = client_as(intervenant_ss)
        # session and user, the filter form's four lists, the page's rows and the people they
        # name, the count and hours (bounded), the reader's sites (the names); no theme: a row
        # shows none
        with django_assert_max_num_queries(10):
            response = client.get(LIST_URL, {"level": Level.COLLECTIVE})
        assert response.context["page"].count == (count if count <= COUNT_LIMIT else None)
        older = _older_link(response)
        with django_assert_max_num_queries(10):
            assert client.get(older).status_code == 200


def _older_link(response) -> str:
    """The "plus anciennes" link of a page of the list."""
    found = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', response.content.decode())
    assert found, "no link to older interventions"
    return LIST_URL + html.unescape(found.group(1))


class TestInterventionPage:
    def test_shows_the_intervention_with_its_participants(self, client_as, intervenant_ss, site_ss):
        intervention = InterventionFactory(site=site_ss)
        resident = resident_of(site_ss, first_name="Mireille")
        ParticipationFactory(intervention=intervention, resident=resident)
        response = client_as(intervenant_ss).get(intervention.get_absolute_url())
        assert response.status_code == 200
        assert [p.resident for p in response.context["participations"]] == [resident]
        assert "Mireille" in response.content.decode()

    @pytest.mark.parametrize(
        ("persona", "can_edit"),
        [("author", True), ("colleague", False), ("coordination", False), ("direction", True)],
    )
    def test_offers_editing_only_to_the_author_and_the_direction(
        self, client_as, intervenant_ss, coordination, direction, site_ss, persona, can_edit
    ):
        intervention = InterventionFactory(author=intervenant_ss, site=site_ss)
        colleague = UserFactory(username="collegue.ss", role=Role.INTERVENANT, sites=[site_ss])
        user = {
            "author": intervenant_ss,
            "colleague": colleague,
            "coordination": coordination,
            "direction": direction,
        }[persona]
        response = client_as(user).get(intervention.get_absolute_url())
        assert response.context["can_edit"] is can_edit
        assert (update_url(intervention) in response.content.decode()) is can_edit

    @pytest.mark.parametrize("participants", [1, 10])
    def test_query_count_does_not_grow_with_participants(
        self, client_as, direction, site_ss, participants, django_assert_max_num_queries
    ):
        intervention = InterventionFactory(site=site_ss, start_time=time(9, 30))
        for _ in range(participants):
            ParticipationFactory(intervention=intervention, resident=resident_of(site_ss))
        client = client_as(direction)
        # session, user and the verified device, the intervention, its history and labels,
        # themes, people, participants
        with django_assert_max_num_queries(13):
            response = client.get(intervention.get_absolute_url())
        assert len(response.context["participations"]) == participants
