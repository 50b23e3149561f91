"""Reads of presence: scoped to the user's offices, person-level reads audited; lists compare dates to today."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from karvon.accounts.access import AccessContext, UnableToAccess, office_ids_in_scope, require_capability
from karvon.accounts.models import Office
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record, audit_record_reads
from karvon.presence.contracts import (
    PresenceCounts,
    PresenceFile,
    PresenceListPage,
    PresenceListQuery,
    PresenceListRow,
    StatusCount,
)
from karvon.presence.lawful_stay import is_overstaying, is_registration_missed, state_of, status_on
from karvon.presence.models import (
    AddressPeriod,
    Movement,
    Permit,
    PresenceSummary,
    PresenceTally,
    StayRegistration,
    TallyKind,
)
from karvon.registry.models import IdentityDocument, Person, PersonName, PersonNationality, Registration
from karvon.registry.selectors import person_scope

PAGE_SIZE = 25
MAX_WARNING_DAYS = 366
LIST_MISSED = "missed_registrations"
LIST_OVERSTAYS = "overstays"
LIST_WARNINGS = "overstay_warnings"
LISTS = (LIST_MISSED, LIST_OVERSTAYS, LIST_WARNINGS)


def presence_person_scope(*, ctx: AccessContext) -> QuerySet[Person]:
    """People whose presence the user may see: in their person scope, and registered in an office where they
    hold presence.view."""
    offices = office_ids_in_scope(ctx, Capability.PRESENCE_VIEW)
    if not offices:
        return Person.objects.none()
    registered = Registration.objects.filter(person=OuterRef("pk"), office_id__in=offices)
    return person_scope(ctx=ctx).filter(Exists(registered))


def presence_file(*, ctx: AccessContext, person_uuid: uuid.UUID) -> PresenceFile:
    """A person's movements, stays, permits, addresses and status today; audited as presence.view."""
    require_capability(ctx, Capability.PRESENCE_VIEW)
    person = presence_person_scope(ctx=ctx).get(uuid=person_uuid)
    summary = PresenceSummary.objects.filter(person=person).first()
    state = state_of(summary) if summary is not None else None
    today = ctx.today
    audit_record(
        actor=ctx.user,
        action="presence.view",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
    )
    return PresenceFile(
        person_uuid=person.uuid,
        movements=list(
            Movement.objects.filter(person=person)
            .select_related("crossing_point", "office", "recorded_by")
            .order_by("-crossed_on", "-id")
        ),
        stays=list(
            StayRegistration.objects.filter(person=person)
            .select_related("entry", "office")
            .order_by("-registered_on", "-id")
        ),
        permits=list(
            Permit.objects.filter(person=person)
            .select_related("issuing_office", "extends")
            .order_by("-valid_from", "-id")
        ),
        addresses=list(
            AddressPeriod.objects.filter(person=person)
            .select_related("office")
            .order_by("-lived_from", "-id")
        ),
        documents=[
            (d.pk, f"{d.get_doc_type_display()} {d.issuing_state} {d.number}")
            for d in IdentityDocument.objects.filter(person=person).order_by("id")
        ],
        record_choices=_record_choices(ctx, person),
        state=state,
        status=status_on(state, today) if state is not None and state.present else "",
        overstaying=state is not None and is_overstaying(state, today),
        registration_missed=state is not None and is_registration_missed(state, today),
        today=today,
    )


def _list_offices(ctx: AccessContext, office_id: int | None) -> frozenset[int]:
    """The offices a list or count covers: all of the user's presence offices, or one of them."""
    require_capability(ctx, Capability.PRESENCE_VIEW)
    offices = office_ids_in_scope(ctx, Capability.PRESENCE_VIEW)
    if office_id is None:
        return offices
    if office_id not in offices:
        raise UnableToAccess(Capability.PRESENCE_VIEW.value)
    return frozenset({office_id})


def _unprotected_present(offices: frozenset[int]) -> QuerySet[PresenceSummary]:
    return PresenceSummary.objects.filter(present=True, protection="", office_id__in=offices)


def _missed(offices: frozenset[int], today: date) -> QuerySet[PresenceSummary]:
    return _unprotected_present(offices).filter(
        registration_due_on__isnull=False, registration_due_on__lt=today
    )


def _overstays(offices: frozenset[int], today: date) -> QuerySet[PresenceSummary]:
    return _unprotected_present(offices).filter(lawful_until__isnull=False, lawful_until__lt=today)


def _warnings(offices: frozenset[int], today: date, within_days: int) -> QuerySet[PresenceSummary]:
    return _unprotected_present(offices).filter(
        lawful_until__isnull=False,
        lawful_until__gte=today,
        lawful_until__lte=today + timedelta(days=within_days),
    )


