"""Log records never carry a model object's text (ema.log_records): whatever a record's
arguments or exception hold, a handler writes the kind of record and its number."""

import logging

import pytest
from django.db.models.deletion import ProtectedError

from ema.accounts.models import User
from ema.log_records import scrubbed
from tests.factories import UserFactory

NAME = "Ophélie Zwarthoed"


@pytest.fixture
def person(db):
    # A staff account's text is the person's name: a record that can leak one.
    first, last = NAME.split()
    return UserFactory(username="zwarthoed", first_name=first, last_name=last)


def _written(record: logging.LogRecord) -> str:
    return logging.Formatter("%(message)s").format(record)


def test_arguments_name_records_by_kind_and_number(person, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("ema.test").info("Saved %s among %s", person, [person])
    written = _written(caplog.records[-1])
    assert NAME not in written
    assert f"<accounts.User #{person.pk}>" in written


def test_an_exception_holding_records_is_written_without_their_text(person, caplog):
    caplog.set_level(logging.ERROR)
    try:
        raise ProtectedError("Cannot delete", {person})
    except ProtectedError:
        logging.getLogger("django.request").exception("Internal Server Error: /x/")
    written = _written(caplog.records[-1])
    assert NAME not in written
    assert "accounts.User #" in written


def test_a_chained_exception_is_scrubbed_too(person, caplog):
    caplog.set_level(logging.ERROR)
    try:
        try:
            raise ValueError(person)
        except ValueError as error:
            raise RuntimeError("while saving") from error
    except RuntimeError:
        logging.getLogger("ema.test").exception("failed")
    assert NAME not in _written(caplog.records[-1])


def test_a_queryset_is_named_by_its_model_without_being_read(db):
    assert scrubbed(User.objects.all()) == "<QuerySet of accounts.User>"


def test_other_values_are_left_as_they_are():
    assert scrubbed(("text", 3, {"a": [1, 2]})) == ("text", 3, {"a": [1, 2]})
