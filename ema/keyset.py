"""Keyset pagination of lists sorted newest first by day, then time of day, then id.

A page after the first starts after the last row of the page before it, named by a cursor in
the link ("plus anciens →"), instead of an offset: the database reads the page's rows from an
index in order, whatever the number of rows before it, and a row logged meanwhile moves no
row from one page to the next. Rows without a time of day come before the timed rows of
their day, on every database.
"""

from dataclasses import dataclass
from datetime import date, time
from typing import Any, Self

from django.db.models import F, OrderBy, Q

SEPARATOR = "_"


class BadCursor(ValueError):
    """A cursor that this list did not write (edited by hand, cut, or of another version)."""


@dataclass(frozen=True)
class DayCursor:
    """The position of one row in a list sorted by (day desc, time desc untimed first, id desc)."""

    day: date
    time: time | None
    pk: int

    @classmethod
    def of(cls, row: Any, *, day: str = "date", time_of_day: str = "start_time") -> Self:
        return cls(getattr(row, day), getattr(row, time_of_day), row.pk)

    @classmethod
    def decode(cls, value: str) -> Self:
        """The cursor a link carries; BadCursor when it is not one this module wrote."""
        try:
            day, time_of_day, pk = value.split(SEPARATOR)
            cursor = cls(
                date.fromisoformat(day),
                time.fromisoformat(time_of_day) if time_of_day else None,
                int(pk),
            )
        except ValueError as error:
            raise BadCursor(value) from error
        if cursor.pk < 1 or len(value) > 64:
            raise BadCursor(value)
        return cursor

    def encode(self) -> str:
        time_of_day = self.time.isoformat() if self.time else ""
        return SEPARATOR.join([self.day.isoformat(), time_of_day, str(self.pk)])

    def rows_after(self, *, day: str = "date", time_of_day: str = "start_time") -> Q:
        """The rows that come after this one in the list's order."""
        same_day = Q(**{day: self.day})
        if self.time is None:
            later_in_day = Q(**{f"{time_of_day}__isnull": True, "pk__lt": self.pk}) | Q(
                **{f"{time_of_day}__isnull": False}
            )
        else:
            later_in_day = Q(**{f"{time_of_day}__lt": self.time}) | Q(
                **{time_of_day: self.time, "pk__lt": self.pk}
            )
        return Q(**{f"{day}__lt": self.day}) | (same_day & later_in_day)


def newest_first(*, day: str = "date", time_of_day: str = "start_time") -> list[OrderBy]:
    """The order that DayCursor walks, with the untimed rows of a day first on every database,
    as PostgreSQL sorts NULL in a descending order (SQLite would put them last); a plain
    descending index of (day, time, id) then gives the rows in this order."""
    return [F(day).desc(), F(time_of_day).desc(nulls_first=True), F("pk").desc()]
