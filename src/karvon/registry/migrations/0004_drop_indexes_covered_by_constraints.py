"""Drop the single-column indexes whose column leads a unique constraint or index already (fewer writes a registration)."""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, Django's name of the foreign key's index): each column leads another index of its table, which
# serves every lookup the single-column index served. Dropped by name (IF EXISTS) rather than by AlterField, which on
# SQLite would rebuild each table.
COVERED = [
    ("registry_personname", "person_id", "registry_personname_person_id_7ee32742"),
    ("registry_personnationality", "person_id", "registry_personnationality_person_id_53202774"),
    ("registry_personlanguage", "person_id", "registry_personlanguage_person_id_f5455bd6"),
    ("registry_identitydocument", "person_id", "registry_identitydocument_person_id_d52df8cc"),
    ("registry_registration", "office_id", "registry_registration_office_id_a9e0f156"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registry", "0003_person_current_newest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                )
                for table, column, name in COVERED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="identitydocument",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="registry.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personlanguage",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="languages",
                        to="registry.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personname",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="registry.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personnationality",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nationalities",
                        to="registry.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="registration",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registrations",
                        to="accounts.office",
                    ),
                ),
            ],
        ),
    ]
