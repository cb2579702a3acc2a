"""No two active sessions of one mentor, nor of one learner, overlap — enforced by PostgreSQL.

Exclusion constraints on the session's time range, created only on PostgreSQL (SQLite has no
such constraint; there the booking service's locked transaction checks again before writing).
"""

from django.db import migrations

ACTIVE = "status IN ('requested', 'confirmed')"
CONSTRAINTS = {
    "mentoring_session_mentor_no_overlap": "mentor_id",
    "mentoring_session_learner_no_overlap": "learner_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("mentoring", "MentorSession")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE ({ACTIVE})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("mentoring", "MentorSession")._meta.db_table
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
