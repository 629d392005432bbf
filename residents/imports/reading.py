"""Reading an uploaded CSV or XLSX file into rows of text, within the size and row limits.

A spreadsheet is a file of people's own making, and sometimes of someone else's: an XLSX is a
zip archive that a few kilobytes can make expand to gigabytes, and a row or a cell can be made
endless. So an XLSX is opened as a zip first, and refused before openpyxl parses it when its
content is too large or expands too much; then every line read, blank ones included, counts
against a hard limit, and every cell read is checked against a length limit."""

import csv
import io
import zipfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from residents.imports.columns import (
    BIRTH_COLUMNS,
    COLUMN_KEYS,
    HEADERS,
    LINE,
    REQUIRED_COLUMNS,
    _fold,
)


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The file could not be read. Save it again as CSV or Excel (.xlsx) and retry."),
        code="unreadable",
    )


def _csv_table(file: File) -> Generator[list[Any], None, None]:
    data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the ANSI code page.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _unreadable() from exc
    if "\x00" in text:
        raise _unreadable()
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise _unreadable() from exc


# An XLSX has a dozen members; tens of thousands are no spreadsheet.
MAX_ZIP_MEMBERS = 1000
# A member smaller than this cannot do harm whatever its ratio (a small styles.xml of
# repeated elements compresses far more than a sheet).
RATIO_GRACE_BYTES = 1024 * 1024
# Excel's own limit: a row longer than this was not made by a spreadsheet.
MAX_ROW_CELLS = 16_384


class _TooManyCells(Exception):
    pass


def check_zip(file: File) -> None:
    """Refuse an XLSX file whose members, once uncompressed, would be too large, expand too
    much (a "zip bomb"), or hold too many cells, before openpyxl parses them.

    The sizes are the ones the archive declares: Python's zipfile, through which openpyxl
    reads every member, stops at a member's declared size and refuses the member when its
    data does not match, so a member cannot expand beyond what is checked here."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        file.seek(0)
        raise _unreadable() from exc
    try:
        members = archive.infolist()
        _check_sizes(members)
        _check_cells(archive, members)
    finally:
        archive.close()
        file.seek(0)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _unreadable()
    limit = settings.IMPORT_MAX_UNZIPPED_BYTES
    total = sum(member.file_size for member in members)
    if total > limit:
        raise ValidationError(
            _(
                "Once opened, this Excel file holds %(size)s of data; the limit is %(limit)s. "
                "Keep only the sheet to import, without images, or save it as CSV, and retry."
            ),
            code="too_large_unzipped",
            params={"size": filesizeformat(total), "limit": filesizeformat(limit)},
        )
    ratio = settings.IMPORT_MAX_ZIP_RATIO
    for member in members:
        expands = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and expands > ratio:
            raise ValidationError(
                _(
                    "This Excel file grows more than %(ratio)s times when opened, which no "
                    "spreadsheet does: it was not read. Save it again from Excel, or as CSV, "
                    "and retry."
                ),
                code="zip_bomb",
                params={"ratio": ratio},
            )


def _check_cells(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Count the cells of the workbook's XML with a parser that keeps nothing: openpyxl
    builds every cell of a row before it gives the row, at some microseconds and a few
    hundred bytes a cell, so that a small file of one row a million cells wide would hold a
    worker for seconds and hundreds of megabytes."""
    limit = settings.IMPORT_MAX_CELLS
    counted = {"cells": 0, "in_row": 0}

    def start(name: str, _attributes) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            counted["cells"] += 1
            counted["in_row"] += 1
            if counted["in_row"] > MAX_ROW_CELLS:
                raise _unreadable()
            if counted["cells"] > limit:
                raise _TooManyCells
        elif local == "row":
            counted["in_row"] = 0

    def doctype(*_args) -> None:
        # No spreadsheet declares a DTD; its entities could expand without end.
        raise _unreadable()

    for member in members:
        if not member.filename.endswith(".xml"):
            continue
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = doctype
        try:
            with archive.open(member) as stream:
                parser.ParseFile(stream)
        except _TooManyCells:
            raise ValidationError(
                _(
                    "This Excel file holds more than %(limit)s cells: it was not read. Keep "
                    "only the table to import, or save it as CSV, and retry."
                ),
                code="too_many_cells",
                params={"limit": number_format(limit, force_grouping=True)},
            ) from None
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _unreadable() from exc


