"""The writes of the empowerment app: a role recorded by hand (audited by django-auditlog)."""

from django.db import transaction

from ema.accounts.models import User
from empowerment.models import RoleRecord


@transaction.atomic
def role_record_create(*, role: RoleRecord, by: User) -> RoleRecord:
    """Record a role that a resident holds (or held), by the person who records it."""
    role.created_by = by
    role.full_clean()
    role.save()
    return role
