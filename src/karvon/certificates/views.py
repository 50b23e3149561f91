"""Certificate pages: the staff panel (htmx), the PDF download, and the public verification page."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from karvon.accounts.models import User
from karvon.certificates import selectors, services
from karvon.certificates.contracts import Verification
from karvon.certificates.forms import IssueForm, RevokeForm
from karvon.registry.contracts import UnableToValidate
from karvon.web.access import access_required, request_context
from karvon.web.client_address import client_address


def _panel(
    request: HttpRequest,
    person_uuid: uuid.UUID,
    *,
    issue_form: IssueForm | None = None,
    revoke_errors: dict[str, list[str]] | None = None,
    notice: str = "",
) -> HttpResponse:
    panel = selectors.certificate_panel(ctx=request_context(request), person_uuid=person_uuid)
    if issue_form is None:
        issue_form = IssueForm(initial={"language": (get_language() or "ru")[:2]})
    issue_form.set_bases(panel.bases)
    context: dict[str, Any] = {
        "panel": panel,
        "issue_form": issue_form,
        "revoke_errors": revoke_errors or {},
        "notice": notice,
    }
    return render(request, "certificates/partials/panel.html", context)


def _after_post(request: HttpRequest, person_uuid: uuid.UUID, **kwargs: Any) -> HttpResponse:
    # Without htmx the form posted a whole page: go back to the person's page.
    if not request.headers.get("HX-Request"):
        return redirect("registry:person", person_uuid=person_uuid)
    return _panel(request, person_uuid, **kwargs)


@access_required
@require_GET
def person_panel(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _panel(request, person_uuid)


@access_required
@require_POST
def certificate_issue(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            certificate = services.certificate_issue(
                ctx=ctx,
                kind=form.cleaned_data["kind"],
                person_uuid=person_uuid,
                language=form.cleaned_data["language"],
                **form.cleaned_data["basis"],
            )
        except UnableToValidate as exc:
            form.add_domain_errors(exc.errors)
        else:
            notice = _("Issued %(number)s. Print it and hand it to the person.") % {
                "number": certificate.number
            }
            return _after_post(request, person_uuid, notice=notice)
    # htmx swaps 200 responses only: the form comes back with its errors as a normal answer.
    return _panel(request, person_uuid, issue_form=form)


@access_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    certificate = selectors.certificate_for_write(ctx=ctx, certificate_uuid=certificate_uuid)
    person_uuid = certificate.person.uuid
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                ctx=ctx, certificate_uuid=certificate_uuid, reason=form.cleaned_data["reason"]
            )
        except UnableToValidate as exc:
            return _panel(
                request, person_uuid, revoke_errors={str(certificate_uuid): [e.message for e in exc.errors]}
            )
        notice = _("%(number)s is revoked.") % {"number": certificate.number}
        return _after_post(request, person_uuid, notice=notice)
    errors = [str(message) for messages in form.errors.values() for message in messages]
    return _panel(request, person_uuid, revoke_errors={str(certificate_uuid): errors})


@access_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_uuid: uuid.UUID) -> HttpResponse:
    try:
        document = selectors.certificate_pdf(ctx=request_context(request), certificate_uuid=certificate_uuid)
    except UnableToValidate as exc:
        return HttpResponse(" ".join(e.message for e in exc.errors), status=409, content_type="text/plain")
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _verification(request: HttpRequest, secret: str) -> Verification:
    actor = request.user if isinstance(request.user, User) and request.user.is_authenticated else None
    return selectors.certificate_verify(
        secret=secret, now=timezone.now(), ip_address=client_address(request), actor=actor
    )


def _verification_status(verification: Verification) -> int:
    if verification.throttled:
        return 429  # Too Many Requests: the code was not looked up
    return 200 if verification.genuine else 404


def _public(response: HttpResponse) -> HttpResponse:
    # The secret is in the address: no caching of a status that can change, no referrer, no search engines.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def verify_page(request: HttpRequest, secret: str) -> HttpResponse:
    """Public: anyone holding the QR code learns whether the document is genuine and valid, nothing more."""
    verification = _verification(request, secret)
    return _public(
        render(
            request,
            "certificates/verify.html",
            {"verification": verification},
            status=_verification_status(verification),
        )
    )


@require_GET
def verify_json(request: HttpRequest, secret: str) -> HttpResponse:
    """The same answer for machines (a border post's scanner)."""
    verification = _verification(request, secret)
    return _public(
        JsonResponse(
            {
                "genuine": verification.genuine,
                "kind": verification.kind or None,
                "number": verification.number or None,
                "valid_until": verification.valid_until.isoformat() if verification.valid_until else None,
                "status": verification.status.value if verification.status else None,
                "valid": verification.status == "valid",
                "throttled": verification.throttled,
            },
            status=_verification_status(verification),
        )
    )
