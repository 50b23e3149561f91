"""Template filters of the procedures pages: labels of kinds, stages and steps, and field errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from karvon.cases.workflow import (
    CARE_ARRANGEMENTS,
    CASE_KIND_LABELS,
    EXPLOITATION_TYPES,
    MEANS_OF_CONTROL,
    PROTECTION_LABELS,
    WORKFLOWS,
    CaseKind,
)
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


DETAIL_LABELS = {
    "interview_at": _("Interview"),
    "exploitation": _("Type of exploitation (HTCDS)"),
    "means_of_control": _("Means of control (HTCDS)"),
    "care_arrangement": _("Care arrangement"),
    "partner": _("Partner"),
    "destination": _("Country of destination"),
}


@register.filter
def detail_items(details: dict[str, Any]) -> list[tuple[str, str]]:
    """A step's facts as the page shows them: labelled, with HTCDS and care terms in the user's language."""
    vocabularies = {
        "exploitation": EXPLOITATION_TYPES,
        "means_of_control": MEANS_OF_CONTROL,
        "care_arrangement": CARE_ARRANGEMENTS,
    }
    items = []
    for key, value in details.items():
        vocabulary = vocabularies.get(key, {})
        values = value if isinstance(value, list) else [value]
        text = ", ".join(str(vocabulary.get(str(v), v)) for v in values)
        if key == "interview_at":
            text = str(value).replace("T", " ")
        items.append((str(DETAIL_LABELS.get(key, key)), text))
    return items
