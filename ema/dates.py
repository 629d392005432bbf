"""The bounds of the dates EMA accepts, in one place.

Nothing is dated before 1900; logged work (interventions, referrals) starts with the first year
of the organisation's records (`FIRST_RECORD_YEAR`); what has happened cannot be in the future,
and what is planned (a follow-up, the end of an agreement) stays within twenty years. Models put
these validators on their date fields, forms that are not model forms use `BoundedDateField`,
and a test checks that no date field of the project goes without them.
"""

from collections.abc import Callable
from datetime import date

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.widgets import DateInput

EARLIEST_DATE = date(1900, 1, 1)
PLANNING_YEARS = 20

Bound = date | Callable[[], date]


def today() -> date:
    """Today in Montréal (a callable bound: validators read it at each check)."""
    return timezone.localdate()


def first_day_of_records() -> date:
    """January 1 of the first year of the organisation's records."""
    return date(settings.FIRST_RECORD_YEAR, 1, 1)


def latest_planned_day() -> date:
    """The latest day a plan may name: twenty years from today."""
    day = today()
    return day.replace(year=day.year + PLANNING_YEARS, day=min(day.day, 28))


def not_before(bound: Bound = EARLIEST_DATE, message=None) -> MinValueValidator:
    return MinValueValidator(bound, message=message or _("Enter a date from %(limit_value)s on."))


def not_after(bound: Bound = today, message=None) -> MaxValueValidator:
    return MaxValueValidator(bound, message=message or _("This date cannot be in the future."))


def past_date(message=None, *, earliest: Bound = EARLIEST_DATE) -> list:
    """Validators of a day that has already come: from `earliest` to today."""
    return [not_before(earliest), not_after(today, message)]


def record_date(message=None) -> list:
    """Validators of the day of logged work: from the first year of records to today."""
    return [
        not_before(
            first_day_of_records,
            _("EMA’s records start on %(limit_value)s: enter a later date."),
        ),
        not_after(today, message),
    ]


def planned_date(*, earliest: Bound = EARLIEST_DATE) -> list:
    """Validators of a day that may be ahead, within twenty years."""
    return [
        not_before(earliest),
        not_after(latest_planned_day, _("Enter a date up to %(limit_value)s.")),
    ]


class BoundedDateField(forms.DateField):
    """A date typed in a form that is not a model form, within bounds (by default from 1900
    to twenty years ahead), so that no page computes with year 1 or year 9999."""

    widget = DateInput

    def __init__(
        self,
        *,
        earliest: Bound = EARLIEST_DATE,
        latest: Bound = latest_planned_day,
        latest_message=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if latest_message is None and latest is not today:
            latest_message = _("Enter a date up to %(limit_value)s.")
        self.validators += [not_before(earliest), not_after(latest, latest_message)]
