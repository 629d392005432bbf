"""The read replica: which database a read goes to, and a dashboard read through a real
PostgreSQL streaming standby.

The router's tests need no replica. The standby's tests run when DATABASE_REPLICA_URL names
one (`.ci/replica` starts it on port 5433); they are skipped without it, except under CI=true,
where a missing replica fails them: CI must read through a real standby.
"""

import contextlib
import os
import runpy
import threading
import time
from datetime import date

import dj_database_url
import pytest
from auditlog.models import LogEntry as AuditEntry
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from downloads.models import PreparedFile
from ema.accounts.models import User
from ema.replica import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from interventions.models import Intervention, Level
from partners.models import Referral
from privacy.models import ReadEvent
from reports.models import DashboardSettings
from residents.models import Household
from tests.factories import InterventionFactory, SiteFactory

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
IN_CI = os.environ.get("CI") == "true"
# The standby's tests use the alias only where it is configured.
STANDBY_DATABASES = [DEFAULT_DB_ALIAS, REPLICA] if REPLICA in settings.DATABASES else None

router = ReplicaRouter()


@pytest.fixture
def replica_apart(monkeypatch):
    """A replica alias that names another database than the primary's, in every thread. The
    router only reads its settings: nothing connects to it."""
    elsewhere = {**connections[DEFAULT_DB_ALIAS].settings_dict, "NAME": "elsewhere"}
    configured = REPLICA in connections.settings
    monkeypatch.setitem(connections.settings, REPLICA, elsewhere)
    if configured:  # this thread's connection is made already: its settings too
        monkeypatch.setattr(connections[REPLICA], "settings_dict", elsewhere)
    yield
    if not configured:
        with contextlib.suppress(AttributeError):  # never made in this thread
            del connections[REPLICA]


class TestRouter:
    def test_outside_a_scope_every_read_goes_to_the_primary(self, replica_apart):
        assert router.db_for_read(Intervention) == "default"
        assert router.db_for_read(Household) == "default"

    def test_in_a_scope_the_figures_rows_are_read_from_the_replica(self, replica_apart):
        with replica_reads():
            read_from = {model: router.db_for_read(model) for model in (Intervention, Referral)}
        assert read_from == {Intervention: "replica", Referral: "replica"}
        assert router.db_for_read(Intervention) == "default"

    def test_sessions_people_devices_lockouts_and_logs_stay_on_the_primary(self, replica_apart):
        models = [Session, User, TOTPDevice, AccessAttempt, AuditEntry, ReadEvent, PreparedFile]
        with replica_reads():
            read_from = {model.__name__: router.db_for_read(model) for model in models}
        assert set(read_from.values()) == {"default"}, read_from

    def test_writes_always_go_to_the_primary(self, replica_apart):
        with replica_reads():
            assert router.db_for_write(Intervention) == "default"
            assert router.db_for_write(DashboardSettings) == "default"

    def test_a_replica_that_names_the_primarys_database_is_read_through_the_primary(self):
        # As in the tests, where the alias mirrors the test database (tests/conftest.py).
        if REPLICA not in connections.settings:
            pytest.skip("DATABASE_REPLICA_URL is unset: no replica alias to mirror")
        with replica_reads():
            assert router.db_for_read(Intervention) == "default"

    def test_the_scope_ends_with_the_view_even_when_it_fails(self, replica_apart):
        @reads_from_replica
        def view():
            assert router.db_for_read(Intervention) == "replica"
            raise ValueError

        with pytest.raises(ValueError):
            view()
        assert router.db_for_read(Intervention) == "default"

    def test_one_threads_scope_does_not_reach_another_thread(self, replica_apart):
        inside, checked = threading.Event(), threading.Event()
        seen = {}

        def report_view():
            with replica_reads():
                inside.set()
                checked.wait(5)
                seen["view"] = router.db_for_read(Intervention)

        def other_request():
            inside.wait(5)
            seen["other"] = router.db_for_read(Intervention)
            checked.set()

        threads = [threading.Thread(target=report_view), threading.Thread(target=other_request)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert seen == {"view": "replica", "other": "default"}

    def test_migrations_run_on_the_primary_only(self):
        assert router.allow_migrate("default", "interventions") is True
        assert router.allow_migrate("replica", "interventions") is False

    def test_objects_of_the_primary_and_the_replica_may_be_related(self):
        household, site = Household(), SiteFactory.build()
        household._state.db, site._state.db = "replica", "default"
        assert router.allow_relation(household, site) is True


@pytest.mark.django_db(transaction=True)
def test_in_a_transaction_the_scope_reads_from_the_primary(replica_apart):
    with replica_reads():
        assert router.db_for_read(Intervention) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Intervention) == "default"


