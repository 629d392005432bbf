"""Backups restore: a dump of the database, restored into a fresh one, holds the same rows.

The round trips run only on PostgreSQL (pg_dump and pg_restore); under CI=true, where the
suite runs on PostgreSQL, a missing pg_dump fails them instead of skipping them.
"""

import io
import os
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import translation

from ema.backups import BackupError
from ema.backups.databases import (
    KEY_TABLES,
    Database,
    database_default,
    database_figures,
    database_table_count,
    database_tables,
    figures_compare,
    scratch_database,
)
from ema.backups.encryption import MAGIC, decrypt_stream, encrypt_stream, fernet_from_key
from ema.backups.services import backup_create, backup_is_encrypted
from interventions.models import Participation
from partners.models import Status
from privacy.models import ReadEvent
from privacy.services import read_event_create
from residents.models import Resident
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
    SiteFactory,
    UserFactory,
)
from tests.partners.factories import ReferralFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
IN_CI = os.environ.get("CI") == "true"


def _skip_reason() -> str:
    if not ON_POSTGRES:
        return (
            "backups need PostgreSQL (DATABASE_URL=postgres://...); on SQLite a backup is a "
            "copy of the file"
        )
    if shutil.which("pg_dump") is None and not IN_CI:
        return "pg_dump is not installed (apt-get install postgresql-client)"
    return ""


requires_postgres = pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason())

MARKER_FIRST_NAME = "Philomène"
MARKER_LAST_NAME = "Sauvegarde-Témoin"


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English; the French catalogue translates them."""
    with translation.override("en"):
        yield


@pytest.fixture
def dataset():
    """A small but complete database: every key table has rows, committed for pg_dump."""
    site = SiteFactory(name="Saint-Sulpice")
    author = UserFactory(username="intervenant.ss", sites=[site])
    household = HouseholdFactory(site=site, label=MARKER_LAST_NAME)
    marker = ConsentedResidentFactory(household=household, first_name=MARKER_FIRST_NAME)
    residents = [marker, *ConsentedResidentFactory.create_batch(3, household__site=site)]
    for resident in residents:
        ParticipationFactory(
            resident=resident, intervention=InterventionFactory(site=site, author=author)
        )
    ReferralFactory(resident=marker, responsible=author, consented=True, status=Status.SENT)
    read_event_create(user=author, kind=ReadEvent.Kind.FILE, target=household)
    return marker


@pytest.fixture
def scratch():
    """A fresh, empty database on the test server, dropped at the end whatever happens."""
    with scratch_database(database_default()) as database:
        yield database


@pytest.fixture
def backup_key(settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    return settings.BACKUP_ENCRYPTION_KEY


def _every_table_figures(database: Database):
    """Every table's row count and the checksum of every table, not only the key ones."""
    return database_figures(database, checksum_tables=database_tables(database))


def _backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _restore(path: Path, target: Database, **options) -> None:
    password = f":{target.password}" if target.password else ""
    host = f"{target.host or 'localhost'}:{target.port or 5432}"
    url = f"postgres://{target.user}{password}@{host}/{target.name}"
    call_command("restore", str(path), database_url=url, stdout=io.StringIO(), **options)


# Round trips on PostgreSQL ---------------------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row(dataset, scratch, tmp_path):
    path = tmp_path / "ema.dump"
    output = _backup(path)
    assert str(path) in output
    assert MARKER_FIRST_NAME not in output and MARKER_LAST_NAME not in output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    _restore(path, scratch)

    source, restored = _every_table_figures(database_default()), _every_table_figures(scratch)
    assert figures_compare(source, restored) == []
    assert source == restored
    for table in KEY_TABLES:
        assert restored[table].rows > 0, table
    assert restored["residents_resident"].rows == Resident.objects.count() == 4
    assert restored["interventions_participation"].rows == Participation.objects.count()
    with scratch.connect() as conn:
        assert conn.execute(
            "SELECT count(*) FROM residents_resident WHERE first_name = %s", [MARKER_FIRST_NAME]
        ).fetchone() == (1,)


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_checksum_sees_a_changed_row(dataset, scratch, tmp_path):
    path = tmp_path / "ema.dump"
    _backup(path)
    _restore(path, scratch)
    with scratch.connect() as conn:
        conn.execute(
            "UPDATE residents_resident SET first_name = 'Autre' WHERE id = %s", [dataset.pk]
        )

    differences = figures_compare(database_figures(database_default()), database_figures(scratch))

    assert differences == ["residents_resident has different content"]


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_goes_to_a_timestamped_file_in_backup_dir(dataset, settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path / "backups")
    output = io.StringIO()

    call_command("backup", stdout=output, stderr=io.StringIO())

    [path] = (tmp_path / "backups").iterdir()
    assert path.name.startswith("ema-") and path.name.endswith(".dump")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert f"{path} ({path.stat().st_size:,} bytes, NOT encrypted)" in output.getvalue()
    assert not list(path.parent.glob(".*.partial"))


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_encrypted_backup_hides_the_data_and_restores_with_its_key(
    dataset, scratch, tmp_path, backup_key
):
    path = tmp_path / "ema.dump.enc"
    plain = tmp_path / "plain.dump"
    assert "bytes, encrypted)." in _backup(path)
    backup_create(output=plain, key="")

    content = path.read_bytes()
    assert content.startswith(MAGIC)
    # The plain archive names its tables in clear; the encrypted one shows nothing.
    assert b"residents_resident" in plain.read_bytes()
    for marker in (b"residents_resident", b"PGDMP", MARKER_FIRST_NAME.encode()):
        assert marker not in content

    _restore(path, scratch)

    assert (
        figures_compare(_every_table_figures(database_default()), _every_table_figures(scratch))
        == []
    )


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wrong_or_missing_key_is_a_clear_error_and_restores_nothing(
    dataset, scratch, tmp_path, settings, backup_key
):
    path = tmp_path / "ema.dump.enc"
    _backup(path)

    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="BACKUP_ENCRYPTION_KEY is not the key"):
        _restore(path, scratch)
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="encrypted: set BACKUP_ENCRYPTION_KEY"):
        _restore(path, scratch)

    assert database_table_count(scratch) == 0


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_has_tables_unless_forced(dataset, scratch, tmp_path):
    path = tmp_path / "ema.dump"
    _backup(path)

    with pytest.raises(CommandError, match=r"already has \d+ tables"):
        call_command("restore", str(path), stdout=io.StringIO())
    _restore(path, scratch)
    with pytest.raises(CommandError, match="--force"):
        _restore(path, scratch)
    with scratch.connect() as conn:
        conn.execute("UPDATE residents_resident SET first_name = 'Autre'")
    _restore(path, scratch, force=True)

    assert (
        figures_compare(_every_table_figures(database_default()), _every_table_figures(scratch))
        == []
    )


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_verify_restores_into_a_scratch_database_and_drops_it(dataset, tmp_path):
    before = _scratch_databases()
    output = io.StringIO()

    call_command("backup", output=tmp_path / "ema.dump", verify=True, stdout=output)

    assert "Verified:" in output.getvalue()
    assert MARKER_FIRST_NAME not in output.getvalue()
    assert _scratch_databases() == before


