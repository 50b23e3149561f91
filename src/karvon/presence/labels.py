"""Names of presence statuses and lists in the user's language (the pure rules return codes)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from karvon.cases.workflow import PROTECTION_LABELS
from karvon.presence.lawful_stay import (
    AUTHORISED,
    NO_ENTRY_RECORDED,
    OVERSTAYER,
    PERMIT_PREFIX,
    REGISTERED_STAY,
    VISA_FREE,
)
from karvon.presence.models import PermitType

STATUS_LABELS: dict[str, Promise] = {
    REGISTERED_STAY: _l("Registered stay"),
    VISA_FREE: _l("Visa-free stay"),
    AUTHORISED: _l("Authorised stay (visa)"),
    OVERSTAYER: _l("Overstayer"),
    NO_ENTRY_RECORDED: _l("No entry recorded"),
}


def status_label(code: str) -> str:
    if code in PROTECTION_LABELS:
        return str(PROTECTION_LABELS[code])
    if code.startswith(PERMIT_PREFIX):
        kind = code.removeprefix(PERMIT_PREFIX)
        label = PermitType(kind).label if kind in PermitType.values else kind
        return _("Permit holder: %(permit)s") % {"permit": label}
    label_of = STATUS_LABELS.get(code)
    return str(label_of) if label_of is not None else code
