"""Duplicate candidates (the review queue), merges that can be undone, and the trained match models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from karvon.registry.models import Person


class MatchModel(models.Model):
    """A trained Fellegi-Sunter model (Splink settings JSON); the active one scores in real time."""

    version = models.CharField(max_length=64, unique=True)
    trained_at = models.DateTimeField()
    record_count = models.PositiveIntegerField(default=0)
    settings_json = models.JSONField()
    term_frequencies = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_match_model"
            )
        ]

    def __str__(self) -> str:
        return self.version


class Band(models.TextChoices):
    SURE = "sure", _("Sure")
    REVIEW = "review", _("Needs review")
    DISTINCT = "distinct", _("Distinct")


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")


class DuplicateCandidate(models.Model):
    """Two records that may be one person; a decision on the pair is remembered and never proposed again."""

    person_low = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    band = models.CharField(max_length=10, choices=Band.choices)
    reasons = models.JSONField(default=list)
    source = models.CharField(max_length=80)  # "registration" or "batch:<model version>"
    found_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=Q(person_low__lt=F("person_high")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "band"], name="candidate_status_band")]


class Merge(models.Model):
    """One merge of `merged` into `survivor`, with what moved, so that it can be undone exactly."""

    candidate = models.ForeignKey(DuplicateCandidate, on_delete=models.PROTECT, related_name="merges")
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField()
    survivor_before = models.JSONField()
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-merged_at", "-id"]


class CandidateFeatures(models.Model):
    """What real-time matching compares of one person, in one row: read once per candidate instead of its
    names, documents and nationalities. Derived data, keyed by the person's `version`: a row whose version
    differs from the person's is stale and is rebuilt from the registry when read
    (`karvon.matching.candidates`), so a missed refresh costs time, never a wrong comparison.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveIntegerField()
    # [given[], family[], patronymic[], sex, birth date (ISO) or null, precision, nationality, place, documents[]]
    payload = models.JSONField()
