"""Display helpers of presence: status and region names in the user's language."""

from __future__ import annotations

from django import template

from karvon.presence.labels import status_label
from karvon.presence.regions import region_name

register = template.Library()


@register.filter
def presence_status(code: str) -> str:
    return status_label(code)


@register.filter
def region(code: str) -> str:
    return region_name(code)
