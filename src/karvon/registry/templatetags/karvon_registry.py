"""Display helpers: code lists in the user's language and dates of birth with their precision."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from karvon.registry.codelists import country_name, language_name
from karvon.registry.models import DatePrecision, Person, ProfileType
from karvon.registry.specific_needs import SPECIFIC_NEED_CODES

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def language(code: str) -> str:
    return language_name(code)


@register.filter
def need_label(code: str) -> str:
    label = SPECIFIC_NEED_CODES.get(code)
    return str(label) if label is not None else code


@register.filter
def profile_label(value: str) -> str:
    try:
        return str(ProfileType(value).label)
    except ValueError:
        return value


@register.simple_tag
def birth_date(person: Person) -> str:
    if person.birth_date is None:
        return "—"
    precision = person.birth_date_precision
    if precision == DatePrecision.EXACT:
        return date_format(person.birth_date, "d.m.Y")
    if precision == DatePrecision.MONTH:
        return date_format(person.birth_date, "m.Y")
    if precision == DatePrecision.ESTIMATED:
        return _("%(year)s (estimated)") % {"year": person.birth_date.year}
    return str(person.birth_date.year)
