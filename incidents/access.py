"""Access to the register of confidentiality incidents: the direction only."""

from django.shortcuts import get_object_or_404

from ema.accounts.models import User
from incidents.models import Incident


def incident_for_user(user: User, pk: int) -> Incident:
    return get_object_or_404(Incident.objects.visible_to(user).select_related("recorded_by"), pk=pk)
