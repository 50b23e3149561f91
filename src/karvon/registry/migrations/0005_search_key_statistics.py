"""Let PostgreSQL's planner know how common each name search key is (a larger sample and list of common values).

The name keys are very unevenly spread: of 218,129 distinct keys of 1,000,000 demo people, a few hundred (Muhammad,
Karimov, their skeletons) stand for millions of the 13.4 million rows. With the default statistics target (100) the
planner knew the frequency of only the 100 most common keys, took every other key for a rare one (1,366 rows
expected for "Rahimzoda", 20,790 found) and, for a two-word search, probed the common word's keys person by person
instead of hashing them: 212 ms against 37 ms for "Muhammad Rahimzoda" (docs/performance.md). With a target of
3,000 ANALYZE keeps the 3,000 most common keys with their frequencies. A larger list costs every search's planning
more than it saves (10,000: 13.6 against 10.7 ms of database CPU per search over the benchmark's 400 queries;
1,000: 10.7 ms, but some two-word searches still planned badly).
"""

from typing import Any

from django.db import migrations

TABLE, COLUMN = "registry_namesearchkey", "key"


def _set_target(target: int) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite's planner keeps no per-value statistics to tune
        schema_editor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{COLUMN}" SET STATISTICS {target}')

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_drop_indexes_covered_by_constraints")]

    # -1 is the column's default (default_statistics_target).
    operations = [migrations.RunPython(_set_target(3_000), _set_target(-1), elidable=False)]
