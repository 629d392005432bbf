"""The read log's port in the core (ema.read_log): the lower apps record their readings there,
and the function READ_LOG_WRITER names writes them; without one, a reading fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ema.read_log import ReadKind, check_read_log_writer, record_read
from privacy.models import ReadEvent
from residents.models import Household
from tests.factories import HouseholdFactory

readings_written = []


def spy_writer(**reading):
    readings_written.append(reading)


def test_the_read_log_stores_the_kinds_the_core_names():
    assert ReadEvent.Kind is ReadKind
    assert ReadEvent._meta.get_field("kind").choices == ReadKind.choices
    assert ReadKind.values == [
        "file",
        "restricted_note",
        "export",
        "access_request",
        "admin",
        "partner_link",
        "case_discussion",
    ]


def test_a_reading_goes_to_the_writer_the_setting_names(settings):
    settings.READ_LOG_WRITER = "tests.test_read_log_port.spy_writer"
    readings_written.clear()
    target = Household(pk=7)
    record_read(user="someone", kind=ReadKind.FILE, target=target, details={"format": "html"})
    reading = {"user": "someone", "kind": ReadKind.FILE, "target": target}
    assert readings_written == [{**reading, "details": {"format": "html"}}]


@pytest.mark.parametrize("writer", ["", "privacy.services.no_such_writer", "nowhere.writer"])
def test_without_a_writer_a_reading_fails_and_the_check_says_so(settings, writer):
    settings.READ_LOG_WRITER = writer
    with pytest.raises(ImproperlyConfigured, match="READ_LOG_WRITER"):
        record_read(user=None, kind=ReadKind.EXPORT)
    assert [error.id for error in check_read_log_writer()] == ["ema.E002"]


def test_without_the_setting_a_reading_fails(settings):
    del settings.READ_LOG_WRITER
    with pytest.raises(ImproperlyConfigured, match="READ_LOG_WRITER"):
        record_read(user=None, kind=ReadKind.EXPORT)


def test_the_project_names_the_privacy_writer():
    assert check_read_log_writer() == []


@pytest.mark.django_db
def test_a_page_that_reads_is_not_shown_without_a_writer(
    settings, client_as, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss)
    settings.READ_LOG_WRITER = ""
    client = client_as(intervenant_ss)
    client.raise_request_exception = True
    with pytest.raises(ImproperlyConfigured):
        client.get(reverse("residents:household_detail", args=[household.pk]))
    assert not ReadEvent.objects.exists()


@pytest.mark.django_db
def test_a_list_of_the_admin_is_recorded_by_its_model(direction):
    record_read(user=direction, kind=ReadKind.ADMIN, target=Household, details={"view": "x"})
    event = ReadEvent.objects.get()
    assert event.target_type.model_class() is Household
    assert event.target_id is None
