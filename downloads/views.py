from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from downloads import services
from downloads.kinds import KINDS, Kind
from downloads.models import PreparedFile
from downloads.tasks import make_prepared_file
from ema.exports import CONTENT_TYPES, record_export
from ema.http import AuthenticatedHttpRequest


def _kind(request: AuthenticatedHttpRequest, name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise Http404
    if not kind.allowed(request.user):
        raise PermissionDenied
    return kind


@require_http_methods(["GET", "POST"])
def prepare(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """A file too big to make while the page waits: say so, and have a job prepare it."""
    chosen = _kind(request, kind)
    if request.method == "POST":
        prepared = services.prepared_file_ask(
            user=request.user, kind=kind, query=request.GET, enqueue=make_prepared_file.delay
        )
        return redirect(prepared)
    return render(
        request,
        "downloads/prepare.html",
        {"kind": chosen, "rows": chosen.count(request.user, request.GET)},
    )


def _own(request: AuthenticatedHttpRequest, pk: int) -> PreparedFile:
    """A prepared file is its asker's alone: the others do not learn that it exists."""
    return get_object_or_404(PreparedFile, pk=pk, owner=request.user)


@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Its progress while it is prepared (the page asks again by itself), then the file."""
    prepared = _own(request, pk)
    return render(
        request,
        "downloads/detail.html",
        {"prepared": prepared, "kind": KINDS.get(prepared.kind)},
    )


@require_GET
def download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    prepared = _own(request, pk)
    if prepared.state != PreparedFile.State.READY or not prepared.file:
        raise Http404
    fmt = prepared.fmt
    record_export(
        user=request.user,
        what=prepared.kind,
        fmt=fmt,
        details={"filters": prepared.query, "prepared": prepared.pk},
    )
    return FileResponse(
        prepared.file.open("rb"),
        as_attachment=True,
        filename=prepared.filename,
        content_type=CONTENT_TYPES[fmt],
    )
