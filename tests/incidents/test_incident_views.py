"""The register of confidentiality incidents: the direction records, reads, corrects and
exports it; nobody else opens it."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from incidents.models import Incident
from incidents.services import STALE_INCIDENT
from privacy.models import ReadEvent
from tests.helpers import french, once, page_text
from tests.incidents.factories import IncidentFactory, days_ago

LIST_URL = reverse("incidents:incident_list")
CREATE_URL = reverse("incidents:incident_create")
EXPORT_URL = reverse("incidents:incident_export")


def update_url(incident):
    return reverse("incidents:incident_update", args=[incident.pk])


def incident_post(**values) -> dict:
    data = {
        **once(),
        "title": "Dossier papier oublié dans le local",
        "information": "Nom, date de naissance et notes d’accompagnement d’un jeune.",
        "circumstances": "Un dossier papier est resté une nuit dans le local communautaire.",
        "started_on": days_ago(4).isoformat(),
        "ended_on": "",
        "aware_on": days_ago(3).isoformat(),
        "people_count": "1",
        "sensitivity": "Élevée : un mineur, des notes d’intervention.",
        "consequences": "Atteinte à la réputation, stigmatisation.",
        "likelihood": "Faible : le local était verrouillé.",
        "risk": Incident.Risk.LOW,
        "commission_notified_on": "",
        "persons_notified_on": "",
        "public_notice_reason": "",
        "measures": "Dossier récupéré; rappel de la règle du classeur verrouillé.",
    }
    data.update(values)
    return data


def form_data(form) -> dict:
    """What the rendered form would send back untouched."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


class TestAccess:
    @pytest.mark.parametrize(
        "persona", ["intervenant_ss", "coordination", "admin_user", "outsider"]
    )
    def test_only_the_direction_opens_the_register(self, db, client_as, request, persona):
        incident = IncidentFactory()
        client = client_as(request.getfixturevalue(persona))
        for url in (LIST_URL, CREATE_URL, EXPORT_URL, incident.get_absolute_url()):
            assert client.get(url).status_code == 403
        assert client.post(CREATE_URL, incident_post()).status_code == 403
        assert client.post(update_url(incident), incident_post(title="Changé")).status_code == 403
        assert Incident.objects.count() == 1
        incident.refresh_from_db()
        assert incident.title != "Changé"
        assert not ReadEvent.objects.exists()

    def test_an_unknown_incident_is_404(self, client_as, direction):
        assert client_as(direction).get(update_url(Incident(pk=999))).status_code == 404

    def test_there_is_no_delete(self, client_as, direction):
        incident = IncidentFactory()
        response = client_as(direction).get(incident.get_absolute_url())
        assert "supprimer" not in response.content.decode().lower()


