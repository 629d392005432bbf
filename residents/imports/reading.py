"""Reading an uploaded CSV or XLSX file into rows of text, within the size and row limits."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
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


def _csv_table(file: File) -> Iterator[list[Any]]:
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


def _xlsx_table(file: File) -> Iterator[tuple[Any, ...]]:
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


def _header_columns(header: Iterable[Any]) -> dict[int, str]:
    """The column key of each position in the header row; unknown columns are ignored."""
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, value in enumerate(header):
        name = _cell_text(value)
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
    table = reader(file)
    header = next(table, None)
    if header is None or not any(_cell_text(value) for value in header):
        raise ValidationError(
            _("The file is empty: its first row must hold the column names."), code="empty"
        )
    positions = _header_columns(header)
    rows: list[dict[str, str]] = []
    for line, cells in enumerate(table, start=2):
        values = dict.fromkeys(COLUMN_KEYS, "")
        for position, value in enumerate(cells):
            if position in positions:
                values[positions[position]] = _cell_text(value)
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
    if not rows:
        raise ValidationError(
            _("The file holds the column names but no rows to import."), code="no_rows"
        )
    return rows
