"""The research data set as a zip: a CSV per table, the reference lists, and a
`datapackage.json` (Frictionless Data Package) describing every field in French and English,
with the day of the export, its filters and the version of EMA that made it.

The zip is written to a temporary file, table by table (the rows come from the database while
they are written), then streamed by the response: the data set of a year holds one table's
chunk of rows in memory at a time. It is aggregates for the most part, made in a few seconds:
no background job (downloads/) is needed for it today."""

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from typing import IO, Any

from django.utils import timezone, translation

import ema
from ema.exports import spreadsheet_safe
from evaluation.dataset import MISSING_VALUES, DataTable, Options, dataset_tables

DATAPACKAGE = "datapackage.json"


def _in(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


def _field(column) -> dict[str, Any]:
    french, english = _in("fr-ca", column.description), _in("en", column.description)
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": f"{french} / {english}",
        "descriptions": {"fr": french, "en": english},
    }
    if column.type == "date":
        field["format"] = "%Y-%m-%d"
    if column.enum is not None:
        field["constraints"] = {"enum": list(column.enum)}
    return field


def _resource(table: DataTable) -> dict[str, Any]:
    french, english = _in("fr-ca", table.description), _in("en", table.description)
    return {
        "name": table.name.replace("_", "-") + ("-reference" if table.reference else ""),
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": f"{french} / {english}",
        "descriptions": {"fr": french, "en": english},
        "schema": {
            "fields": [_field(column) for column in table.columns],
            "missingValues": MISSING_VALUES,
        },
    }


def datapackage(tables: Sequence[DataTable], options: Options, filters: dict[str, Any]) -> dict:
    """The description of the data set (Frictionless Data Package)."""
    return {
        "profile": "tabular-data-package",
        "name": "ema-evaluation-research-data",
        "title": "EMA — données de recherche pseudonymisées / pseudonymised research data",
        "created": timezone.now().isoformat(timespec="seconds"),
        "version": ema.__version__,
        "ema": {
            "app_version": ema.__version__,
            "exported_on": options.today.isoformat(),
            "filters": filters,
            "dates_shifted": options.shift_dates,
            "small_cells": "Les comptes de 1 à 4 sont masqués (« < 5 ») / "
            "counts from 1 to 4 are hidden (“< 5”)",
        },
        "resources": [_resource(table) for table in tables],
    }


def write_csv(file: IO[bytes], table: DataTable) -> None:
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([column.name for column in table.columns])
        for row in table.written_rows():
            writer.writerow([spreadsheet_safe(_plain(v)) for v in row])
        text.flush()
    finally:
        text.detach()


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def research_zip(*, options: Options, filters: dict[str, Any]) -> IO[bytes]:
    """The zip of the data set in a temporary file, at its start (the caller closes it)."""
    tables = dataset_tables(options)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                with archive.open(table.path, "w") as member:
                    write_csv(member, table)
            archive.writestr(
                DATAPACKAGE,
                json.dumps(datapackage(tables, options, filters), ensure_ascii=False, indent=2),
            )
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file
