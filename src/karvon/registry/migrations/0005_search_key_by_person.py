"""Index a person's search keys with the key (index-only checks in the name search); drop the person-only index."""

import django.db.models.deletion
from django.db import migrations, models

# Django's name of the foreign key's own index: dropped by name (IF EXISTS) rather than by AlterField, which on
# SQLite would rebuild the table. The new index is built first, so lookups by person always have an index.
PERSON_ONLY_INDEX = "registry_namesearchkey_person_id_85053752"


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_drop_indexes_covered_by_constraints"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="namesearchkey",
            index=models.Index(fields=["person", "key"], name="search_key_by_person"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PERSON_ONLY_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{PERSON_ONLY_INDEX}" ON "registry_namesearchkey" ("person_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="namesearchkey",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_keys",
                        to="registry.person",
                    ),
                ),
            ],
        ),
    ]
