"""Validating a record once, in the service that saves it."""

from django.db import models


def loaded_relations(instance: models.Model) -> list[str]:
    """The foreign keys of `instance` whose related row was handed over as an object (a form's
    choice, a service's argument): it was read from the database, so `full_clean` need not
    read it again to check that it exists (one query each)."""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if isinstance(field, models.ForeignObject)
        and field.many_to_one
        and field.is_cached(instance)
    ]


def foreign_keys(instance: models.Model) -> list[str]:
    """Every foreign key of `instance`: for a row read from the database whose links a
    service does not change, `full_clean` need not check again that the rows they point to
    exist."""
    return [field.name for field in instance._meta.concrete_fields if field.many_to_one]
