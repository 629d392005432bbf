"""The read log: opening a file, a restricted note or an export leaves a line saying who and
when, never what was read; the direction reviews it and nobody can change it."""

from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from privacy.models import ReadEvent
from privacy.services import read_event_create
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    UserFactory,
)

READ_LOG = reverse("privacy:read_log")


@pytest.fixture
def resident(site_ss):
    return ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss, label="Quintal"),
        first_name="Zéphirine",
        last_name="Quintal",
        phone="514 555-0199",
    )


def events_about(record):
    return ReadEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(record), target_id=record.pk
    )


class TestWhatIsRecorded:
    def test_opening_a_residents_file_records_who_and_when(
        self, client_as, intervenant_ss, resident
    ):
        before = timezone.now()
        client_as(intervenant_ss).get(resident.get_absolute_url())
        event = events_about(resident).get()
        assert event.kind == ReadEvent.Kind.FILE
        assert event.actor == intervenant_ss
        assert before <= event.at <= timezone.now()

    def test_opening_a_household_records_it_too(self, client_as, coordination, resident):
        household = resident.household
        client_as(coordination).get(household.get_absolute_url())
        assert events_about(household).get().actor == coordination

    def test_a_page_refused_records_nothing(self, client_as, intervenant_ag, resident):
        assert client_as(intervenant_ag).get(resident.get_absolute_url()).status_code == 404
        assert not ReadEvent.objects.exists()

    def test_an_export_records_what_was_exported_but_not_its_content(
        self, client_as, coordination, resident
    ):
        client_as(coordination).get(reverse("interventions:intervention_export"), {"format": "csv"})
        event = ReadEvent.objects.get(kind=ReadEvent.Kind.EXPORT)
        assert event.details["export"] == "interventions"
        assert "Zéphirine" not in str(event.details)

    def test_no_line_holds_a_name_a_phone_or_a_note(self, client_as, direction, resident):
        note = "Note confidentielle 7731"
        intervention = InterventionFactory(site=resident.household.site, restricted_note=note)
        client = client_as(direction)
        client.get(resident.get_absolute_url())
        client.get(resident.household.get_absolute_url())
        client.get(intervention.get_absolute_url())
        assert ReadEvent.objects.count() == 3
        for event in ReadEvent.objects.all():
            text = f"{event} {event.details}"
            for secret in ("Zéphirine", "Quintal", "555-0199", note):
                assert secret not in text


class TestNobodyCanChangeIt:
    @pytest.fixture
    def event(self, direction, resident):
        return read_event_create(user=direction, kind=ReadEvent.Kind.FILE, target=resident)

    def test_a_line_cannot_be_saved_again(self, event):
        event.kind = ReadEvent.Kind.EXPORT
        with pytest.raises(PermissionDenied):
            event.save()

    def test_a_line_cannot_be_deleted(self, event):
        with pytest.raises(PermissionDenied):
            event.delete()
        with pytest.raises(PermissionDenied):
            ReadEvent.objects.all().delete()
        with pytest.raises(PermissionDenied):
            ReadEvent.objects.update(kind=ReadEvent.Kind.EXPORT)
        assert ReadEvent.objects.get().kind == ReadEvent.Kind.FILE

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
    def test_the_database_refuses_a_change_made_behind_the_applications_back(self, event):
        for sql in (
            "UPDATE privacy_readevent SET kind = 'export'",
            "DELETE FROM privacy_readevent",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
        assert ReadEvent.objects.get().kind == ReadEvent.Kind.FILE

    def test_the_admin_shows_it_read_only(self, client_as, admin_user, event):
        client = client_as(admin_user)
        change = reverse("admin:privacy_readevent_change", args=[event.pk])
        response = client.get(change)
        assert response.status_code == 200
        assert b'name="_save"' not in response.content
        delete = reverse("admin:privacy_readevent_delete", args=[event.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert ReadEvent.objects.filter(pk=event.pk).exists()


class TestTheReviewPage:
    def test_the_direction_reads_who_opened_what(
        self, client_as, direction, intervenant_ss, resident
    ):
        client_as(intervenant_ss).get(resident.get_absolute_url())
        response = client_as(direction).get(READ_LOG)
        assert response.status_code == 200
        assert [e.actor for e in response.context["page_obj"]] == [intervenant_ss]
        assert str(resident.pk) in response.content.decode()

    @pytest.mark.parametrize(
        "persona", ["intervenant_ss", "coordination", "admin_user", "outsider"]
    )
    def test_only_the_direction_reviews_the_log(self, request, client_as, persona):
        user = request.getfixturevalue(persona)
        assert client_as(user).get(READ_LOG).status_code == 403

    def test_filters_by_person_kind_and_day(self, client_as, direction, resident):
        alice, bruno = UserFactory(username="alice"), UserFactory(username="bruno")
        read_event_create(user=alice, kind=ReadEvent.Kind.FILE, target=resident)
        read_event_create(user=bruno, kind=ReadEvent.Kind.EXPORT, details={"export": "referrals"})
        client = client_as(direction)
        by_person = client.get(READ_LOG, {"actor": alice.pk})
        assert [e.actor for e in by_person.context["page_obj"]] == [alice]
        by_kind = client.get(READ_LOG, {"kind": ReadEvent.Kind.EXPORT})
        assert [e.actor for e in by_kind.context["page_obj"]] == [bruno]
        today = timezone.localdate()
        tomorrow = today + timedelta(days=1)
        assert client.get(READ_LOG, {"start": tomorrow}).context["page_obj"].paginator.count == 0
        assert client.get(READ_LOG, {"end": today}).context["page_obj"].paginator.count == 2

    def test_a_period_backwards_is_refused_with_a_message(self, client_as, direction):
        response = client_as(direction).get(READ_LOG, {"start": "2026-05-02", "end": "2026-05-01"})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()

    def test_days_are_montreal_days(self, client_as, direction, resident):
        # 23 h 30 in Montréal is already the next day in UTC.
        late = timezone.make_aware(datetime(2026, 3, 10, 23, 30))
        ReadEvent.objects.create(actor=direction, kind=ReadEvent.Kind.FILE, at=late)
        ReadEvent.objects.create(
            actor=direction, kind=ReadEvent.Kind.FILE, at=late + timedelta(hours=1)
        )
        response = client_as(direction).get(READ_LOG, {"start": "2026-03-10", "end": "2026-03-10"})
        assert [e.at for e in response.context["page_obj"]] == [late]

    @pytest.mark.parametrize("count", [3, 120])
    def test_the_page_is_paginated_and_its_queries_do_not_grow(
        self, client_as, direction, resident, count, django_assert_max_num_queries
    ):
        ReadEvent.objects.bulk_create(
            ReadEvent(actor=direction, kind=ReadEvent.Kind.FILE, target_id=resident.pk)
            for _ in range(count)
        )
        client = client_as(direction)
        with django_assert_max_num_queries(8):
            response = client.get(READ_LOG)
        assert len(response.context["page_obj"]) == min(count, 50)
