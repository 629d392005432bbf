"""Import of households and residents from a spreadsheet: upload, preview, then confirm.

The rows read from a file that can be imported wait in the session between the preview and
the confirmation, in a compact form, under a token that the preview's confirm button sends
back; of a file with errors, the session keeps only its token and its name."""

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ema import submissions
from ema.access import allowed, can_import_households
from ema.http import AuthenticatedHttpRequest
from ema.submissions import one_time_submission
from residents import imports
from residents.import_forms import HouseholdImportForm
from residents.imports.pending import SESSION_KEY
from residents.models import Site

TEMPLATE = "residents/household_import.html"
# A preview lists one page of rows (those with errors first, when there are); the counts
# above it cover the whole file.
PREVIEW_ROWS_SHOWN = 50


@allowed(can_import_households)
@require_http_methods(["GET", "POST"])
def household_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        if "exemple" in request.GET:
            return _example_file(request)
        # Coming back to the page starts over: an abandoned preview's rows leave the session.
        request.session.pop(SESSION_KEY, None)
        return _render(request, HouseholdImportForm())
    form = HouseholdImportForm(request.POST, request.FILES)
    if not form.is_valid():
        request.session.pop(SESSION_KEY, None)
        return _render(request, form, status=400)
    preview = imports.import_preview(rows=form.rows, user=request.user)
    pending = {"token": submissions.new_token(), "file_name": form.cleaned_data["file"].name}
    if not preview.has_errors:
        pending["rows"] = imports.pack_rows(form.rows)
    request.session[SESSION_KEY] = pending
    return _render(request, HouseholdImportForm(), preview=preview, pending=pending)


@allowed(can_import_households)
@require_POST
@one_time_submission(fallback="residents:household_list")
def household_import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.warning(request, _("There is no file waiting to be imported: choose it again."))
        return redirect("residents:household_import")
    rows = imports.unpack_rows(pending.get("rows"))
    if not rows:
        # The file read last had errors: nothing of it waits to be imported.
        return _render(
            request,
            HouseholdImportForm(),
            status=400,
            notice=_(
                "Nothing was saved: the file read last, %(name)s, has errors. Correct them in "
                "your spreadsheet, then choose the file again."
            )
            % {"name": pending.get("file_name", "")},
        )
    if request.POST.get(submissions.FIELD) != pending.get("token"):
        # Another tab read another file since this preview; show what would be imported now.
        preview = imports.import_preview(rows=rows, user=request.user)
        return _render(
            request,
            HouseholdImportForm(),
            preview=preview,
            pending=pending,
            status=400,
            notice=_(
                "Nothing was saved: another file was read after the preview you confirmed. "
                "Check this preview of it before importing."
            ),
        )
    try:
        # The preview's token is the confirmation's one-time token: a second click, or a
        # retry while the first import runs, imports nothing twice.
        with submissions.once(token=pending["token"], by=request.user):
            result = imports.import_apply(rows=rows, user=request.user)
    except ValidationError as exc:
        preview = imports.import_preview(rows=rows, user=request.user)
        return _render(
            request,
            HouseholdImportForm(),
            preview=preview,
            pending=pending,
            status=400,
            # The rows' own errors are in the table; anything else (a unit taken meanwhile).
            apply_errors=[] if preview.has_errors else exc.messages,
        )
    del request.session[SESSION_KEY]
    messages.success(
        request,
        ngettext(
            "Import done: %(residents)s resident saved. New households: %(created)s; "
            "households already in EMA: %(completed)s.",
            "Import done: %(residents)s residents saved. New households: %(created)s; "
            "households already in EMA: %(completed)s.",
            result.residents_created,
        )
        % {
            "residents": result.residents_created,
            "created": result.households_created,
            "completed": result.households_completed,
        },
    )
    return redirect("residents:household_list")


def _render(
    request: AuthenticatedHttpRequest,
    form: HouseholdImportForm,
    *,
    preview: imports.ImportPreview | None = None,
    pending: dict | None = None,
    apply_errors: Sequence[str] = (),
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    shown_rows = []
    if preview is not None:
        shown_rows = [row for row in preview.rows if row.errors or not preview.has_errors]
    return render(
        request,
        TEMPLATE,
        {
            "form": form,
            "columns": imports.COLUMNS,
            "preview": preview,
            "pending": pending,
            "apply_errors": apply_errors,
            "notice": notice,
            "shown_rows": shown_rows[:PREVIEW_ROWS_SHOWN],
            "hidden_rows": max(len(shown_rows) - PREVIEW_ROWS_SHOWN, 0),
        },
        status=status,
    )


def _example_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    site = Site.objects.visible_to(request.user).first()
    content = imports.example_csv(site_name=site.name if site else "Saint-Sulpice")
    return HttpResponse(
        content,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="exemple-import-menages.csv"'},
    )
