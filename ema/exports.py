"""Tables for funders and for the team, written as CSV or XLSX, with small-cell suppression
and a record of every export in the read log.

A selector returns a `Table`; `export_response` writes it. The file is written to a temporary
file on disk, row by row (openpyxl's write-only mode for XLSX), then streamed: an export of
every intervention holds one chunk of rows from the database in memory (and the sheet's
distinct texts), never the whole sheet."""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import IO, Any

from django.http import FileResponse, HttpRequest
from django.utils.functional import Promise
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ema.read_log import ReadKind, record_read

SUPPRESSED = "< 5"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}
# The column widths of a sheet come from its headers and first rows: a streamed sheet must
# declare them before its first row.
WIDTH_SAMPLE_ROWS = 100
MAX_COLUMN_WIDTH = 60
# What the response reads from the temporary file at a time.
STREAM_BLOCK_BYTES = 64 * 1024


def suppress(value):
    """A count of 1 to 4 people could identify someone: it shows as "< 5" (zero stays zero)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return SUPPRESSED
    return value


class Rows:
    """Rows made by a function each time they are read, for a table too long to hold in
    memory: the rows of an export are read from the database while its file is written."""

    def __init__(self, make: Callable[[], Iterable[Sequence]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Sequence]:
        return iter(self._make())


@dataclass(frozen=True)
class Table:
    """One table of a report: a title, headers, rows, and where it counts people: whole
    columns, or whole rows (their value cells) when a table mixes indicators. The rows are a
    list, or `Rows` read while the file is written."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    people_columns: frozenset[int] = field(default_factory=frozenset)
    people_rows: frozenset[int] = field(default_factory=frozenset)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:40] or "table"

    def for_funders(self) -> "Table":
        """The same table with small counts of people suppressed (for the small tables of a
        report: the rows are held in a list)."""
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


def export_response(
    request: HttpRequest,
    tables: Table | Sequence[Table],
    *,
    what: str,
    filename: str,
    fmt: str = "csv",
    details: dict | None = None,
) -> FileResponse:
    """Write the table as CSV, or the tables as an XLSX workbook of one sheet each, to a
    temporary file; once the file is made, record the export in the read log and send it.
    When writing fails, nothing is recorded."""
    if isinstance(tables, Table):
        tables = [tables]
    if fmt not in CONTENT_TYPES or (fmt == "csv" and len(tables) != 1):
        raise ValueError(f"Cannot write {len(tables)} tables as {fmt!r}.")
    # Deleted by the system as soon as it is closed: by the response once sent, or here.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        if fmt == "xlsx":
            write_xlsx(file, tables)
        else:
            write_csv(file, tables[0])
        file.seek(0)
        record_export(user=request.user, what=what, fmt=fmt, details=details)
    except BaseException:
        file.close()
        raise
    response = FileResponse(
        file, as_attachment=True, filename=f"{filename}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )
    response.block_size = STREAM_BLOCK_BYTES
    return response


def write_csv(file: IO[bytes], table: Table) -> None:
    """The table as CSV in UTF-8, with a byte-order mark that lets Excel open accented
    French text correctly."""
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    try:
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow([spreadsheet_safe(str(h)) for h in table.headers])
        for row in table.rows:
            writer.writerow([spreadsheet_safe(_plain(v)) for v in row])
        text.flush()
    finally:
        # The binary file stays open for the response.
        text.detach()


def write_xlsx(file: IO[bytes], tables: Iterable[Table]) -> None:
    """One sheet per table, headers in bold, written row by row (write-only mode)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(str(table.title), used))
        headers = [str(h) for h in table.headers]
        rows = iter(table.rows)
        first = [[_plain(v) for v in row] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
        for letter, width in _column_widths(headers, first):
            sheet.column_dimensions[letter].width = width
        header_cells = []
        for value in _xlsx_row(sheet, headers):
            cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in chain(first, rows):
            sheet.append(_xlsx_row(sheet, row))
    workbook.save(file)


def _plain(value: Any) -> Any:
    # Lazy translations and safe strings are written as the text they stand for.
    if isinstance(value, Promise) or hasattr(value, "__html__"):
        return str(value)
    return value


_WRITTEN_AS_IS = (str, int, float, type(None))


def _xlsx_row(sheet, row: Iterable) -> list:
    """The values of a row as openpyxl should write them (once per cell of every row)."""
    cells = []
    for value in row:
        if not isinstance(value, _WRITTEN_AS_IS):
            value = _plain(value)
        if isinstance(value, str):
            if not value:
                value = None
            else:
                if ILLEGAL_CHARACTERS_RE.search(value):
                    # Control characters are refused in a worksheet; a name pasted with one
                    # must not stop the export.
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                if value.startswith("="):
                    # openpyxl stores text starting with "=" as a formula: keep it text.
                    value = WriteOnlyCell(sheet, value=value)
                    value.data_type = "s"
        cells.append(value)
    return cells


def _column_widths(headers: list[str], rows: list[list[Any]]) -> Iterator[tuple[str, float]]:
    for number, header in enumerate(headers, start=1):
        values = [header, *(row[number - 1] for row in rows if len(row) >= number)]
        width = max(len(str(value if value is not None else "")) for value in values)
        yield get_column_letter(number), min(MAX_COLUMN_WIDTH, width + 2)


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
        kind=ReadKind.EXPORT,
        details={"export": what, "format": fmt, **(details or {})},
    )
