"""Drop two indexes no query needs: actor_id alone (audit_actor_time leads with it) and the LIKE copy of action."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTOR_INDEX = "audit_auditevent_actor_id_270bb4b7"
# PostgreSQL only: Django adds a varchar_pattern_ops index beside every indexed CharField, for LIKE 'prefix%'. The
# audit search filters actions by equality (the plain index on action), never by prefix.
ACTION_LIKE_INDEX = "audit_auditevent_action_2131bb77_like"


def drop_action_like(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{ACTION_LIKE_INDEX}"')


def create_action_like(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{ACTION_LIKE_INDEX}" ON "audit_auditevent" ("action" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    # Dropping indexes by name leaves the table (and so, on SQLite, its append-only triggers) as it is: an
    # AlterField would rebuild the table on SQLite and drop the triggers with it.
    dependencies = [
        ("audit", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{ACTOR_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{ACTOR_INDEX}" ON "audit_auditevent" ("actor_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(drop_action_like, create_action_like),
    ]
