"""Dates with limits (ema.dates): every date a person can type or put in an address is bounded,
so that year 1 or year 9999 never reaches the arithmetic of a page (a 500) nor drops out of
every report unseen (an intervention dated 0001-01-01). Each bound says what is wrong in
French."""

from datetime import date, timedelta

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ema.dates import BoundedDateField
from interventions.models import Intervention
from tests.factories import InterventionTypeFactory, PlaceFactory
from tests.helpers import french, once
from tests.logins import log_in
from tests.url_table import EXPECTATIONS

# The two ends of what Python can hold, where a page's date arithmetic would overflow; a date
# just outside the bounds (1899) is refused by the same field, as the form tests show.
EXTREMES = ["0001-01-01", "9999-12-31"]
# Every name a page reads a date from in its address.
DATE_PARAMETERS = ["day", "start", "end", "date_from", "date_to"]


def _project_apps() -> list:
    root = str(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(root) and ".venv" not in str(config.path)
    ]


def _project_models():
    return [model for config in _project_apps() for model in config.get_models()]


def _bounded(field: models.DateField | forms.DateField) -> bool:
    kinds = {type(validator) for validator in field.validators}
    return MinValueValidator in kinds and MaxValueValidator in kinds


def test_every_date_a_person_can_enter_in_a_model_has_bounds():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in _project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and not isinstance(field, models.DateTimeField)
        and field.editable
        and not _bounded(field)
    ]
    assert unbounded == []


def _form_classes() -> set[type[forms.BaseForm]]:
    """Every form class of the project's modules (the URL table imports them all)."""
    packages = {config.name.split(".")[0] for config in _project_apps()}
    pending, found = [forms.BaseForm], set()
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in packages:
                found.add(subclass)
    return found


def _source(form, name, field):
    """Where a form field's bounds live: its model field's (a model form validates through
    the model), or its own."""
    meta = getattr(form, "_meta", None)
    if meta is not None and getattr(meta, "model", None) is not None:
        try:
            return meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return field
    return field


def test_every_date_field_of_every_form_is_bounded():
    """A model form's date field takes its model field's bounds; any other date field is a
    BoundedDateField."""
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and not _bounded(_source(form, name, field))
    ]
    assert unbounded == []
    assert BoundedDateField in {
        type(field) for form in _form_classes() for field in form.base_fields.values()
    }


@pytest.fixture
def reader(db, site_ss):
    from ema.accounts.models import Role
    from tests.factories import UserFactory

    return {
        "intervenant": UserFactory(username="dates.ss", role=Role.INTERVENANT, sites=[site_ss]),
        "direction": UserFactory(username="dates.direction", role=Role.DIRECTION),
    }


@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize("who", ["intervenant", "direction"])
def test_no_page_fails_on_a_date_out_of_bounds_in_its_address(client, reader, who, value):
    log_in(client, reader[who])
    failures = {}
    for route, (method, target, _) in sorted(EXPECTATIONS.items()):
        if method != "get" or target:
            continue
        url = reverse(route)
        for parameter in DATE_PARAMETERS:
            response = client.get(url, {parameter: value, "kind": "custom"})
            if response.status_code >= 500:
                failures[f"{url}?{parameter}={value}"] = response.status_code
    assert failures == {}


@pytest.mark.parametrize(
    "parameters",
    [{"day": "0001-01-01"}, {"day": "9999-12-31"}],
)
def test_my_month_says_in_french_that_it_shows_the_current_month(client, reader, parameters):
    log_in(client, reader["intervenant"])
    response = client.get(reverse("my_month"), parameters, follow=True)
    assert response.status_code == 200
    assert french("That is not a date we can show: here is the current month.") in [
        str(message) for message in response.context["messages"]
    ]
    assert response.context["month"].start == timezone.localdate().replace(day=1)


def test_the_read_log_refuses_an_end_in_year_9999_in_french(client, reader):
    log_in(client, reader["direction"])
    response = client.get(reverse("privacy:read_log"), {"end": "9999-12-31"})
    assert response.status_code == 400
    assert response.context["form"].errors["end"]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_an_intervention_before_the_first_year_of_records_is_refused_in_french(
    client, reader, site_ss, day
):
    log_in(client, reader["intervenant"])
    response = client.post(
        reverse("interventions:intervention_create"),
        {
            **once(),
            "level": "individual",
            "type": InterventionTypeFactory(name="Accueil").pk,
            "place": PlaceFactory(name="Bureau").pk,
            "date": day,
            "duration_minutes": "30",
            "site": site_ss.pk,
        },
    )
    assert response.status_code == 400
    first_day = date(settings.FIRST_RECORD_YEAR, 1, 1).isoformat()
    assert response.context["form"].errors["date"] == [
        french("EMA’s records start on %(limit_value)s: enter a later date.")
        % {"limit_value": first_day}
    ]
    assert not Intervention.objects.exists()


def test_the_first_year_of_records_is_a_setting(client, reader, site_ss, settings):
    settings.FIRST_RECORD_YEAR = 2020
    log_in(client, reader["intervenant"])
    response = client.post(
        reverse("interventions:intervention_create"),
        {
            **once(),
            "level": "individual",
            "type": InterventionTypeFactory(name="Accueil").pk,
            "place": PlaceFactory(name="Bureau").pk,
            "date": "2019-06-01",
            "duration_minutes": "30",
            "site": site_ss.pk,
        },
    )
    assert response.status_code == 400
    assert "date" in response.context["form"].errors


def test_a_follow_up_may_be_planned_ahead_but_not_a_century_ahead(site_ss):
    from tests.factories import InterventionFactory

    intervention = InterventionFactory(site=site_ss)
    intervention.follow_up_due = timezone.localdate() + timedelta(days=400)
    intervention.full_clean()
    intervention.follow_up_due = date(2200, 1, 1)
    with pytest.raises(Exception) as error:
        intervention.full_clean()
    assert "follow_up_due" in error.value.message_dict


@pytest.mark.parametrize("value", ["1899-12-31", "9999-12-31"])
def test_a_birth_date_is_from_1900_to_today(site_ss, value):
    from tests.factories import ResidentFactory

    resident = ResidentFactory.build(
        household=None, last_name="Tremblay", date_of_birth=date.fromisoformat(value)
    )
    with pytest.raises(Exception) as error:
        resident.full_clean(exclude=["household"])
    assert "date_of_birth" in error.value.message_dict
