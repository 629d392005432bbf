"""What a job can prepare: each kind says who may ask for it, how many rows it holds, and how
to make its tables from the request's filters (read again by the job, as the page read them)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.access import can_export, can_read_annual_report
from ema.accounts.models import User
from ema.exports import Table
from interventions.forms import InterventionFilterForm
from interventions.models import Intervention
from interventions.selectors import intervention_export_count, intervention_export_table
from partners.forms import ReferralFilterForm
from partners.selectors import referral_export_count, referral_export_table
from reports.annual import annual_report, annual_report_filename, annual_report_year

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Made:
    """What a job writes: its tables, the format, the file's name, and for the read log what
    it is and its details."""

    tables: list[Table]
    fmt: str
    filename: str
    what: str
    details: dict


@dataclass(frozen=True)
class Kind:
    path: str
    label: "StrOrPromise"
    allowed: Callable[[User], bool]
    count: Callable[[User, QueryDict], int]
    make: Callable[[User, QueryDict], Made]


def _format(query: QueryDict) -> str:
    return "xlsx" if query.get("format") == "xlsx" else "csv"


def _filters(form_class, user: User, query: QueryDict) -> dict:
    form = form_class(query or None, user=user)
    return form.cleaned_data if form.is_valid() else {}


def _today() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def _interventions(user: User, query: QueryDict) -> Made:
    filters = _filters(InterventionFilterForm, user, query)
    return Made(
        tables=[intervention_export_table(user=user, filters=filters)],
        fmt=_format(query),
        filename=f"interventions-{_today()}",
        what="interventions",
        details={"filters": query.urlencode()},
    )


def _referrals(user: User, query: QueryDict) -> Made:
    filters = _filters(ReferralFilterForm, user, query)
    return Made(
        tables=[referral_export_table(user=user, filters=filters)],
        fmt=_format(query),
        filename=f"references-{_today()}",
        what="referrals",
        details={"filters": query.urlencode()},
    )


def _annual_report(user: User, query: QueryDict) -> Made:
    year = annual_report_year(query.get("year", ""), today=timezone.localdate())
    report = annual_report(user=user, year=year)
    return Made(
        tables=[table.for_funders() for table in report.tables],
        fmt="xlsx",
        filename=annual_report_filename(year),
        what="annual_report",
        details={"year": year.label},
    )


def _annual_report_count(user: User, query: QueryDict) -> int:
    year = annual_report_year(query.get("year", ""), today=timezone.localdate())
    return Intervention.objects.filter(date__gte=year.start, date__lte=year.end).count()


KINDS = {
    "interventions": Kind(
        path="interventions",
        label=_("Interventions"),
        allowed=can_export,
        count=lambda user, query: intervention_export_count(
            user=user, filters=_filters(InterventionFilterForm, user, query)
        ),
        make=_interventions,
    ),
    "referrals": Kind(
        path="references",
        label=_("Referrals"),
        allowed=can_export,
        count=lambda user, query: referral_export_count(
            user=user, filters=_filters(ReferralFilterForm, user, query)
        ),
        make=_referrals,
    ),
    "annual_report": Kind(
        path="rapport-annuel",
        label=_("Annual activity report"),
        allowed=can_read_annual_report,
        count=_annual_report_count,
        make=_annual_report,
    ),
}
