from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.access import allowed, can_keep_incident_register
from ema.concurrency import StaleEditError
from ema.exports import export_response
from ema.forms import add_service_errors
from ema.history import history_for
from ema.http import AuthenticatedHttpRequest
from ema.read_log import ReadKind, record_read
from ema.submissions import once_for, one_time_submission
from incidents import selectors, services
from incidents.access import incident_for_user
from incidents.forms import IncidentForm
from incidents.models import Incident

PER_PAGE = 25


@allowed(can_keep_incident_register)
def incident_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.register_entries(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "incidents/incident_list.html",
        {"page_obj": page, "notices_due": selectors.notices_due_count(user=request.user)},
    )


@allowed(can_keep_incident_register)
def incident_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_user(request.user, pk)
    # The register describes the information involved: reading it is a reading like a file's.
    record_read(user=request.user, kind=ReadKind.FILE, target=incident)
    return render(
        request,
        "incidents/incident_detail.html",
        {"incident": incident, "history": history_for([(Incident, [incident.pk])])},
    )


@allowed(can_keep_incident_register)
@one_time_submission(fallback="incidents:incident_list")
def incident_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _incident_form(request, Incident())


@allowed(can_keep_incident_register)
def incident_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _incident_form(request, incident_for_user(request.user, pk))


def _incident_form(request: AuthenticatedHttpRequest, incident: Incident) -> HttpResponse:
    is_new = incident.pk is None
    form = IncidentForm(request.POST or None, instance=incident)
    context = {"form": form, "incident": incident, "is_new": is_new}
    if request.method != "POST":
        return render(request, "incidents/incident_form.html", context)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.incident_save(
                        incident=form.instance,
                        by=request.user,
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            # Saving again, once the saved version is checked, is a deliberate overwrite.
            form.show_stale(error)
            context["stale_url"] = incident.get_absolute_url()
            return render(request, "incidents/incident_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "incidents/incident_form.html", context, status=400)
        if is_new:
            messages.success(request, _("The incident was recorded in the register."))
        else:
            messages.success(request, _("The incident was saved."))
        if form.instance.notices_due:
            messages.warning(
                request,
                _(
                    "Risk of serious injury: notify the Commission d'accès à l'information and "
                    "the persons concerned promptly, then record the dates of the notices."
                ),
            )
        return redirect(form.instance)
    return render(request, "incidents/incident_form.html", context, status=400)


@allowed(can_keep_incident_register)
def incident_export(request: AuthenticatedHttpRequest) -> FileResponse:
    """The whole register as CSV, every field; the download is recorded in the read log."""
    return export_response(
        request,
        selectors.register_table(user=request.user),
        what="confidentiality_incidents",
        filename=f"incidents-confidentialite-{timezone.localdate():%Y-%m-%d}",
    )
