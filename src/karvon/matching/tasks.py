"""Background work of matching: thin wrappers that call the services."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from karvon.matching.candidates import refresh_candidate_features
from karvon.matching.services import duplicate_check


@task()
def duplicate_check_task(person_id: int) -> int:
    """Look for an earlier record of a newly registered person; new pairs go to the review queue.

    First writes the person's real-time matching row, so that later drafts find it prepared.
    """
    refresh_candidate_features([person_id])
    return duplicate_check(person_id=person_id, now=timezone.now())


def duplicate_check_enqueue(person_ids: list[int]) -> None:
    for person_id in person_ids:
        duplicate_check_task.enqueue(person_id)
