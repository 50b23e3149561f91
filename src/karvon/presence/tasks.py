"""Background work of presence: a thin wrapper that calls the service."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from karvon.presence.services import person_presence_refresh


@task()
def presence_refresh_task(person_ids: list[int]) -> None:
    """Newly registered people enter the present-now counts (as "no entry recorded" until an entry is)."""
    person_presence_refresh(person_ids=person_ids, today=timezone.localdate())


def presence_refresh_enqueue(person_ids: list[int]) -> None:
    presence_refresh_task.enqueue(person_ids)
