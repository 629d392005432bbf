from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ema.access import can_follow_up_partners
from ema.forms import form_status
from ema.http import AuthenticatedHttpRequest
from reminders import selectors, services
from reminders.forms import DigestChoiceForm
from reminders.models import DigestChoice


@require_GET
def reminder_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bell's page: what waits on me today, each line linking to where it is done."""
    reminders = selectors.reminders_for(user=request.user, today=timezone.localdate())
    return render(request, "reminders/reminder_list.html", {"reminders": reminders})


@require_GET
def reminder_count(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The bell's number, asked by static/js/bell.js after the page is shown."""
    reminders = selectors.reminders_for(user=request.user, today=timezone.localdate())
    response = JsonResponse({"count": sum(reminder.count for reminder in reminders)})
    response["Cache-Control"] = "no-store"
    return response


def digest_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which emails I receive."""
    user = request.user
    offers_weekly = can_follow_up_partners(user)
    current = DigestChoice.objects.filter(user=user).first() or DigestChoice(user=user)
    # Every box unticked sends an empty form: it is still a form sent.
    data = request.POST if request.method == "POST" else None
    form = DigestChoiceForm(data, instance=current, offers_weekly=offers_weekly)
    if request.method == "POST" and form.is_valid():
        services.digest_choice_save(
            user=user,
            daily=form.cleaned_data["daily"],
            weekly=form.cleaned_data.get("weekly", current.weekly),
        )
        messages.success(request, _("Your choice of emails is saved."))
        return redirect("reminders:choices")
    return render(
        request,
        "reminders/digest_choices.html",
        {"form": form, "has_email": bool(user.email)},
        status=form_status(request),
    )
