"""A registration queues the duplicate check and the presence refresh of its new people, in its own transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import person_input
from django.db import connection, transaction
from django.tasks.signals import task_enqueued
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from karvon.matching.tasks import duplicate_check_task
from karvon.presence.tasks import presence_refresh_task
from karvon.registry import services
from karvon.registry.contracts import MemberInput, NameInput, RegistrationInput

pytestmark = pytest.mark.django_db

# Every column but the task's own id and time of enqueueing.
COLUMNS = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ("id", "enqueued_at")]


def stored(rows: Any) -> list[dict[str, Any]]:
    return [{c: getattr(row, c) for c in COLUMNS} for row in rows]


def registration(node: dict[str, Any]) -> RegistrationInput:
    return RegistrationInput(
        office_id=node["almaty"].pk, registered_on=date(2026, 11, 20), met_at="in_country", arrival_date=None
    )


def test_the_rows_are_those_the_task_backend_writes_for_the_same_calls(users: Any, register: Any) -> None:
    person = register(users["officer"])
    queued = list(DBTaskResult.objects.order_by("task_path"))
    DBTaskResult.objects.all().delete()
    duplicate_check_task.enqueue(person.pk)
    presence_refresh_task.enqueue([person.pk])
    assert stored(queued) == stored(DBTaskResult.objects.order_by("task_path"))
    assert [r.args_kwargs for r in queued] == [
        {"args": [person.pk], "kwargs": {}},
        {"args": [[person.pk]], "kwargs": {}},
    ]


def test_a_household_queues_a_check_per_member_and_one_refresh_for_all(
    users: Any, node: Any, ctx_for: Any
) -> None:
    members = [
        MemberInput(person_input(), "principal"),
        MemberInput(person_input(names=(NameInput("given", "Зарина", "Cyrl"),), sex="F"), "spouse"),
    ]
    household = services.household_register(
        ctx=ctx_for(users["officer"]), registration=registration(node), members=members
    )
    ids = list(household.memberships.order_by("id").values_list("person_id", flat=True))
    checks = DBTaskResult.objects.filter(task_path=duplicate_check_task.module_path)
    assert sorted(r.args_kwargs["args"][0] for r in checks) == ids
    [refresh] = DBTaskResult.objects.filter(task_path=presence_refresh_task.module_path)
    assert refresh.args_kwargs == {"args": [ids], "kwargs": {}}


def test_a_registration_rolled_back_leaves_no_task(users: Any, register: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        register(users["officer"])
        assert DBTaskResult.objects.count() == 2  # written with the registration, in its transaction
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0


def test_the_enqueued_signal_is_sent_once_the_registration_is_committed(
    users: Any, register: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[str] = []

    def receiver(sender: Any, task_result: Any, **kwargs: Any) -> None:
        sent.append(task_result.task.module_path)

    task_enqueued.connect(receiver)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            register(users["officer"])
        assert sent == []
        for callback in callbacks:
            callback()
    finally:
        task_enqueued.disconnect(receiver)
    assert sorted(sent) == sorted([duplicate_check_task.module_path, presence_refresh_task.module_path])


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
def test_another_backend_gets_the_tasks_on_commit(
    users: Any, register: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(services, "duplicate_check_enqueue", lambda ids: calls.append(("check", ids)))
    monkeypatch.setattr(services, "presence_refresh_enqueue", lambda ids: calls.append(("presence", ids)))
    with django_capture_on_commit_callbacks() as callbacks:
        person = register(users["officer"])
    assert calls == [] and DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    assert calls == [("check", [person.pk]), ("presence", [person.pk])]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one prepared statement on PostgreSQL only")
def test_the_statement_of_a_registration_does_not_depend_on_how_many_names_or_documents(
    users: Any, register: Any
) -> None:
    register(users["officer"])
    known = dict(services._STATEMENTS)
    register(users["officer"], names=(NameInput("family", "Каримов", "Cyrl"),), documents=(), languages=())
    assert known == services._STATEMENTS
