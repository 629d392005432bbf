"""Reads of the register of confidentiality incidents, for its pages and its export."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.accounts.models import User
from ema.exports import Table
from incidents.models import Incident


def register_entries(*, user: User) -> QuerySet[Incident]:
    """The register, newest first (by the date the organisation became aware)."""
    return Incident.objects.visible_to(user).select_related("recorded_by")


def notices_due_count(*, user: User) -> int:
    """How many serious incidents still wait for a notice."""
    return Incident.objects.visible_to(user).notices_due().count()


def _iso_day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def register_table(*, user: User) -> Table:
    """Every field of the register, one row per incident, oldest first as a register reads."""
    incidents = register_entries(user=user).order_by("aware_on", "pk")
    return Table(
        title=_("Confidentiality incidents"),
        headers=[
            _("No."),
            _("Short description"),
            _("Personal information concerned"),
            _("Circumstances"),
            _("Date of the incident"),
            _("End of the period"),
            _("Dates approximate"),
            _("Date of awareness"),
            _("Persons concerned"),
            _("Number approximate"),
            _("Sensitivity of the information"),
            _("Anticipated consequences"),
            _("Likelihood of injurious use"),
            _("Risk of serious injury"),
            _("Notice to the Commission sent on"),
            _("Notice to the persons sent on"),
            _("Public notice"),
            _("Why a public notice"),
            _("Measures taken"),
            _("Notices due"),
            _("Keep until"),
            _("Recorded by"),
            _("Recorded on"),
            _("Last changed on"),
        ],
        rows=[
            [
                incident.pk,
                incident.title,
                incident.information,
                incident.circumstances,
                _iso_day(incident.started_on),
                _iso_day(incident.ended_on),
                _yes_no(incident.dates_approximate),
                _iso_day(incident.aware_on),
                incident.people_count,
                _yes_no(incident.people_count_approximate),
                incident.sensitivity,
                incident.consequences,
                incident.likelihood,
                incident.get_risk_display(),
                _iso_day(incident.commission_notified_on),
                _iso_day(incident.persons_notified_on),
                _yes_no(incident.public_notice),
                incident.public_notice_reason,
                incident.measures,
                _yes_no(incident.notices_due),
                _iso_day(incident.keep_until),
                str(incident.recorded_by),
                _iso_day(timezone.localdate(incident.created_at)),
                _iso_day(timezone.localdate(incident.updated_at)),
            ]
            for incident in incidents
        ],
    )
