"""Compared fields and agreement levels, shown in the user's language."""

from __future__ import annotations

from django import template

from karvon.matching.labels import FIELD_LABELS, LEVEL_LABELS

register = template.Library()


@register.filter
def match_field(value: str) -> str:
    label = FIELD_LABELS.get(value)
    return str(label) if label is not None else value


@register.filter
def match_level(value: str) -> str:
    label = LEVEL_LABELS.get(value)
    return str(label) if label is not None else value
