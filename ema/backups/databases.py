"""PostgreSQL databases for backups: where they answer, and what they hold.

The figures of a database are every table's row count and, for the key tables, a checksum of
their content computed by the server: `md5(string_agg(md5(t::text), '' ORDER BY t.id))`, with
the session settings that shape a row's text pinned, so that a dump and its restore compare
equal wherever they run.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import dj_database_url
import psycopg
from django.db import connections
from django.utils.translation import gettext as _
from psycopg import sql

from ema.backups import BackupError

# The tables whose content is compared row by row after a restore, not only counted.
KEY_TABLES = (
    "residents_household",
    "residents_resident",
    "interventions_intervention",
    "partners_referral",
    "auditlog_logentry",
    "privacy_readevent",
)
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
# Libpq reads these from the environment; dj-database-url puts them in OPTIONS.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


@dataclass(frozen=True)
class Database:
    """Where a PostgreSQL database answers. `str()` never shows the password."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    options: dict = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"{self.name} ({where})"

    def client_args(self) -> list[str]:
        """Host, port and user for pg_dump and pg_restore; never the password."""
        args = []
        if self.host:
            args.append(f"--host={self.host}")
        if self.port:
            args.append(f"--port={self.port}")
        if self.user:
            args.append(f"--username={self.user}")
        return args

    def client_env(self) -> dict[str, str]:
        """The environment of pg_dump and pg_restore: the password and TLS options."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        for option, variable in LIBPQ_OPTIONS.items():
            if self.options.get(option):
                env[variable] = str(self.options[option])
        return env

    def connect(self, **kwargs: Any) -> psycopg.Connection:
        """A psycopg connection to this database, with stable text output for checksums."""
        params: dict[str, Any] = {"dbname": self.name, "host": self.host, "port": self.port}
        params |= {"user": self.user, "password": self.password}
        params |= {k: v for k, v in self.options.items() if k in LIBPQ_OPTIONS}
        params = {k: v for k, v in params.items() if v}
        try:
            conn = psycopg.connect(**params, **kwargs)
        except psycopg.OperationalError as error:
            raise BackupError(
                _("Cannot connect to the database %(database)s: %(error)s")
                % {"database": self, "error": str(error).strip()}
            ) from error
        # A row's text depends on these: the same on both sides, whatever the server's defaults.
        conn.execute(
            "SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, YMD', "
            "false), set_config('IntervalStyle', 'postgres', false), "
            "set_config('extra_float_digits', '3', false), "
            "set_config('bytea_output', 'hex', false)"
        )
        if not conn.autocommit:
            conn.commit()
        return conn

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Database:
        """A database from a Django DATABASES entry; refuses anything but PostgreSQL."""
        engine = settings_dict.get("ENGINE", "")
        if "sqlite" in engine:
            raise BackupError(
                _(
                    "This database is SQLite: pg_dump and pg_restore work only with PostgreSQL. "
                    "To back up SQLite, stop the application and copy the file %(path)s."
                )
                % {"path": settings_dict.get("NAME", "")}
            )
        if engine != "django.db.backends.postgresql":
            raise BackupError(
                _("Backups work only with PostgreSQL, not with %(engine)s.") % {"engine": engine}
            )
        return cls(
            name=settings_dict["NAME"],
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            options=dict(settings_dict.get("OPTIONS") or {}),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        """A database from a URL such as postgres://user@host:5432/name."""
        try:
            return cls.from_settings(dj_database_url.parse(url))
        except ValueError as error:
            raise BackupError(_("This database URL cannot be read.")) from error


def database_default() -> Database:
    """The application's database as it is now (under pytest, the test database)."""
    return Database.from_settings(connections["default"].settings_dict)


class TableFigures(NamedTuple):
    """A table's row count, and the checksum of its content (None when not computed)."""

    rows: int
    checksum: str | None


# Table name (schema.name outside the public schema) → its figures.
Figures = dict[str, TableFigures]


