"""The participation ladder's page (who stepped back, to reach out to) and the form of a role
recorded by hand from a resident's page. Thin views over selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.access import allowed, can_see_the_ladder
from ema.forms import add_service_errors, form_status
from ema.http import AuthenticatedHttpRequest
from ema.periods import fiscal_year_of
from ema.submissions import once_for, one_time_submission
from empowerment import ladder as steps
from empowerment.charts import ladder_chart, ladder_table
from empowerment.forms import LadderForm, RoleRecordForm
from empowerment.selectors import ladder_of, stepped_back_residents
from empowerment.services import role_record_create
from residents.access import people_shown, resident_for_user

STEPPED_BACK_PER_PAGE = 25
YEARS_SHOWN = 5


@allowed(can_see_the_ladder)
def ladder_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ladder of a fiscal year on the sites one sees, and the residents who stepped back
    in one of its quarters: the people to reach out to, named to those who may open their
    files."""
    user = request.user
    current = fiscal_year_of(timezone.localdate())
    years = list(range(current.start.year, current.start.year - YEARS_SHOWN, -1))
    form = LadderForm(request.GET or None, user=user, years=years)
    chosen = form.cleaned_data if form.is_valid() else {}
    start_year = chosen.get("year") or current.start.year
    year = fiscal_year_of(current.start.replace(year=start_year))
    site = chosen.get("site")
    ladder = ladder_of(user=user, year=year, site=site)
    quarter = None
    if ladder.quarters:
        number = chosen.get("quarter") or len(ladder.quarters)
        quarter = ladder.quarters[min(number, len(ladder.quarters)) - 1]
    back = quarter.stepped_back if quarter else []
    page = Paginator(back, STEPPED_BACK_PER_PAGE).get_page(request.GET.get("page"))
    residents = stepped_back_residents(user=user, ids=[row[0] for row in page.object_list])
    rows = [
        (residents[resident_id], steps.STEPS.get(before), steps.STEPS.get(now))
        for resident_id, before, now in page.object_list
        if resident_id in residents
    ]
    shown = people_shown(user, rows, resident=lambda row: row[0])
    return render(
        request,
        "empowerment/ladder.html",
        {
            "form": form,
            "ladder": ladder,
            "chart": ladder_chart(ladder, suppressed=False),
            "table": ladder_table(ladder),
            "quarter": quarter,
            "page_obj": page,
            "stepped_back": shown,
            "query": _query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@one_time_submission()
def role_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A role recorded by hand on a resident's path, by those who may edit their file."""
    resident = resident_for_user(request.user, pk, write=True)
    form = RoleRecordForm(request.POST or None, resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(role_record_create(role=form.instance, by=request.user))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role was recorded."))
            return redirect(resident)
    return render(
        request,
        "empowerment/rolerecord_form.html",
        {"form": form, "resident": resident},
        status=form_status(request),
    )


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
