import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_candidate_source_length"),
        ("registry", "0003_person_current_newest"),
    ]

    operations = [
        migrations.CreateModel(
            name="CandidateFeatures",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="registry.person",
                    ),
                ),
                ("version", models.PositiveIntegerField()),
                ("payload", models.JSONField()),
            ],
        ),
    ]
