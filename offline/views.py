"""The pages kept on the phone, what the phone may keep, and the door its queue comes in by."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ema.accounts.sessions import STARTED_AT
from ema.forms import choice_field
from ema.http import AuthenticatedHttpRequest
from interventions.access import activity_for_user
from interventions.forms import CountsEditForm, QuickLogForm, SessionForm
from interventions.models import InterventionType, Level
from interventions.selectors import usual_place
from offline import crypto, selectors, services
from offline.models import AT_HAND_LIMIT
from residents.access import resident_for_user
from residents.models import Site


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def offline_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ma journée as the phone keeps it: today's entries without names (their counts and
    length can be corrected offline), the big buttons of the quick log, today's group
    activities, and what waits to be sent."""
    day = selectors.offline_day(user=request.user)
    edits = {
        item.pk: CountsEditForm(instance=item, auto_id=f"id_edit_{item.pk}_%s")
        for item in day.today
        if item.pk in day.editable
    }
    rows = [(item, edits.get(item.pk)) for item in day.today]
    return render(
        request, "offline/day.html", {"day": day, "rows": rows, "offline_path": request.path}
    )


@require_GET
def offline_quick_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quick log as the phone keeps it: no type-ahead (names come from the residents kept
    at hand, on the phone), the type chosen on the page, each save queued then sent."""
    form = QuickLogForm(user=request.user, sites=Site.objects.visible_to(request.user))
    form.prepare_for_display(place=usual_place(user=request.user), type_=None)
    types = choice_field(form, "type").queryset or InterventionType.objects.none()
    individual = [type_.pk for type_ in types if type_.default_level == Level.INDIVIDUAL]
    return render(
        request,
        "offline/quick_log.html",
        {"form": form, "individual_types": individual, "offline_path": request.path},
    )


@require_GET
def offline_session(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A session's attendance as the phone keeps it: counts, and ticks for the registered
    participants kept at hand (the only names on the phone)."""
    activity = activity_for_user(request.user, pk)
    form = SessionForm(user=request.user, activity=activity)
    registered = list(activity.registered.visible_to(request.user).values_list("pk", flat=True))
    return render(
        request,
        "offline/session.html",
        {
            "form": form,
            "activity": activity,
            "registered": registered,
            "offline_path": request.path,
        },
    )


@require_GET
def offline_bundle(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the phone keeps while the session lasts, asked for by the pages (never cached by
    the browser): whose queue it holds (a tag, not a name), the key that seals entries for the
    server, how long the session lasts, the residents kept at hand and the pages to keep."""
    user = request.user
    session = request.session
    activities = selectors.activities_of_today(user=user)
    return _no_store(
        JsonResponse(
            {
                "owner": crypto.owner_tag(user),
                "key": crypto.public_key(user),
                "csrf": get_token(request),
                "idle_ms": settings.SESSION_IDLE_TIMEOUT * 1000,
                "ends_ms": (int(session.get(STARTED_AT, 0)) + settings.SESSION_ABSOLUTE_TIMEOUT)
                * 1000,
                "hand": [
                    {
                        "id": resident.pk,
                        "name": resident.full_name,
                        "home": f"{resident.household.unit} · {resident.household.site.name}",
                        "site": resident.household.site_id,
                    }
                    for resident in selectors.residents_at_hand(user=user)
                ],
                "pages": [reverse("offline:day"), reverse("offline:quick_log")]
                + [reverse("offline:session", args=[activity.pk]) for activity in activities],
                "sync": reverse("offline:sync"),
            }
        )
    )


@require_POST
def offline_sync(request: AuthenticatedHttpRequest) -> JsonResponse:
    """One entry of the phone's queue: {"envelope": {...}, "version": n}. The answer says what
    became of it: created (201), already saved (200, the same record), stale (409, with both
    versions), invalid (422, with the messages) or refused (403)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse(
            {
                "status": services.REFUSED,
                "errors": [_("This entry is damaged: it cannot be read.")],
            },
            status=400,
        )
    outcome = services.sync_entry(
        user=request.user, envelope=body.get("envelope"), version=body.get("version")
    )
    record = outcome.record
    answer = {
        "status": outcome.status,
        "errors": outcome.errors,
        "fields": outcome.fields,
        "version": outcome.version,
        "record": {"id": record.pk, "url": record.get_absolute_url(), "label": str(record.type)}
        if record is not None
        else None,
    }
    return JsonResponse(answer, status=outcome.http_status)


@require_GET
def at_hand_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "offline/at_hand.html",
        {
            "residents": selectors.residents_at_hand(user=request.user),
            "limit": AT_HAND_LIMIT,
        },
    )


def _back(request: AuthenticatedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def at_hand_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep a resident of one's sites at hand: their name goes to the phone's offline pages."""
    resident = resident_for_user(request.user, pk)
    try:
        services.keep_at_hand(user=request.user, resident=resident)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("offline:at_hand"))
    messages.success(
        request,
        _("%(name)s is kept at hand: the name will be on this phone's offline pages.")
        % {"name": resident.full_name},
    )
    return redirect(_back(request, resident.get_absolute_url()))


@require_POST
def at_hand_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_for_user(request.user, pk)
    services.put_away(user=request.user, resident=resident)
    messages.success(
        request,
        _("%(name)s is no longer kept at hand: the name leaves the phone at its next refresh.")
        % {"name": resident.full_name},
    )
    return redirect(_back(request, reverse("offline:at_hand")))
