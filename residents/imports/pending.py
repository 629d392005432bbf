"""The rows of a previewed file, in the compact form in which they wait in the session until
the import is confirmed: the columns the file fills, once, then each row's line and values."""

from residents.imports.columns import COLUMN_KEYS, LINE

# Where the rows of a previewed file wait, in the session of the person who read it.
SESSION_KEY = "residents_household_import"


def pack_rows(rows: list[dict[str, str]]) -> dict:
    """The rows read by `parse_upload`, as lists of text under one list of column names."""
    columns = [key for key in COLUMN_KEYS if any(row[key] for row in rows)]
    return {
        "columns": columns,
        "rows": [[row[LINE], *(row[key] for key in columns)] for row in rows],
    }


def unpack_rows(packed: dict | list | None) -> list[dict[str, str]]:
    """The rows as `parse_upload` read them, from `pack_rows`; none from nothing."""
    if not packed:
        return []
    if isinstance(packed, list):
        # A session written before the compact form: the rows as they were read.
        return packed
    columns = packed["columns"]
    empty = dict.fromkeys(COLUMN_KEYS, "")
    return [
        {**empty, **dict(zip(columns, values[1:], strict=True)), LINE: values[0]}
        for values in packed["rows"]
    ]
