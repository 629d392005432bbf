"""Access and portability (Law 25, s. 27): a resident's personal information, as a readable
page and as a JSON file. The request is handled by the person in charge of personal
information, the direction; each export is recorded in the read log, never its content."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ema.access import allowed, can_review_privacy
from ema.http import AuthenticatedHttpRequest
from privacy.models import ReadEvent
from privacy.portability import personal_information_of
from privacy.services import read_event_create
from residents.access import resident_for_user
from residents.models import Resident


def _export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> tuple[Resident, dict]:
    resident = resident_for_user(request.user, pk)
    read_event_create(
        user=request.user,
        kind=ReadEvent.Kind.ACCESS_REQUEST,
        target=resident,
        details={"format": fmt},
    )
    return resident, personal_information_of(resident=resident)


@allowed(can_review_privacy)
def resident_personal_information(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resident, data = _export(request, pk, "html")
    return render(
        request,
        "privacy/resident_personal_information.html",
        {"resident": resident, "data": data, "exported_at": timezone.now()},
    )


@allowed(can_review_privacy)
def resident_personal_information_json(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resident, data = _export(request, pk, "json")
    # The file name says whose file it is by number only: a name in a downloads folder or an
    # email attachment would disclose it.
    filename = f"renseignements-resident-{resident.pk}-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