def _list_rows(summaries: list[PresenceSummary], kind: str, today: date) -> list[PresenceListRow]:
    """The page's people with their primary names, nationalities and offices, in four small queries."""
    ids = [s.person_id for s in summaries]
    uuids = dict(Person.objects.filter(pk__in=ids).values_list("pk", "uuid"))
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for person_id, part, text in PersonName.objects.filter(person_id__in=ids, is_primary=True).values_list(
        "person_id", "part", "text"
    ):
        names[person_id][part] = text
    nationalities: dict[int, list[str]] = defaultdict(list)
    for person_id, country in PersonNationality.objects.filter(person_id__in=ids).values_list(
        "person_id", "country"
    ):
        nationalities[person_id].append(country)
    office_names = dict(
        Office.objects.filter(pk__in={s.office_id for s in summaries}).values_list("pk", "name")
    )
    rows = []
    for summary in summaries:
        due_on = summary.registration_due_on if kind == LIST_MISSED else summary.lawful_until
        days = 0
        if due_on is not None:
            days = (due_on - today).days if kind == LIST_WARNINGS else (today - due_on).days
        rows.append(
            PresenceListRow(
                person_uuid=uuids[summary.person_id],
                given=names[summary.person_id].get("given", ""),
                family=names[summary.person_id].get("family", ""),
                nationalities=tuple(sorted(nationalities[summary.person_id])),
                office_id=summary.office_id,
                office_name=office_names.get(summary.office_id, "") if summary.office_id else "",
                entered_on=summary.entered_on,
                due_on=due_on,
                days=days,
                status=status_on(state_of(summary), today),
            )
        )
    return rows


def presence_list(*, ctx: AccessContext, kind: str, query: PresenceListQuery) -> PresenceListPage:
    """A page of missed stay registrations, overstays or overstay warnings in the user's offices; each person
    shown is audited (presence.list)."""
    if kind not in LISTS:
        raise ValueError(kind)
    offices = _list_offices(ctx, query.office_id)
    today = ctx.today
    within_days = max(0, min(query.within_days, MAX_WARNING_DAYS))
    summaries: QuerySet[PresenceSummary]
    if kind == LIST_MISSED:
        # Oldest deadline first: those who have waited longest are the first to follow up.
        summaries = _missed(offices, today).order_by("registration_due_on", "person_id")
    elif kind == LIST_OVERSTAYS:
        summaries = _overstays(offices, today).order_by("lawful_until", "person_id")
    else:
        summaries = _warnings(offices, today, within_days).order_by("lawful_until", "person_id")
    # The total from the tallies: counting tens of thousands of index entries would cost more than the page.
    totals = _tally_totals(offices, today, within_days)
    total = totals[{LIST_MISSED: "missed", LIST_OVERSTAYS: "overstays", LIST_WARNINGS: "warnings"}[kind]]
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), page_count)
    shown = list(summaries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    rows = _list_rows(shown, kind, today)
    audit_record_reads(
        actor=ctx.user,
        action="presence.list",
        person_uuids=[row.person_uuid for row in rows],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"list": kind, "office": query.office_id, "page": page, "results": total},
    )
    return PresenceListPage(rows=rows, page=page, page_count=page_count, total=total, today=today)


def _tally_totals(offices: frozenset[int], today: date, within_days: int) -> dict[str, int]:
    """The three list totals from the tallies: the same conditions as the lists' queries, a few rows summed."""
    tallies = PresenceTally.objects.filter(office_id__in=offices)
    totals = tallies.aggregate(
        missed=Sum("delta", filter=Q(kind=TallyKind.DUE, on_date__lt=today)),
        overstays=Sum("delta", filter=Q(kind=TallyKind.LAWFUL, on_date__lt=today)),
        warnings=Sum(
            "delta",
            filter=Q(
                kind=TallyKind.LAWFUL, on_date__gte=today, on_date__lte=today + timedelta(days=within_days)
            ),
        ),
    )
    return {name: value or 0 for name, value in totals.items()}


def presence_counts(
    *, ctx: AccessContext, office_id: int | None = None, within_days: int = 7
) -> PresenceCounts:
    """How many people are present today in the user's offices, under which status (aggregates only)."""
    offices = _list_offices(ctx, office_id)
    today = ctx.today
    within_days = max(0, min(within_days, MAX_WARNING_DAYS))
    rows = (
        PresenceTally.objects.filter(office_id__in=offices, kind=TallyKind.STATUS, on_date__lte=today)
        .values_list("status")
        .annotate(n=Sum("delta"))
        .order_by()
    )
    by_status = sorted(
        (StatusCount(status, n) for status, n in rows if n), key=lambda c: (-c.count, c.status)
    )
    totals = _tally_totals(offices, today, within_days)
    return PresenceCounts(
        today=today,
        office_id=office_id,
        total_present=sum(c.count for c in by_status),
        by_status=by_status,
        missed_registrations=totals["missed"],
        overstays=totals["overstays"],
        warnings=totals["warnings"],
        within_days=within_days,
    )


def presence_offices(*, ctx: AccessContext) -> list[tuple[int, str]]:
    """(id, name) of the offices the user's presence lists cover, for the office filter."""
    offices = office_ids_in_scope(ctx, Capability.PRESENCE_VIEW)
    return list(Office.objects.filter(pk__in=offices).order_by("name").values_list("pk", "name"))


def _record_choices(ctx: AccessContext, person: Person) -> dict[str, list[tuple[int, str]]]:
    """What the recording forms offer: the user's recording offices, every crossing point, every office; nothing
    if the user may not record for this person (not registered in an office where they hold presence.record)."""
    recording = office_ids_in_scope(ctx, Capability.PRESENCE_RECORD)
    if not Registration.objects.filter(person=person, office_id__in=recording).exists():
        return {}
    return {
        "offices": list(Office.objects.filter(pk__in=recording).order_by("name").values_list("pk", "name")),
        "crossing_points": list(
            Office.objects.filter(kind="border_crossing_point").order_by("name").values_list("pk", "name")
        ),
        "issuing_offices": list(Office.objects.order_by("name").values_list("pk", "name")),
    }