def _xlsx_table(file: File) -> Generator[tuple[Any, ...], None, None]:
    check_zip(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises many kinds of errors on a damaged or disguised file.
        raise _unreadable() from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


TABLE_READERS = {".csv": _csv_table, ".xlsx": _xlsx_table}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A year or a phone number typed into a number cell.
        return str(int(value))
    return str(value).strip()


def _checked_text(value: Any, *, line: int, column: str) -> str:
    """The text of a cell, refusing the file when it is longer than any value of the import
    could be (a column of the file holds at most 200 characters): a pasted document, or a
    file made to be endless. A value a little too long stays an error of its row."""
    text = _cell_text(value)
    limit = settings.IMPORT_MAX_CELL_CHARS
    if len(text) > limit:
        raise ValidationError(
            _(
                "Line %(line)s, column %(column)s holds %(length)s characters; a cell may hold "
                "at most %(limit)s. Shorten it in your spreadsheet, then choose the file again."
            ),
            code="cell_too_long",
            params={"line": line, "column": column, "length": len(text), "limit": limit},
        )
    return text


def _header_columns(header: Iterable[Any]) -> dict[int, str]:
    """The column key of each position in the header row; unknown columns are ignored."""
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, value in enumerate(header):
        name = _checked_text(value, line=1, column=str(position + 1))
        key = HEADERS.get(_fold(name))
        if key is None:
            continue
        if key in seen:
            raise ValidationError(
                _("Two columns mean %(column)s: “%(first)s” and “%(second)s”. Keep only one."),
                code="duplicate_column",
                params={"column": key, "first": seen[key], "second": name},
            )
        seen[key] = name
        positions[position] = key
    missing = [key for key in REQUIRED_COLUMNS if key not in seen]
    if not any(key in seen for key in BIRTH_COLUMNS):
        missing.append(
            _("%(date)s or %(year)s") % {"date": BIRTH_COLUMNS[0], "year": BIRTH_COLUMNS[1]}
        )
    if missing:
        raise ValidationError(
            _(
                "These columns are missing from the first row of the file: %(columns)s. "
                "The first row must hold the column names listed on this page."
            ),
            code="missing_columns",
            params={"columns": ", ".join(missing)},
        )
    return positions


def parse_upload(*, file: File) -> list[dict[str, str]]:
    """Read an uploaded CSV or XLSX file into one dict per non-blank row: the text of each
    known column, and the spreadsheet line under LINE. Raise ValidationError when the file
    cannot be imported at all."""
    suffix = PurePath(file.name or "").suffix.lower()
    reader = TABLE_READERS.get(suffix)
    if reader is None:
        raise ValidationError(_("Choose a CSV file or an Excel file (.xlsx)."), code="file_type")
    if file.size is not None and file.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _(
                "The file is too large (%(size)s); the limit is %(limit)s. "
                "Split it in several files."
            ),
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
            },
        )
    file.seek(0)
    # Closed on the way out, error or not: reading stops there, and the workbook is closed.
    with closing(reader(file)) as table:
        rows = _read_rows(table)
    if not rows:
        raise ValidationError(
            _("The file holds the column names but no rows to import."), code="no_rows"
        )
    return rows


def _read_rows(table: Iterator[Any]) -> list[dict[str, str]]:
    header = next(table, None)
    if header is None or not any(_cell_text(value) for value in header):
        raise ValidationError(
            _("The file is empty: its first row must hold the column names."), code="empty"
        )
    positions = _header_columns(header)
    max_lines = settings.IMPORT_MAX_LINES
    rows: list[dict[str, str]] = []
    for line, cells in enumerate(table, start=2):
        # Every line counts, blank ones too: a file of a few kilobytes can hold millions.
        if line > max_lines:
            raise ValidationError(
                _(
                    "The file has more than %(limit)s lines, blank lines included. Delete the "
                    "empty lines below the table, or split it in several files."
                ),
                code="too_many_lines",
                params={"limit": max_lines},
            )
        values = dict.fromkeys(COLUMN_KEYS, "")
        # Only the known columns are read: a row may be made thousands of cells wide.
        width = len(cells)
        for position, key in positions.items():
            if position < width:
                values[key] = _checked_text(cells[position], line=line, column=key)
        if not any(values.values()):
            continue
        if len(rows) == settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s rows. Split it in several files."),
                code="too_many_rows",
                params={"limit": settings.IMPORT_MAX_ROWS},
            )
        values[LINE] = str(line)
        rows.append(values)
    return rows