def _scratch_databases() -> set[str]:
    with database_default().connect() as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'ema_scratch_%'")
        return {name for (name,) in rows}


# Everywhere ---------------------------------------------------------------------------------


def test_backup_on_sqlite_says_to_copy_the_file(monkeypatch, tmp_path):
    monkeypatch.setitem(
        connections["default"].settings_dict, "ENGINE", "django.db.backends.sqlite3"
    )
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "/srv/ema/db.sqlite3")

    with pytest.raises(CommandError, match=r"SQLite.*copy the file /srv/ema/db\.sqlite3"):
        call_command("backup", output=tmp_path / "ema.dump", stdout=io.StringIO())

    assert not list(tmp_path.iterdir())


def test_restore_into_sqlite_is_refused(tmp_path):
    path = tmp_path / "ema.dump"
    path.write_bytes(b"PGDMP")

    with pytest.raises(CommandError, match="SQLite"):
        call_command("restore", str(path), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Ceci n'est pas une sauvegarde.")

    with pytest.raises(BackupError, match="not a backup"):
        backup_is_encrypted(path)


def test_the_database_url_password_is_never_shown():
    database = Database.from_url("postgres://ema:s3cret-pass@db.internal:5433/ema")

    assert "s3cret-pass" not in str(database) + repr(database)
    assert "s3cret-pass" not in " ".join(database.client_args())
    assert database.client_env()["PGPASSWORD"] == "s3cret-pass"


# The encrypted format -----------------------------------------------------------------------

KEY = Fernet.generate_key().decode()


def _encrypt(data: bytes, *, key: str = KEY, chunk_size: int = 64) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, fernet_from_key(key), chunk_size=chunk_size)
    return out.getvalue()


def _decrypt(data: bytes, *, key: str = KEY) -> bytes:
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(data), out, fernet_from_key(key))
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 640, 1000])
def test_encryption_round_trips_in_frames_of_any_size(size):
    data = (f"{MARKER_FIRST_NAME} {MARKER_LAST_NAME} ".encode() * 100)[:size]

    encrypted = _encrypt(data)

    assert _decrypt(encrypted) == data
    assert encrypted.startswith(MAGIC)
    if size >= len(MARKER_FIRST_NAME.encode()):
        assert MARKER_FIRST_NAME.encode() not in encrypted


def test_a_wrong_key_cannot_decrypt():
    encrypted = _encrypt(b"Dossier de la famille")

    with pytest.raises(BackupError, match="not the key it was made with"):
        _decrypt(encrypted, key=Fernet.generate_key().decode())


def test_an_old_key_still_decrypts_during_a_rotation():
    old = Fernet.generate_key().decode()
    encrypted = _encrypt(b"Dossier de la famille", key=old)

    assert _decrypt(encrypted, key=f"{KEY},{old}") == b"Dossier de la famille"


def test_an_invalid_key_is_a_clear_error():
    with pytest.raises(BackupError, match="not a valid key"):
        fernet_from_key("not-a-fernet-key")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda frames: frames[:-1], id="cut-off"),
        pytest.param(lambda frames: [frames[1], frames[0], *frames[2:]], id="reordered"),
        pytest.param(lambda frames: [frames[0], *frames], id="repeated"),
        pytest.param(lambda frames: [*frames, frames[-1]], id="trailing"),
    ],
)
def test_a_damaged_encrypted_file_is_refused(damage):
    frames = _frames(_encrypt(bytes(range(256)) * 2))

    with pytest.raises(BackupError):
        _decrypt(MAGIC + b"".join(damage(frames)))


def test_a_changed_byte_is_refused():
    encrypted = bytearray(_encrypt(bytes(500)))
    encrypted[len(MAGIC) + 40] ^= 1

    with pytest.raises(BackupError):
        _decrypt(bytes(encrypted))


def _frames(encrypted: bytes) -> list[bytes]:
    """Split an encrypted file into its length-prefixed frames."""
    frames, position = [], len(MAGIC)
    while position < len(encrypted):
        size = int.from_bytes(encrypted[position : position + 4], "big")
        frames.append(encrypted[position : position + 4 + size])
        position += 4 + size
    return frames
