"""Tables for funders and for the team, written as CSV or XLSX, with small-cell suppression
and a record of every export in the audit trail."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from privacy.models import ReadEvent
from privacy.services import record_read

SUPPRESSED = "< 5"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def suppress(value):
    """A count of 1 to 4 people could identify someone: it shows as "< 5" (zero stays zero)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return SUPPRESSED
    return value


@dataclass(frozen=True)
class Table:
    """One table of a report: a title, headers, rows, and where it counts people: whole
    columns, or whole rows (their value cells) when a table mixes indicators."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence]
    people_columns: frozenset[int] = field(default_factory=frozenset)
    people_rows: frozenset[int] = field(default_factory=frozenset)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:40] or "table"

    def for_funders(self) -> "Table":
        """The same table with small counts of people suppressed."""
        return Table(
            title=self.title,
            headers=self.headers,
            rows=[
                [
                    suppress(v)
                    if column in self.people_columns or (column > 0 and number in self.people_rows)
                    else v
                    for column, v in enumerate(row)
                ]
                for number, row in enumerate(self.rows)
            ],
            people_columns=self.people_columns,
            people_rows=self.people_rows,
        )


# A cell starting with one of these is a formula to a spreadsheet: a partner named
# =HYPERLINK(...) would run in the reader's Excel (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would take for a formula, made plain text with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A byte-order mark lets Excel open accented French text correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(str(h)) for h in table.headers])
    writer.writerows([spreadsheet_safe(v) for v in row] for row in table.rows)
    return response


def xlsx_response(tables: Iterable[Table], filename: str) -> HttpResponse:
    """One sheet per table, headers in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        name = _sheet_name(str(table.title), used)
        sheet = workbook.create_sheet(name)
        sheet.append([str(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([str(v) if hasattr(v, "__html__") else v for v in row])
            for cell in sheet[sheet.max_row]:
                # openpyxl stores text starting with "=" as a formula: keep it text.
                if cell.data_type == "f":
                    cell.data_type = "s"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Feuille"
    base, number = name, 2
    while name in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


def record_export(*, user, what: str, fmt: str, details: dict | None = None) -> None:
    """Who exported what, and when, in the read log (never the exported data)."""
    record_read(
        user=user,
        kind=ReadEvent.Kind.EXPORT,
        details={"export": what, "format": fmt, **(details or {})},
    )