class TestSettings:
    """ema/settings.py read again with another environment (never Django's own settings)."""

    def _settings(self, monkeypatch, **env):
        monkeypatch.setenv("DATABASE_URL", "postgres://ema@db.internal:5432/ema")
        monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(settings.BASE_DIR / "ema" / "settings.py"))

    def test_without_a_replica_there_is_one_database_and_no_router(self, monkeypatch):
        values = self._settings(monkeypatch)
        assert list(values["DATABASES"]) == ["default"]
        assert "DATABASE_ROUTERS" not in values

    def test_a_replica_url_adds_the_alias_and_the_router(self, monkeypatch):
        values = self._settings(
            monkeypatch, DATABASE_REPLICA_URL="postgres://ema@replica.internal:5432/ema"
        )
        replica = values["DATABASES"]["replica"]
        assert (replica["HOST"], replica["PORT"], replica["NAME"]) == (
            "replica.internal",
            5432,
            "ema",
        )
        assert replica["TEST"] == {"MIRROR": "default"}
        assert values["DATABASE_ROUTERS"] == ["ema.replica.ReplicaRouter"]

    def test_a_replica_of_another_database_is_refused(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="same database"):
            self._settings(
                monkeypatch, DATABASE_REPLICA_URL="postgres://ema@replica.internal:5432/other"
            )


# The real standby.


@pytest.fixture
def standby(transactional_db):
    """The replica alias pointed at the real standby, on the test database's name: a physical
    replica copies every database of the server, the test database among them."""
    if not REPLICA_URL:
        reason = "DATABASE_REPLICA_URL is unset: no streaming replica to read through"
        if IN_CI:
            pytest.fail(f"CI=true, but {reason} (.ci/run starts one with .ci/replica)")
        pytest.skip(f"{reason} (start one with .ci/replica, then set it)")
    server = dj_database_url.parse(REPLICA_URL)
    connection = connections[REPLICA]
    mirrored = connection.settings_dict
    connection.close()
    connection.settings_dict = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        **{key: server[key] for key in ("HOST", "PORT", "USER", "PASSWORD")},
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,), "DATABASE_REPLICA_URL is not a standby"
    yield connection
    connection.close()
    connection.settings_dict = mirrored


def wait_for_replay(standby, *, seconds: float = 30) -> float:
    """Wait until the standby has replayed everything the primary wrote so far; the wait."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    start = time.monotonic()
    while True:
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"the standby did not replay {written} within {seconds} s")
        time.sleep(0.05)


def tables_read(queries) -> set[str]:
    sql = " ".join(query["sql"] for query in queries)
    names = [
        "interventions_intervention",
        "interventions_monthlywork",
        "residents_household",
        "django_session",
        "accounts_user",
        "reports_dashboardsettings",
        "privacy_readevent",
    ]
    return {name for name in names if f'"{name}"' in sql}


MARCH = {"kind": "month", "day": "2026-03-15"}


@pytest.mark.django_db(transaction=True, databases=STANDBY_DATABASES)
def test_the_dashboard_reads_its_figures_from_the_standby(standby, client_as, direction, site_ss):
    for minutes in (60, 30):
        InterventionFactory(
            site=site_ss,
            date=date(2026, 3, 10),
            level=Level.INDIVIDUAL,
            duration_minutes=minutes,
            count_6_12=0,
            count_13_17=0,
        )
    client = client_as(direction)
    wait_for_replay(standby)

    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        CaptureQueriesContext(standby) as on_standby,
    ):
        response = client.get(reverse("dashboard"), MARCH)

    assert response.status_code == 200
    activity = response.context["activity"]
    assert (activity.total, activity.total_hours) == (2, 1.5)
    # The figures came from the standby; the session, the person and the targets (which the
    # direction may have just saved) from the primary.
    assert {"interventions_intervention", "residents_household"} <= tables_read(on_standby)
    assert {"django_session", "reports_dashboardsettings"} & tables_read(on_standby) == set()
    assert {"django_session", "accounts_user", "reports_dashboardsettings"} <= tables_read(
        on_primary
    )
    assert "interventions_intervention" not in tables_read(on_primary)


@pytest.mark.django_db(transaction=True, databases=STANDBY_DATABASES)
def test_an_annual_report_table_is_read_from_the_standby_and_logged_on_the_primary(
    standby, client_as, direction, site_ss
):
    InterventionFactory(site=site_ss, date=date(2026, 5, 4), duration_minutes=45)
    client = client_as(direction)
    wait_for_replay(standby)
    url = reverse("annual_report")
    page = client.get(url, {"year": "2026"})
    table = page.context["tables"][0].slug

    with CaptureQueriesContext(standby) as on_standby:
        response = client.get(url, {"year": "2026", "format": "csv", "table": table})

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())
    # A whole year's figures come from the monthly summaries, read on the standby too.
    assert "interventions_monthlywork" in tables_read(on_standby)
    assert "privacy_readevent" not in tables_read(on_standby)
    assert ReadEvent.objects.filter(actor=direction).exists()


@pytest.mark.django_db(transaction=True, databases=STANDBY_DATABASES)
def test_the_research_data_set_streams_its_rows_from_the_standby(
    standby, client_as, research, site_ss
):
    InterventionFactory(site=site_ss, date=date(2026, 5, 4), duration_minutes=45)
    client = client_as(research)
    wait_for_replay(standby)

    with CaptureQueriesContext(standby) as on_standby:
        response = client.get(reverse("evaluation:research_export_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    # Its tables are read in chunks, through server-side cursors, which a hot standby serves.
    assert "interventions_intervention" in tables_read(on_standby)
    assert ReadEvent.objects.filter(actor=research, details__export="research_dataset").exists()