def one_row(cursor: psycopg.Cursor) -> tuple[Any, ...]:
    """The row of a query that always returns one (an aggregate, a function, the current
    database's own row); psycopg types fetchone() as a row or None."""
    row = cursor.fetchone()
    assert row is not None, "the query returned no row"
    return row


@contextmanager
def scratch_database(server: Database) -> Iterator[Database]:
    """A new, empty database on the same server, dropped afterwards whatever happens.

    It has the encoding and locale of `server`'s database. Needs the CREATEDB privilege.
    """
    scratch = replace(server, name=f"ema_scratch_{secrets.token_hex(6)}")
    with server.connect(autocommit=True) as conn:
        encoding, collate, ctype = one_row(
            conn.execute(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype "
                "FROM pg_database WHERE datname = current_database()"
            )
        )
        try:
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
                ).format(
                    sql.Identifier(scratch.name),
                    sql.Literal(encoding),
                    sql.Literal(collate),
                    sql.Literal(ctype),
                )
            )
        except psycopg.errors.InsufficientPrivilege as error:
            raise BackupError(
                _("Checking a backup needs a database role allowed to create databases.")
            ) from error
    try:
        yield scratch
    finally:
        with server.connect(autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(scratch.name)
                )
            )


def database_table_count(database: Database) -> int:
    """How many tables the database has outside PostgreSQL's own schemas."""
    with database.connect() as conn:
        return one_row(
            conn.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname <> ALL(%s)",
                [list(SYSTEM_SCHEMAS)],
            )
        )[0]


def database_figures(database: Database, *, checksum_tables=KEY_TABLES) -> Figures:
    """Every table's row count, and a checksum of the content of `checksum_tables`."""
    with database.connect() as conn:
        return connection_figures(conn, checksum_tables=checksum_tables)


def database_tables(database: Database) -> list[str]:
    """Every table of the database as schema.name."""
    with database.connect() as conn:
        return [name for _schema, _table, name in _tables(conn)]


def expected_checksums(expected: Figures) -> list[str]:
    """The tables of `expected` that carry a checksum."""
    return [table for table, figures in expected.items() if figures.checksum is not None]


def figures_compare(expected: Figures, actual: Figures) -> list[str]:
    """The differences, by table name and count only: never a row's content."""
    differences = []
    for table in sorted(expected.keys() | actual.keys()):
        if table not in actual:
            differences.append(_("%(table)s is missing") % {"table": table})
        elif table not in expected:
            differences.append(_("%(table)s is extra") % {"table": table})
        elif expected[table].rows != actual[table].rows:
            differences.append(
                _("%(table)s has %(actual)d rows instead of %(expected)d")
                % {"table": table, "actual": actual[table].rows, "expected": expected[table].rows}
            )
        elif expected[table].checksum != actual[table].checksum:
            differences.append(_("%(table)s has different content") % {"table": table})
    return differences


def _tables(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname <> ALL(%s) ORDER BY schemaname, tablename",
        [list(SYSTEM_SCHEMAS)],
    ).fetchall()
    return [
        (schema, table, table if schema == "public" else f"{schema}.{table}")
        for schema, table in rows
    ]


def connection_figures(conn: psycopg.Connection, *, checksum_tables) -> Figures:
    """The figures seen by `conn`, in its current transaction's snapshot."""
    wanted = set(checksum_tables)
    figures = {}
    for schema, table, name in _tables(conn):
        source = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        if name not in wanted:
            query = sql.SQL("SELECT count(*), NULL FROM {}").format(source)
        else:
            has_id = one_row(
                conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM information_schema.columns "
                    "WHERE table_schema = %s AND table_name = %s AND column_name = 'id')",
                    [schema, table],
                )
            )[0]
            order = sql.SQL("t.id" if has_id else 't::text COLLATE "C"')
            # One md5 per row, then one of them all: 32 bytes a row on the server, not the
            # whole table's text (a text value is limited to 1 GB).
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY {})), '') "
                "FROM {} AS t"
            ).format(order, source)
        rows, checksum = one_row(conn.execute(query))
        figures[name] = TableFigures(rows=rows, checksum=checksum)
    return figures
