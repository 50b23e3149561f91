"""Registry pages: each view parses input, makes one domain call and renders."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karvon.accounts.access import office_ids_in_scope, require_capability
from karvon.accounts.models import Office
from karvon.accounts.roles import Capability
from karvon.matching.selectors import likely_same_people
from karvon.registry import selectors, services
from karvon.registry.contracts import MemberInput, SearchQuery, UnableToSaveStaleEdit, UnableToValidate
from karvon.registry.forms import (
    PersonEditForm,
    PersonForm,
    ProfileForm,
    RegistrationForm,
    RelationshipForm,
    SearchForm,
)
from karvon.registry.models import Relationship
from karvon.registry.mrz import UnableToParseMrz, parse_mrz
from karvon.registry.mrz_messages import mrz_error_message
from karvon.web.access import access_required, request_context


def _office_choices(request: HttpRequest, capability: Capability) -> list[tuple[int, str]]:
    ids = office_ids_in_scope(request_context(request), capability)
    return list(Office.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def _fill_from_mrz(form: PersonForm, prefix: str) -> PersonForm:
    """Re-bind the person form with what the MRZ says; the officer checks and saves."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a bound form's data is a QueryDict
    text = data.get(f"{prefix}-mrz", "")
    try:
        mrz = parse_mrz(text, today=timezone.localdate())
    except UnableToParseMrz as exc:
        bound = type(form)(data, prefix=prefix)
        bound.is_valid()
        for error in exc.errors:
            bound.add_error("mrz", mrz_error_message(error))
        return bound

    def put(field: str, value: str) -> None:
        data[f"{prefix}-{field}"] = value

    spelling_row = 0

    def put_name(part: str, field: str, text_value: str) -> None:
        nonlocal spelling_row
        if not text_value:
            return
        if not data.get(f"{prefix}-{field}", "").strip():
            put(field, text_value)
            put(f"{field.split('_')[0]}_script", "Latn")
            put("primary_source", "document")
        else:
            while spelling_row < 4 and data.get(f"{prefix}-sp{spelling_row}_text", "").strip():
                spelling_row += 1
            if spelling_row < 4:
                put(f"sp{spelling_row}_part", part)
                put(f"sp{spelling_row}_text", text_value)
                put(f"sp{spelling_row}_script", "Latn")
                put(f"sp{spelling_row}_source", "document")
                spelling_row += 1

    put_name("family", "family_name", mrz.family_name.title())
    put_name("given", "given_name", mrz.given_names.title())
    if mrz.sex in ("M", "F"):
        put("sex", mrz.sex)
    if mrz.birth_date:
        put(
            "birth_date",
            mrz.birth_date.strftime("%d.%m.%Y")
            if mrz.birth_date_precision == "exact"
            else str(mrz.birth_date.year),
        )
    if mrz.nationality:
        current = data.get(f"{prefix}-nationalities", "")
        if mrz.nationality not in current.upper():
            put("nationalities", ", ".join(c for c in (current.strip(), mrz.nationality) if c))
    put("doc0_type", mrz.doc_type if mrz.doc_type in ("passport", "national_id") else "other")
    put("doc0_number", mrz.document_number)
    put("doc0_state", mrz.issuing_state)
    if mrz.expiry_date:
        put("doc0_expires", mrz.expiry_date.strftime("%d.%m.%Y"))
    bound = type(form)(data, prefix=prefix)
    bound.mrz_read = True  # type: ignore[attr-defined]
    return bound


@access_required
def person_list(request: HttpRequest) -> HttpResponse:
    ctx = request_context(request)
    require_capability(ctx, Capability.PERSON_VIEW)
    form = SearchForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    result = selectors.person_search(
        ctx=ctx,
        query=SearchQuery(
            text=data.get("q", ""),
            sex=data.get("sex", ""),
            nationality=(data.get("nationality") or "").upper(),
            birth_year=data.get("birth_year"),
            page=int(request.GET.get("page", "1") or 1) if request.GET.get("page", "1").isdigit() else 1,
        ),
        page_size=25,
    )
    template = (
        "registry/partials/person_results.html"
        if request.headers.get("HX-Request")
        else "registry/person_list.html"
    )
    return render(request, template, {"form": form, "result": result, "query": request.GET.urlencode()})


