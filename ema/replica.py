"""Reads of the dashboards, reports and exports from a read replica (DATABASE_REPLICA_URL).

A view opens a scope (`@reads_from_replica`, or `with replica_reads():`); inside it, the
router reads the rows the figures are made of from the replica. Everything else stays on the
primary: every write, every read inside a transaction (it must see its own writes), and
every read of the sessions, accounts, two-factor devices, lockouts, audit and read logs and
prepared files. The session and the user are loaded by the middleware, before the view opens
its scope, so they are always read from the primary.

The scope lives in a context variable: each thread (and each asyncio task) has its own, so
one request's scope never leaks into another's. The router is installed only when the
replica is configured (ema/settings.py); without it, nothing here runs.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"

# The apps whose rows the figures count. An app added later stays on the primary until it is
# named here; the apps of people and security (accounts, sessions, two-factor devices, axes,
# the audit log, the read log in privacy, the prepared files of downloads) are never named.
REPLICA_APPS = frozenset(
    {
        "residents",
        "interventions",
        "partners",
        "collective",
        "team",
        "empowerment",
        "support",
        "reports",
        "evaluation",
    }
)

_in_scope: ContextVar[bool] = ContextVar("reads_from_replica", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block, the figures' rows are read from the replica (when there is one)."""
    token = _in_scope.set(True)
    try:
        yield
    finally:
        _in_scope.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose figures may be read from the replica: a few seconds behind at worst,
    never for what the view writes."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


def _same_database(first: dict[str, Any], second: dict[str, Any]) -> bool:
    return all(first.get(key) == second.get(key) for key in ("HOST", "PORT", "NAME"))


class ReplicaRouter:
    """Reads in a replica scope go to the replica; all else, and every write, to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if not _in_scope.get() or model._meta.app_label not in REPLICA_APPS:
            return DEFAULT_DB_ALIAS
        primary = connections[DEFAULT_DB_ALIAS]
        # A transaction reads its own writes, which the replica has not seen yet.
        if primary.in_atomic_block:
            return DEFAULT_DB_ALIAS
        # A replica that names the primary's own database (the tests make it a mirror of the
        # test database) is read through the primary's connection, which sees the test's
        # transaction.
        if _same_database(connections[REPLICA].settings_dict, primary.settings_dict):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from one may point at one of
        # the other.
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica replays the primary's migrations; nothing is ever written to it.
        return db == DEFAULT_DB_ALIAS
