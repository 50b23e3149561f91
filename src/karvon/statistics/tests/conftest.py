"""Fixtures of the statistics tests: UNHCR's real files, loaded once per module that asks for them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

UNHCR_DIR = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "unhcr"


@pytest.fixture(scope="module")
def unhcr_loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The real files in the store for a whole module (about 4 s), in a transaction rolled back afterwards."""
    from django.db import transaction

    from karvon.statistics.services import unhcr_load

    with django_db_blocker.unblock(), transaction.atomic():
        unhcr_load(directory=UNHCR_DIR, now=datetime(2026, 11, 28, tzinfo=UTC))
        yield
        # The audit trail is append-only: undoing the load means never committing it.
        transaction.set_rollback(True)