@access_required
def person_detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    file = selectors.person_file(ctx=request_context(request), person_uuid=person_uuid)
    return render(
        request,
        "registry/person_detail.html",
        {"file": file, "person": file.person, "relationships": Relationship.choices},
    )


def _registration_page(request: HttpRequest, *, household_uuid: uuid.UUID | None) -> HttpResponse:
    ctx = request_context(request)
    require_capability(ctx, Capability.PERSON_REGISTER)
    offices = _office_choices(request, Capability.PERSON_REGISTER)
    is_member = household_uuid is not None
    if request.method != "POST":
        person_form = PersonForm(prefix="p")
        registration_form = RegistrationForm(prefix="r", offices=offices)
        relationship_form = RelationshipForm(prefix="m") if is_member else None
        return render(
            request,
            "registry/register.html",
            {
                "person_form": person_form,
                "registration_form": registration_form,
                "relationship_form": relationship_form,
                "household_uuid": household_uuid,
            },
        )
    action = request.POST.get("action", "save")
    person_form = PersonForm(request.POST, request.FILES, prefix="p")
    registration_form = RegistrationForm(request.POST, prefix="r", offices=offices)
    relationship_form = RelationshipForm(request.POST, prefix="m") if is_member else None
    context = {
        "person_form": person_form,
        "registration_form": registration_form,
        "relationship_form": relationship_form,
        "household_uuid": household_uuid,
    }
    if action == "read_mrz":
        context["person_form"] = _fill_from_mrz(person_form, "p")
        return render(request, "registry/register.html", context)
    forms_valid = [
        person_form.is_valid(),
        registration_form.is_valid(),
        relationship_form.is_valid() if relationship_form else True,
    ]
    if not all(forms_valid):
        return render(request, "registry/register.html", context, status=422)
    draft = person_form.to_input()
    try:
        if household_uuid is None:
            household = services.household_register(
                ctx=ctx,
                registration=registration_form.to_input(),
                members=[MemberInput(person=draft, relationship=Relationship.PRINCIPAL)],
            )
            messages.success(
                request, _("Registered. Add the other members of the household, or profile the person.")
            )
            return redirect("registry:household", household_uuid=household.uuid)
        assert relationship_form is not None
        services.household_member_add(
            ctx=ctx,
            household_uuid=household_uuid,
            member=MemberInput(person=draft, relationship=relationship_form.cleaned_data["relationship"]),
            registration=registration_form.to_input(),
        )
        messages.success(request, _("The member was registered."))
        return redirect("registry:household", household_uuid=household_uuid)
    except UnableToValidate as exc:
        person_form.add_domain_errors(
            [e for e in exc.errors if not e.field.startswith("registration.")],
            prefix="members.0." if household_uuid is None else "member.",
        )
        registration_form.add_domain_errors([e for e in exc.errors if e.field.startswith("registration.")])
        return render(request, "registry/register.html", context, status=422)


@access_required
def register(request: HttpRequest) -> HttpResponse:
    return _registration_page(request, household_uuid=None)


@access_required
def household_member_add(request: HttpRequest, household_uuid: uuid.UUID) -> HttpResponse:
    # The household must be in scope before anything is shown.
    selectors.household_get_for_write(ctx=request_context(request), household_uuid=household_uuid)
    return _registration_page(request, household_uuid=household_uuid)


@access_required
@require_POST
def person_similar(request: HttpRequest) -> HttpResponse:
    """HTMX: likely existing people for the names being typed (search before create)."""
    ctx = request_context(request)
    form = PersonForm(request.POST, prefix="p")
    likely = likely_same_people(ctx=ctx, draft=form.to_input()) if form.is_valid() else []
    return render(request, "registry/partials/similar.html", {"likely": likely})


