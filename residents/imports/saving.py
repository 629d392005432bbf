"""Saving the checked rows of an import: the write service `import_apply`."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residents import services
from residents.imports.checking import import_preview


@dataclass(frozen=True)
class ImportResult:
    """What an import saved."""

    households_created: int
    households_completed: int
    residents_created: int


@transaction.atomic
def import_apply(*, rows: list[dict[str, str]], user) -> ImportResult:
    """Check the rows again and save every household, resident and consent to keep a file
    (obtained by `user`) in one transaction; raise ValidationError, saving nothing, if any
    row has an error."""
    preview = import_preview(rows=rows, user=user)
    if preview.has_errors:
        raise ValidationError(preview.errors, code="rows_with_errors")
    if not preview.rows:
        raise ValidationError(_("There are no rows to import."), code="no_rows")
    created = completed = residents = 0
    for plan in preview.households:
        if plan.is_new:
            plan.household.site = plan.site
            services.household_save(household=plan.household, members=plan.members, by=user)
            created += 1
        else:
            for resident, consent in plan.members:
                resident.household = plan.household
                services.resident_create(resident=resident, consent=consent, by=user)
            completed += 1
        residents += len(plan.members)
    return ImportResult(
        households_created=created, households_completed=completed, residents_created=residents
    )
