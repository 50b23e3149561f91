"""Real-time candidates across scripts, the review queue, merge and unmerge, all scoped and audited."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import person_input
from django.test import Client

from karvon.audit.models import AuditEvent
from karvon.matching import services
from karvon.matching.models import DuplicateCandidate, Merge
from karvon.matching.realtime import record_of_draft, scored_candidates
from karvon.matching.selectors import duplicate_queue, likely_same_people
from karvon.registry.contracts import DocumentInput, NameInput, ProfileInput, UnableToValidate
from karvon.registry.models import IdentityDocument, Person, PersonName, Registration
from karvon.registry.selectors import person_scope
from karvon.registry.services import profile_record

pytestmark = pytest.mark.django_db

LATIN_TWIN = {
    "names": (
        NameInput("given", "Farrukh", "Latn", "document"),
        NameInput("family", "Saydov", "Latn", "document"),
    ),
    "documents": (DocumentInput("passport", "4OO123456", "TJK"),),
}


@pytest.fixture
def pair(users, register, now):
    first = register(users["officer"])
    second = register(users["officer"], **LATIN_TWIN)
    services.duplicate_check(person_id=second.pk, now=now)
    return first, second


def test_the_same_person_in_another_script_is_the_best_candidate(users, register, ctx_for):
    first = register(users["officer"])
    register(
        users["officer"],
        names=(NameInput("given", "Jamshed", "Latn"), NameInput("family", "Rahimov", "Latn")),
        documents=(),
    )
    found = likely_same_people(ctx=ctx_for(users["officer"]), draft=person_input(**LATIN_TWIN))
    assert found[0].card.uuid == first.uuid
    assert found[0].scored.match_probability > 0.9
    fields = {r.field: r.level for r in found[0].scored.reasons}
    assert fields["family_name"] in {"transliterated", "exact", "skeleton"}
    assert fields["document"] in {"ocr_equal", "exact"}


def test_candidates_are_only_those_the_officer_may_see(users, register, ctx_for):
    register(users["other_officer"], office="shymkent")
    assert likely_same_people(ctx=ctx_for(users["officer"]), draft=person_input(**LATIN_TWIN)) == []


def test_siblings_are_not_proposed_as_sure(users, register, ctx_for):
    register(users["officer"])
    sibling = person_input(
        names=(
            NameInput("given", "Бахтиёр", "Cyrl"),
            NameInput("family", "Саидов", "Cyrl"),
            NameInput("patronymic", "Рустамович", "Cyrl"),
        ),
        birth_date=date(1994, 7, 1),
        documents=(),
    )
    found = scored_candidates(record_of_draft(sibling), person_scope(ctx=ctx_for(users["officer"])))
    assert all(c.band != "sure" for c in found)


def test_a_registration_check_puts_the_pair_in_the_queue_once(pair, now):
    first, second = pair
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_low_id, candidate.person_high_id} == {first.pk, second.pk}
    assert candidate.band in {"sure", "review"} and candidate.reasons
    assert services.duplicate_check(person_id=first.pk, now=now) == 0


@pytest.mark.parametrize(("role", "sees"), [("supervisor", 1), ("officer", None), ("statistician", None)])
def test_only_supervisors_review_and_only_pairs_in_their_scope(pair, users, ctx_for, role, sees):
    from karvon.accounts.access import UnableToAccess

    if sees is None:
        with pytest.raises(UnableToAccess):
            duplicate_queue(ctx=ctx_for(users[role]))
    else:
        assert duplicate_queue(ctx=ctx_for(users[role])).count() == sees


def test_merge_keeps_everything_and_unmerge_restores_it_exactly(pair, users, ctx_for, node):
    first, second = pair
    profile_record(
        ctx=ctx_for(users["officer"]),
        person_uuid=second.uuid,
        office_id=node["almaty"].pk,
        profile=ProfileInput(profile_types=("migrant_worker",)),
    )
    before = {
        p.pk: (
            sorted(PersonName.objects.filter(person=p).values_list("text", "is_primary")),
            sorted(IdentityDocument.objects.filter(person=p).values_list("number", flat=True)),
            Registration.objects.filter(person=p).count(),
            p.profiles.count(),
        )
        for p in (first, second)
    }
    ctx = ctx_for(users["supervisor"])
    candidate = DuplicateCandidate.objects.get()
    merge = services.duplicate_merge(
        ctx=ctx, candidate_id=candidate.pk, survivor_uuid=first.uuid, note="same passport"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert set(first.names.values_list("text", flat=True)) >= {"Саидов", "Saydov", "Farrukh"}
    assert first.registrations.count() == 2 and first.profiles.count() == 1
    assert first.names.filter(part="family", is_primary=True).count() == 1
    assert not person_scope(ctx=ctx).filter(pk=second.pk).exists()
    # Decided once: the merged record has left the registry, so the pair cannot be decided again.
    with pytest.raises((UnableToValidate, DuplicateCandidate.DoesNotExist)):
        services.duplicate_merge(ctx=ctx, candidate_id=candidate.pk, survivor_uuid=first.uuid, note="")

    services.merge_undo(ctx=ctx, merge_id=merge.pk)
    after = {
        p.pk: (
            sorted(PersonName.objects.filter(person=p).values_list("text", "is_primary")),
            sorted(IdentityDocument.objects.filter(person=p).values_list("number", flat=True)),
            Registration.objects.filter(person=p).count(),
            p.profiles.count(),
        )
        for p in (first, second)
    }
    assert after == before
    second.refresh_from_db()
    assert second.merged_into_id is None
    assert DuplicateCandidate.objects.get().status == "open"
    assert Merge.objects.get().undone_by == users["supervisor"]
    actions = list(AuditEvent.objects.filter(person_uuid=first.uuid).values_list("action", flat=True))
    assert "person.merge" in actions and "person.unmerge" in actions


def test_a_rejected_pair_is_never_proposed_again(pair, users, ctx_for, now):
    _, second = pair
    candidate = DuplicateCandidate.objects.get()
    services.duplicate_reject(ctx=ctx_for(users["supervisor"]), candidate_id=candidate.pk, note="twins")
    assert services.duplicate_check(person_id=second.pk, now=now) == 0
    assert DuplicateCandidate.objects.get().status == "rejected"


def test_a_supervisor_merges_and_unmerges_in_the_browser_pages(pair, users):
    first, second = pair
    client = Client()
    client.force_login(users["supervisor"])
    candidate = DuplicateCandidate.objects.get()
    queue = client.get("/duplicates/").content.decode()
    assert f"/duplicates/pairs/{candidate.pk}/" in queue
    page = client.get(f"/duplicates/pairs/{candidate.pk}/").content.decode()
    assert "Саидов" in page and "Saydov" in page and "same after transliteration" in page
    response = client.post(
        f"/duplicates/pairs/{candidate.pk}/decide/",
        {"decision": "merge", "survivor": str(first.uuid), "note": ""},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=second.pk).merged_into_id == first.pk
    merge = Merge.objects.get()
    assert client.post(f"/duplicates/merges/{merge.pk}/undo/").status_code == 302
    assert Person.objects.get(pk=second.pk).merged_into_id is None


def test_the_pair_page_in_russian_shows_the_values_compared_not_english_sentences(pair, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(users["supervisor"])
    candidate = DuplicateCandidate.objects.get()
    stored = {r["field"]: r for r in candidate.reasons}
    assert (stored["family_name"]["a_value"], stored["family_name"]["b_value"]) in {
        ("Саидов", "Saydov"),
        ("Saydov", "Саидов"),
    }
    page = client.get(f"/duplicates/pairs/{candidate.pk}/").content.decode()
    assert "Основания для сопоставления записей" in page
    assert "Саидов</bdi> ~ <bdi" in page or "Saydov</bdi> ~ <bdi" in page
    for sentence in ("agree after transliteration", "family name:", "missing on one or both records"):
        assert sentence not in page


def test_reasons_stored_before_the_values_were_kept_show_their_sentence(pair, users):
    client = Client()
    client.force_login(users["supervisor"])
    candidate = DuplicateCandidate.objects.get()
    candidate.reasons = [
        {
            "field": "family_name",
            "level": "transliterated",
            "weight": 3.2,
            "reason": "family name: A ~ B agree",
        }
    ]
    candidate.save(update_fields=["reasons"])
    page = client.get(f"/duplicates/pairs/{candidate.pk}/").content.decode()
    assert "family name: A ~ B agree" in page


@pytest.mark.parametrize("role", ["officer", "caseworker", "statistician", "dpo", "administrator"])
def test_other_roles_cannot_open_the_review_pages(pair, users, role):
    client = Client()
    client.force_login(users[role])
    candidate = DuplicateCandidate.objects.get()
    assert client.get("/duplicates/").status_code == 404
    assert client.get(f"/duplicates/pairs/{candidate.pk}/").status_code == 404
    assert client.post(f"/duplicates/pairs/{candidate.pk}/decide/", {"decision": "reject"}).status_code == 404


def test_the_batch_run_over_the_registry_queues_the_pair_and_activates_its_model(users, register, now):
    from karvon.matching.batch_registry import registry_deduplicate
    from karvon.matching.models import MatchModel

    first = register(users["officer"])
    second = register(users["officer"], **LATIN_TWIN)
    register(
        users["officer"],
        names=(NameInput("given", "Jamshed", "Latn"), NameInput("family", "Rahimov", "Latn")),
        documents=(),
        birth_date=date(1971, 2, 3),
    )
    report = registry_deduplicate(now=now)
    assert report.people == 3
    assert MatchModel.objects.get(is_active=True).version == report.model_version
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_low_id, pair.person_high_id} == {first.pk, second.pk}
    assert pair.source == f"batch:{report.model_version}"


def test_a_merge_takes_the_merged_record_out_of_the_presence_counts_and_an_undo_puts_it_back(
    pair, users, ctx_for
):
    from karvon.presence.models import PresenceSummary
    from karvon.presence.services import person_presence_refresh

    first, second = pair
    ctx = ctx_for(users["supervisor"])
    person_presence_refresh(person_ids=[first.pk, second.pk], today=ctx.today)
    assert PresenceSummary.objects.filter(person__in=[first, second]).count() == 2
    candidate = DuplicateCandidate.objects.get()
    merge = services.duplicate_merge(
        ctx=ctx, candidate_id=candidate.pk, survivor_uuid=first.uuid, note="same"
    )
    assert list(
        PresenceSummary.objects.filter(person__in=[first, second]).values_list("person_id", flat=True)
    ) == [first.pk]
    services.merge_undo(ctx=ctx, merge_id=merge.pk)
    assert PresenceSummary.objects.filter(person__in=[first, second]).count() == 2


def test_a_merge_moves_cases_presence_records_and_certificates_and_an_undo_gives_them_back(
    pair, users, ctx_for, node
):
    from karvon.cases import services as case_services
    from karvon.cases.contracts import CaseOpenInput
    from karvon.cases.models import Case, CaseMember
    from karvon.presence.contracts import MovementInput
    from karvon.presence.models import Movement
    from karvon.presence.services import movement_record

    first, second = pair
    caseworker = ctx_for(users["caseworker"])
    # The day of the fixed clock the services are given (not the machine's: after midnight in Almaty, that
    # day is already "in the future" for them).
    today = caseworker.now.date()
    case = case_services.case_open(
        ctx=caseworker,
        data=CaseOpenInput(
            kind="asylum", person_uuid=second.uuid, office_id=node["almaty"].pk, began_on=today
        ),
    )
    movement_record(
        ctx=ctx_for(users["officer"]),
        person_uuid=second.uuid,
        movement=MovementInput(
            direction="entry",
            crossed_on=today,
            office_id=node["almaty"].pk,
            crossing_point_name="Kordai",
            purpose="asylum",
        ),
    )
    ctx = ctx_for(users["supervisor"])
    merge = services.duplicate_merge(
        ctx=ctx, candidate_id=DuplicateCandidate.objects.get().pk, survivor_uuid=first.uuid, note="same"
    )
    assert Case.objects.get(pk=case.pk).person_id == first.pk
    assert CaseMember.objects.get(case=case).person_id == first.pk
    assert Movement.objects.get().person_id == first.pk
    assert merge.moved["cases"] == [case.pk]

    services.merge_undo(ctx=ctx, merge_id=merge.pk)
    assert Case.objects.get(pk=case.pk).person_id == second.pk
    assert CaseMember.objects.get(case=case).person_id == second.pk
    assert Movement.objects.get().person_id == second.pk
