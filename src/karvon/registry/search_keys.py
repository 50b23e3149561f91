"""Rebuild the stored name search keys from people's names (after an upgrade that derives keys differently)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import NameSearchKey, Person, PersonName

REBUILD_CHUNK = 2_000


@dataclass(frozen=True)
class SearchKeysRebuilt:
    people: int
    people_changed: int
    keys_added: int
    keys_removed: int


def search_keys_rebuild_all(
    *, chunk_size: int = REBUILD_CHUNK, progress: Callable[[SearchKeysRebuilt], None] | None = None
) -> SearchKeysRebuilt:
    """Make every person's stored keys exactly those their names and date of birth give today.

    Every write of names rebuilds that person's keys, so a running node never needs this; a database filled by
    an earlier version of Karvon does (its people lack the keys added since, and the search and the duplicate
    check then miss them). Only the differences are written, one transaction per chunk of people, with the
    chunk's person rows locked so that an edit of names waits for it rather than interleaving. A merged-away
    person keeps no keys (as the merge leaves them). Running it twice changes nothing the second time.
    """
    people = changed = added = removed = 0
    last = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Person.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "birth_date", "merged_into_id")[:chunk_size]
            )
            if not chunk:
                break
            ids = [pk for pk, _, _ in chunk]
            names: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for person_id, part, text in PersonName.objects.filter(person_id__in=ids).values_list(
                "person_id", "part", "text"
            ):
                names[person_id].append((part, text))
            stored: dict[int, set[str]] = defaultdict(set)
            for person_id, key in NameSearchKey.objects.filter(person_id__in=ids).values_list(
                "person_id", "key"
            ):
                stored[person_id].add(key)
            new_rows: list[NameSearchKey] = []
            for pk, birth_date, merged_into_id in chunk:
                wanted = set() if merged_into_id else person_index_keys(names[pk], birth_date)
                have = stored[pk]
                if wanted == have:
                    continue
                changed += 1
                new_rows += [NameSearchKey(person_id=pk, key=key) for key in sorted(wanted - have)]
                stale = have - wanted
                if stale:
                    removed += NameSearchKey.objects.filter(person_id=pk, key__in=stale).delete()[0]
            NameSearchKey.objects.bulk_create(new_rows)
            added += len(new_rows)
        people += len(chunk)
        last = chunk[-1][0]
        if progress is not None:
            progress(SearchKeysRebuilt(people, changed, added, removed))
    return SearchKeysRebuilt(people, changed, added, removed)
