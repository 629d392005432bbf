"""Writes to the register of confidentiality incidents: atomic, validated, audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from incidents.models import Incident

STALE_INCIDENT = _(
    "Someone else saved this incident while you were editing it. "
    "What you typed is kept below: check the saved version, then save again."
)


@transaction.atomic
def incident_save(*, incident: Incident, by: User, expected_version: int | None = None) -> Incident:
    """Record a new incident, or update one; an update whose expected_version is stale is
    refused (StaleEditError), so that nobody overwrites a colleague's changes unseen."""
    if incident.pk is None:
        incident.recorded_by = by
    else:
        claim_next_version(incident, expected=expected_version, message=STALE_INCIDENT)
    incident.full_clean()
    incident.save()
    return incident
