"""Template filters of the procedures pages: labels of kinds, stages and steps, and field errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from karvon.cases.workflow import CASE_KIND_LABELS, PROTECTION_LABELS, WORKFLOWS, CaseKind
from karvon.registry.contracts import FieldError

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    try:
        return str(CASE_KIND_LABELS[CaseKind(kind)])
    except ValueError:
        return kind


@register.filter
def stage_label(case: Any) -> str:
    return str(WORKFLOWS[CaseKind(case.kind)].states[case.state].label)


@register.filter
def state_label(state: str, kind: str) -> str:
    states = WORKFLOWS[CaseKind(kind)].states
    return str(states[state].label) if state in states else state


@register.filter
def step_label(transition: str, kind: str) -> str:
    if transition == "open":
        return str(WORKFLOWS[CaseKind(kind)].states[WORKFLOWS[CaseKind(kind)].initial].label)
    steps = WORKFLOWS[CaseKind(kind)].transitions
    return str(steps[transition].label) if transition in steps else transition


@register.filter
def protection_label(code: str) -> str:
    return str(PROTECTION_LABELS.get(code, code))


@register.filter
def errors_for(errors: Iterable[FieldError], field: str) -> list[str]:
    return [e.message for e in errors if e.field == field or e.field.startswith(field + ".")]


@register.filter
def needs(transition: Any, detail: str) -> bool:
    return any(d.value == detail for d in transition.requires)
