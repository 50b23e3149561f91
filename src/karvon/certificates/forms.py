"""Web forms of certificates: issuing (kind, basis, language) and revoking (a reason)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from karvon.certificates.contracts import BasisChoice
from karvon.certificates.models import CertificateKind, CertificateLanguage
from karvon.certificates.services import REVOCATION_REASON_MAX
from karvon.registry.contracts import FieldError

BASIS_KINDS = {"case": "case_uuid", "appointment": "appointment_uuid", "registration": "registration_uuid"}


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=CertificateKind.choices)
    # Offered as a list, accepted as text: the service checks the basis, so a POST needs no list read first.
    basis = forms.CharField(label=_("Issued on"), required=False, max_length=60, widget=forms.Select)
    language = forms.ChoiceField(label=_("Language of the document"), choices=CertificateLanguage.choices)

    def set_bases(self, bases: Sequence[BasisChoice]) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        titles = {
            "case": _("Asylum cases"),
            "appointment": _("Appointments"),
            "registration": _("Registrations"),
        }
        for basis in bases:
            groups.setdefault(str(titles[basis.kind]), []).append((f"{basis.kind}:{basis.uuid}", basis.label))
        widget = self.fields["basis"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", _("— choose —")), *groups.items()]

    def clean_basis(self) -> dict[str, uuid.UUID]:
        """The chosen basis as the service's keyword, e.g. {"case_uuid": …}; empty when none was chosen."""
        value: str = self.cleaned_data.get("basis") or ""
        if not value:
            return {}
        kind, _sep, key = value.partition(":")
        try:
            return {BASIS_KINDS[kind]: uuid.UUID(key)}
        except (KeyError, ValueError):
            raise forms.ValidationError(_("Choose from the list.")) from None

    def add_domain_errors(self, errors: Sequence[FieldError]) -> None:
        for error in errors:
            field = "basis" if error.field in BASIS_KINDS.values() else error.field
            self.add_error(field if field in self.fields else None, error.message)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=REVOCATION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