@access_required
def household_detail(request: HttpRequest, household_uuid: uuid.UUID) -> HttpResponse:
    file = selectors.household_file(ctx=request_context(request), household_uuid=household_uuid)
    return render(request, "registry/household_detail.html", {"file": file})


@access_required
def person_edit(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    person = selectors.person_for_edit(ctx=ctx, person_uuid=person_uuid)
    conflict = None
    if request.method == "POST":
        form = PersonEditForm(request.POST, prefix="p")
        if form.is_valid():
            try:
                services.person_update(
                    ctx=ctx,
                    person_uuid=person_uuid,
                    based_on_version=form.cleaned_data["version"],
                    person=form.to_input(),
                )
                messages.success(request, _("Saved."))
                return redirect("registry:person", person_uuid=person_uuid)
            except UnableToValidate as exc:
                form.add_domain_errors(exc.errors)
            except UnableToSaveStaleEdit as exc:
                conflict = exc
        return render(
            request,
            "registry/person_edit.html",
            {"form": form, "person": person, "conflict": conflict},
            status=409 if conflict else 422,
        )
    form = PersonEditForm(prefix="p", initial={**PersonForm.initial_for(person), "version": person.version})
    return render(request, "registry/person_edit.html", {"form": form, "person": person})


@access_required
def person_photo(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    content, content_type = selectors.person_photo(ctx=request_context(request), person_uuid=person_uuid)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@access_required
@require_POST
def person_photo_upload(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.person_photo_set(
                ctx=request_context(request),
                person_uuid=person_uuid,
                content=upload.read(settings.KARVON_PHOTO_MAX_BYTES + 1),
            )
            messages.success(request, _("Photo saved."))
        except UnableToValidate as exc:
            for error in exc.errors:
                messages.error(request, error.message)
    return redirect("registry:person", person_uuid=person_uuid)


@access_required
@require_POST
def household_move(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    target = request.POST.get("household", "").strip()
    try:
        on_date = parse_date(request.POST.get("on_date", "")) or ctx.today
        services.household_member_move(
            ctx=ctx,
            person_uuid=person_uuid,
            household_uuid=uuid.UUID(target) if target else None,
            relationship=request.POST.get("relationship", "principal"),
            on_date=on_date,
        )
        messages.success(request, _("The person moved; the earlier household is kept in the history."))
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    except ValueError:
        messages.error(request, _("Enter the identifier of the household, or leave it empty for a new one."))
    return redirect("registry:person", person_uuid=person_uuid)


@access_required
def profile_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    person = selectors.person_get_for_write(
        ctx=ctx, person_uuid=person_uuid, capability=Capability.PROFILE_EDIT
    )
    offices = _office_choices(request, Capability.PROFILE_EDIT)
    form = ProfileForm(request.POST or None, offices=offices, prefix="f")
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_record(
                ctx=ctx,
                person_uuid=person_uuid,
                office_id=form.cleaned_data["office"],
                profile=form.to_input(),
            )
            messages.success(request, _("Profile recorded. Decide on the suggested referrals below."))
            return redirect("registry:person", person_uuid=person_uuid)
        except UnableToValidate as exc:
            for error in exc.errors:
                field = error.field.split(".")[0]
                field = "office" if field == "office_id" else field
                form.add_error(field if field in form.fields else None, error.message)
    return render(
        request,
        "registry/profile_form.html",
        {"form": form, "person": person},
        status=422 if request.method == "POST" else 200,
    )


@access_required
@require_POST
def referral_decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    ctx = request_context(request)
    try:
        referral = services.referral_decide(
            ctx=ctx,
            referral_id=referral_id,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
        person_uuid = request.POST.get("person", "")
        return (
            redirect("registry:person", person_uuid=person_uuid)
            if person_uuid
            else redirect("registry:persons")
        )
    messages.success(request, _("Referral decision recorded."))
    return redirect("registry:person", person_uuid=referral.person.uuid)
