"""Import of households and residents from the organisation's spreadsheets (CSV or XLSX).

`parse_upload` reads a file into rows of text, `import_preview` checks every row against the
database without writing anything, `pack_rows` keeps the rows of a file that can be imported
until the import is confirmed, and `import_apply` checks again and saves all the rows, or none
of them.
"""

from residents.imports.checking import ImportPreview, PlannedHousehold, PreviewRow, import_preview
from residents.imports.columns import COLUMN_KEYS, COLUMNS, LINE, Column, example_csv
from residents.imports.pending import pack_rows, unpack_rows
from residents.imports.reading import parse_upload
from residents.imports.saving import ImportResult, import_apply

__all__ = [
    "COLUMNS",
    "COLUMN_KEYS",
    "LINE",
    "Column",
    "ImportPreview",
    "ImportResult",
    "PlannedHousehold",
    "PreviewRow",
    "example_csv",
    "import_apply",
    "import_preview",
    "pack_rows",
    "parse_upload",
    "unpack_rows",
]
