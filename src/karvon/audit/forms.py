"""The audit search form."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from karvon.audit.selectors import AuditFilter


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=40)
    person = forms.UUIDField(label=_("Person identifier"), required=False)
    from_date = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to_date = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("from_date"), data.get("to_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("to_date", _("The end of the period is before its start."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            actor=data.get("actor", ""),
            action=data.get("action", ""),
            person_uuid=data.get("person"),
            from_date=data.get("from_date"),
            to_date=data.get("to_date"),
        )
