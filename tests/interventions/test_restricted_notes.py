"""Restricted notes: read by their author and the direction only, every reading recorded,
never shown anywhere else, never kept in clear in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ema.accounts.models import Role
from interventions.models import Intervention
from privacy.models import ReadEvent
from tests.factories import (
    GroupActivityFactory,
    InterventionFactory,
    ParticipationFactory,
    UserFactory,
    resident_of,
)
from tests.helpers import form_data, intervention_post

NOTE = "NOTE-RESTREINTE situation familiale difficile signalee par la voisine"
WORDS = ["NOTE-RESTREINTE", "familiale", "difficile", "signalee", "voisine"]


@pytest.fixture
def colleague(site_ss):
    return UserFactory(username="collegue.ss", role=Role.INTERVENANT, sites=[site_ss])


@pytest.fixture
def personas(intervenant_ss, colleague, coordination, direction, admin_user):
    return {
        "author": intervenant_ss,
        "direction": direction,
        "colleague": colleague,
        "coordination": coordination,
        "admin": admin_user,
    }


@pytest.fixture
def noted(intervenant_ss, site_ss):
    """An intervention of intervenant_ss with a restricted note, naming one resident."""
    intervention = InterventionFactory(
        author=intervenant_ss, site=site_ss, summary="Rencontre au local", restricted_note=NOTE
    )
    ParticipationFactory(intervention=intervention, resident=resident_of(site_ss))
    return intervention


def readings(intervention):
    return ReadEvent.objects.filter(
        kind=ReadEvent.Kind.RESTRICTED_NOTE,
        target_type=ContentType.objects.get_for_model(intervention),
        target_id=intervention.pk,
    )


class TestWhoReadsTheNote:
    @pytest.mark.parametrize("persona", ["author", "direction"])
    def test_the_author_and_the_direction_read_it_on_the_page(
        self, client_as, personas, noted, persona
    ):
        response = client_as(personas[persona]).get(noted.get_absolute_url())
        assert response.status_code == 200
        assert response.context["can_read_note"] is True
        assert NOTE in response.content.decode()

    @pytest.mark.parametrize("persona", ["colleague", "coordination", "admin"])
    def test_nobody_else_gets_it_in_the_page(self, client_as, personas, noted, persona):
        response = client_as(personas[persona]).get(noted.get_absolute_url())
        assert response.status_code == 200
        assert response.context["can_read_note"] is False
        html = response.content.decode()
        assert "Rencontre au local" in html  # the summary is for the team
        assert not any(word in html for word in WORDS)

    def test_the_direction_finds_it_in_the_edit_form(self, client_as, direction, noted):
        response = client_as(direction).get(
            reverse("interventions:intervention_update", args=[noted.pk])
        )
        assert response.status_code == 200
        assert response.context["form"]["restricted_note"].value() == NOTE

    def test_coordination_cannot_open_the_edit_form_at_all(self, client_as, coordination, noted):
        response = client_as(coordination).get(
            reverse("interventions:intervention_update", args=[noted.pk])
        )
        assert response.status_code == 403
        assert NOTE not in response.content.decode()

    def test_the_direction_editing_the_summary_keeps_the_note(self, client_as, direction, noted):
        url = reverse("interventions:intervention_update", args=[noted.pk])
        client = client_as(direction)
        data = form_data(client.get(url).context["form"])
        assert client.post(url, {**data, "summary": "Revu"}).status_code == 302
        noted.refresh_from_db()
        assert noted.restricted_note == NOTE

    def test_the_administrators_django_admin_does_not_show_it(self, client_as, admin_user, noted):
        url = reverse("admin:interventions_intervention_change", args=[noted.pk])
        response = client_as(admin_user).get(url)
        assert response.status_code == 200
        assert not any(word in response.content.decode() for word in WORDS)


class TestReadingsAreRecorded:
    @pytest.mark.parametrize("persona", ["author", "direction"])
    def test_each_reading_is_recorded_with_its_reader(self, client_as, personas, noted, persona):
        reader = personas[persona]
        client = client_as(reader)
        client.get(noted.get_absolute_url())
        client.get(noted.get_absolute_url())
        entries = readings(noted)
        assert entries.count() == 2
        assert {entry.actor for entry in entries} == {reader}

    @pytest.mark.parametrize("persona", ["colleague", "coordination", "admin"])
    def test_a_page_view_without_the_note_records_no_reading(
        self, client_as, personas, noted, persona
    ):
        client_as(personas[persona]).get(noted.get_absolute_url())
        assert not readings(noted).exists()

    def test_an_intervention_without_a_note_records_no_reading(
        self, client_as, intervenant_ss, site_ss
    ):
        plain = InterventionFactory(author=intervenant_ss, site=site_ss, restricted_note="")
        client_as(intervenant_ss).get(plain.get_absolute_url())
        assert not readings(plain).exists()

    def test_opening_the_edit_form_records_the_reading(self, client_as, direction, noted):
        client_as(direction).get(reverse("interventions:intervention_update", args=[noted.pk]))
        assert readings(noted).filter(actor=direction).count() == 1


class TestTheNoteStaysOnItsPage:
    @pytest.mark.parametrize("persona", ["author", "direction"])
    def test_not_in_the_list_of_interventions(self, client_as, personas, noted, persona):
        response = client_as(personas[persona]).get(reverse("interventions:intervention_list"))
        assert [i.pk for i in response.context["page"].rows] == [noted.pk]
        assert not any(word in response.content.decode() for word in WORDS)

    def test_not_in_my_day(self, client_as, intervenant_ss, noted):
        response = client_as(intervenant_ss).get(reverse("interventions:my_day"))
        assert [i.pk for i in response.context["day"].today] == [noted.pk]
        assert not any(word in response.content.decode() for word in WORDS)

    @pytest.mark.parametrize("persona", ["author", "direction"])
    def test_not_in_the_household_or_resident_timeline(self, client_as, personas, noted, persona):
        resident = noted.participations.get().resident
        client = client_as(personas[persona])
        for url in (resident.household.get_absolute_url(), resident.get_absolute_url()):
            response = client.get(url)
            assert [i.pk for i in response.context["timeline"]] == [noted.pk]
            assert not any(word in response.content.decode() for word in WORDS)

    def test_not_in_the_group_activity_page(self, client_as, direction, site_ss, intervenant_ss):
        activity = GroupActivityFactory(site=site_ss)
        InterventionFactory(
            author=intervenant_ss, site=site_ss, activity=activity, restricted_note=NOTE
        )
        response = client_as(direction).get(activity.get_absolute_url())
        assert not any(word in response.content.decode() for word in WORDS)

    def test_a_page_viewed_elsewhere_records_no_reading(self, client_as, direction, noted):
        client_as(direction).get(reverse("interventions:intervention_list"))
        assert not readings(noted).exists()


class TestTheAuditTrailMasksTheNote:
    def _audit_text(self) -> str:
        return " ".join(
            f"{entry.changes} {entry.serialized_data} {entry.additional_data} {entry.object_repr}"
            for entry in LogEntry.objects.all()
        )

    def test_a_note_written_in_the_form_is_recorded_as_changed_not_in_clear(
        self, client_as, intervenant_ss, site_ss
    ):
        client_as(intervenant_ss).post(
            reverse("interventions:intervention_create"),
            intervention_post(site_ss, restricted_note=NOTE),
        )
        intervention = Intervention.objects.get()
        assert intervention.restricted_note == NOTE
        created = LogEntry.objects.get_for_object(intervention).get(action=LogEntry.Action.CREATE)
        assert "restricted_note" in created.changes_dict
        assert created.changes_dict["restricted_note"][1] != NOTE
        assert not any(word in self._audit_text() for word in WORDS)

    def test_a_changed_note_is_masked_too(self, client_as, intervenant_ss, noted):
        url = reverse("interventions:intervention_update", args=[noted.pk])
        client = client_as(intervenant_ss)
        data = form_data(client.get(url).context["form"])
        client.post(url, {**data, "restricted_note": "Deuxieme note confidentielle"})
        updated = LogEntry.objects.get_for_object(noted).get(action=LogEntry.Action.UPDATE)
        old, new = updated.changes_dict["restricted_note"]
        assert NOTE not in old
        assert "confidentielle" not in new
        text = self._audit_text()
        assert not any(word in text for word in [*WORDS, "Deuxieme", "confidentielle"])

    def test_the_history_shown_to_the_direction_hides_the_note(self, client_as, direction, noted):
        response = client_as(direction).get(noted.get_absolute_url())
        history = response.context["history"]
        assert history
        shown = " ".join(f"{c.old} {c.new}" for entry in history for c in entry.changes)
        assert not any(word in shown for word in WORDS)