class TestCreate:
    def test_the_direction_records_an_incident(self, client_as, direction):
        response = client_as(direction).post(CREATE_URL, incident_post())
        incident = Incident.objects.get()
        assert response.status_code == 302
        assert response["Location"] == incident.get_absolute_url()
        assert incident.recorded_by == direction
        assert incident.version == 1
        assert incident.people_count == 1
        assert incident.risk == Incident.Risk.LOW

    def test_a_serious_incident_without_notices_is_saved_with_a_warning(self, client_as, direction):
        response = client_as(direction).post(
            CREATE_URL, incident_post(risk=Incident.Risk.SERIOUS), follow=True
        )
        incident = Incident.objects.get()
        assert incident.notices_due
        page = page_text(response)
        assert "alert-warning" in page
        assert "Commission d'accès à l'information" in page

    def test_the_form_shows_every_field_of_the_register(self, client_as, direction):
        page = client_as(direction).get(CREATE_URL).content.decode()
        for name in incident_post():
            assert f'name="{name}"' in page
        assert 'name="dates_approximate"' in page
        assert 'name="people_count_approximate"' in page
        assert 'name="public_notice"' in page

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"aware_on": days_ago(6).isoformat()}, "aware_on"),
            (
                {"started_on": days_ago(-1).isoformat(), "aware_on": days_ago(-1).isoformat()},
                "started_on",
            ),
            ({"ended_on": days_ago(5).isoformat()}, "ended_on"),
            ({"people_count": "0"}, "people_count"),
            ({"risk": ""}, "risk"),
            ({"information": ""}, "information"),
            ({"public_notice": "on"}, "public_notice_reason"),
            (
                {"risk": Incident.Risk.SERIOUS, "commission_notified_on": days_ago(5).isoformat()},
                "commission_notified_on",
            ),
            (
                {"risk": Incident.Risk.SERIOUS, "persons_notified_on": days_ago(-2).isoformat()},
                "persons_notified_on",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_the_field_and_kept(
        self, client_as, direction, values, field
    ):
        data = incident_post(circumstances="Texte tapé à conserver", **values)
        response = client_as(direction).post(CREATE_URL, data)
        assert response.status_code == 400
        assert not Incident.objects.exists()
        form = response.context["form"]
        assert field in form.errors
        page = response.content.decode()
        assert "Texte tapé à conserver" in page
        assert "invalid-feedback" in page


class TestDetail:
    def test_opening_an_incident_is_in_the_read_log(self, client_as, direction):
        incident = IncidentFactory()
        client_as(direction).get(reverse("incidents:incident_detail", args=[incident.pk]))
        event = ReadEvent.objects.get()
        assert (event.actor, event.kind, event.target_id) == (
            direction,
            ReadEvent.Kind.FILE,
            incident.pk,
        )

    def test_the_detail_shows_the_register_fields_and_keep_until(self, client_as, direction):
        incident = IncidentFactory(aware_on=days_ago(8))
        response = client_as(direction).get(incident.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert incident.title in page
        assert str(incident.keep_until.year) in page
        assert incident.keep_until.year == days_ago(8).year + 5
        assert response.context["history"] is not None

    def test_notices_due_are_announced(self, client_as, direction):
        incident = IncidentFactory(serious=True, commission_notified_on=days_ago(5))
        response = client_as(direction).get(incident.get_absolute_url())
        assert "alert-warning" in response.content.decode()


class TestUpdate:
    def test_the_direction_corrects_an_incident(self, client_as, direction):
        incident = IncidentFactory()
        client = client_as(direction)
        data = form_data(client.get(update_url(incident)).context["form"])
        assert data["version"] == 1
        response = client.post(
            update_url(incident),
            {**data, "risk": Incident.Risk.SERIOUS, "commission_notified_on": days_ago(2)},
        )
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.risk == Incident.Risk.SERIOUS
        assert incident.commission_notified_on == days_ago(2)
        assert incident.version == 2

    def test_a_stale_edit_is_refused_and_the_typed_text_kept(self, client_as, direction):
        incident = IncidentFactory(measures="Début")
        client = client_as(direction)
        opened = form_data(client.get(update_url(incident)).context["form"])
        first = client.post(update_url(incident), {**opened, "measures": "Première version"})
        assert first.status_code == 302

        late = client.post(update_url(incident), {**opened, "measures": "Texte tapé en retard"})
        assert late.status_code == 409
        incident.refresh_from_db()
        assert incident.measures == "Première version"
        assert incident.version == 2
        assert late.context["form"].non_field_errors()
        page = page_text(late)
        assert "Texte tapé en retard" in page
        assert french(STALE_INCIDENT) in page

        # Saving again, after checking the saved version, is deliberate: it goes through.
        again = form_data(late.context["form"])
        assert int(again["version"]) == 2
        assert client.post(update_url(incident), again).status_code == 302
        incident.refresh_from_db()
        assert incident.measures == "Texte tapé en retard"
        assert incident.version == 3

    def test_bad_input_on_update_changes_nothing(self, client_as, direction):
        incident = IncidentFactory()
        client = client_as(direction)
        data = form_data(client.get(update_url(incident)).context["form"])
        response = client.post(update_url(incident), {**data, "aware_on": days_ago(-3)})
        assert response.status_code == 400
        incident.refresh_from_db()
        assert incident.aware_on == days_ago(8)
        assert incident.version == 1


class TestAudit:
    def test_creation_and_changes_are_audited(self, client_as, direction):
        client = client_as(direction)
        client.post(CREATE_URL, incident_post())
        incident = Incident.objects.get()
        data = form_data(client.get(update_url(incident)).context["form"])
        client.post(update_url(incident), {**data, "people_count": "4"})

        entries = LogEntry.objects.get_for_object(incident).order_by("pk")
        assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
        assert all(e.actor == direction for e in entries)
        assert entries[1].changes_dict["people_count"] == ["1", "4"]
        assert "version" not in entries[1].changes_dict

    def test_the_history_is_on_the_detail_page(self, client_as, direction):
        client = client_as(direction)
        client.post(CREATE_URL, incident_post())
        incident = Incident.objects.get()
        history = client.get(incident.get_absolute_url()).context["history"]
        assert len(history) == 1
        assert history[0].actor == str(direction)


class TestList:
    def test_newest_first_with_serious_and_due_highlighted(self, client_as, direction):
        old = IncidentFactory(started_on=days_ago(40), aware_on=days_ago(30), title="Ancien")
        due = IncidentFactory(serious=True, aware_on=days_ago(5), title="Avis à envoyer")
        sent = IncidentFactory(
            serious=True,
            aware_on=days_ago(7),
            commission_notified_on=days_ago(6),
            persons_notified_on=days_ago(6),
            title="Avis envoyés",
        )
        response = client_as(direction).get(LIST_URL)
        assert response.status_code == 200
        assert list(response.context["page_obj"].object_list) == [due, sent, old]
        assert response.context["notices_due"] == 1
        page = response.content.decode()
        assert page.count('class="table-warning"') == 1
        assert page.count('class="table-danger"') == 1
        assert page.count("badge text-bg-warning") == 1

    def test_the_list_is_paginated(self, client_as, direction):
        IncidentFactory.create_batch(30)
        response = client_as(direction).get(LIST_URL, {"page": 2})
        assert len(response.context["page_obj"].object_list) == 5

    @pytest.mark.parametrize("count", [2, 30])
    def test_the_query_count_does_not_grow(
        self, client_as, direction, count, django_assert_max_num_queries
    ):
        IncidentFactory.create_batch(count, serious=True)
        client = client_as(direction)
        # Session, user, second-factor device, count, page, notices due.
        with django_assert_max_num_queries(6):
            response = client.get(LIST_URL)
        assert response.status_code == 200


def read_csv(response) -> list[list[str]]:
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


class TestExport:
    def test_the_register_is_exported_with_every_field(self, client_as, direction):
        incident = IncidentFactory(
            serious=True,
            ended_on=days_ago(9),
            dates_approximate=True,
            people_count=12,
            people_count_approximate=True,
            commission_notified_on=days_ago(7),
            public_notice=True,
            public_notice_reason="Coordonnées inconnues.",
        )
        response = client_as(direction).get(EXPORT_URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "incidents-confidentialite-" in response["Content-Disposition"]
        header, row = read_csv(response)
        assert len(header) == len(row) == 24
        with translation.override("fr-ca"):  # the language of the page it came from
            assert header[8] == gettext("Persons concerned")
            assert header[13] == gettext("Risk of serious injury")
            assert row[13] == str(Incident.Risk.SERIOUS.label)
            assert row[16] == gettext("Yes")
        assert row[0] == str(incident.pk)
        assert incident.information in row
        assert incident.circumstances in row
        assert incident.measures in row
        assert days_ago(10).isoformat() in row
        assert days_ago(9).isoformat() in row
        assert days_ago(8).isoformat() in row
        assert days_ago(7).isoformat() in row
        assert incident.keep_until.isoformat() in row
        assert "12" in row
        assert "Coordonnées inconnues." in row

    def test_the_export_is_in_the_read_log(self, client_as, direction):
        IncidentFactory()
        client_as(direction).get(EXPORT_URL)
        event = ReadEvent.objects.get()
        assert event.kind == ReadEvent.Kind.EXPORT
        assert event.actor == direction
        assert event.details["export"] == "confidentiality_incidents"
        assert event.details["format"] == "csv"

    @pytest.mark.parametrize("count", [2, 30])
    def test_the_query_count_does_not_grow(
        self, client_as, direction, count, django_assert_max_num_queries
    ):
        IncidentFactory.create_batch(count)
        client = client_as(direction)
        # Session, user, second-factor device, incidents, the read-log entry.
        with django_assert_max_num_queries(5):
            response = client.get(EXPORT_URL)
        assert len(read_csv(response)) == count + 1
