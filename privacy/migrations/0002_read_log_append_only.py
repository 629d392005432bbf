"""On PostgreSQL, the database itself refuses to change or delete a row of the read log."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_readevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_readevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_readevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_readevent
    FOR EACH ROW EXECUTE FUNCTION privacy_readevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_readevent_append_only ON privacy_readevent;
DROP FUNCTION IF EXISTS privacy_readevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_read_log")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
