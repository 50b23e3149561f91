"""Presence records: movements, stay registrations, permits, addresses and the per-person summary; fields only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from karvon.accounts.models import Office


class Direction(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class PurposeOfStay(models.TextChoices):
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    PRIVATE_VISIT = "private_visit", _("Private visit")
    FAMILY = "family", _("Family")
    BUSINESS = "business", _("Business")
    TOURISM = "tourism", _("Tourism")
    TRANSIT = "transit", _("Transit")
    ASYLUM = "asylum", _("Asylum")
    MEDICAL = "medical", _("Medical treatment")
    OTHER = "other", _("Other")


class Movement(models.Model):
    """One crossing of the state's border, in or out, with the document used."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="movements")
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    crossed_on = models.DateField(_("date crossed"))
    # A crossing point of the node (an office of kind border_crossing_point), or its name when it is not one.
    crossing_point = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crossing point"),
    )
    crossing_point_name = models.CharField(_("crossing point (other)"), max_length=200, blank=True)
    # The registry replaces a person's documents on every edit, so the document's type, state and number are
    # copied here: the movement keeps what was shown at the border even when the link is lost.
    document = models.ForeignKey(
        "registry.IdentityDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document_type = models.CharField(_("document type"), max_length=20, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_state = models.CharField(_("issuing state"), max_length=3, blank=True)
    purpose = models.CharField(_("purpose of stay"), max_length=20, choices=PurposeOfStay.choices, blank=True)
    # The end of the stay a visa allowed, when the person entered with one.
    authorised_until = models.DateField(_("authorised stay until"), null=True, blank=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("entry or exit")
        verbose_name_plural = _("entries and exits")
        indexes = [models.Index(fields=["person", "crossed_on"], name="movement_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["entry", "exit"]), name="movement_direction_known"
            ),
            models.CheckConstraint(
                condition=Q(crossing_point__isnull=False) | ~Q(crossing_point_name=""),
                name="movement_has_crossing_point",
            ),
            models.CheckConstraint(
                condition=Q(authorised_until__isnull=True)
                | Q(direction="entry", authorised_until__gte=F("crossed_on")),
                name="movement_authorised_after_entry",
            ),
        ]


class StayRegistration(models.Model):
    """The registration of a person's place of stay after an entry, within the state's legal deadline."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="stay_registrations")
    entry = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="stay_registrations")
    registered_on = models.DateField(_("date registered"))
    address = models.CharField(_("address"), max_length=300)
    # ISO 3166-2 subdivision of the node's state, e.g. KZ-75 (Almaty).
    region = models.CharField(_("region"), max_length=10)
    host = models.CharField(_("host"), max_length=200, blank=True)
    registered_until = models.DateField(_("registered until"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stay registration")
        verbose_name_plural = _("stay registrations")
        indexes = [models.Index(fields=["person", "registered_on"], name="stay_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_until__gte=F("registered_on")), name="stay_ends_after_registration"
            ),
        ]


class PermitType(models.TextChoices):
    TEMPORARY_RESIDENCE = "temporary_residence", _("Temporary residence permit")
    PERMANENT_RESIDENCE = "permanent_residence", _("Permanent residence permit")
    WORK = "work_permit", _("Work permit")
    STUDY = "study_permit", _("Study permit")
    REFUGEE_RESIDENCE = "refugee_residence", _("Refugee residence permit")
    OTHER = "other", _("Other permit")


class Permit(models.Model):
    """A permit as issued; an extension is a new row that names the one it extends, so history is kept."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="permits")
    permit_type = models.CharField(_("permit type"), max_length=30, choices=PermitType.choices)
    number = models.CharField(_("permit number"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    # Empty: without an end date (a permanent residence permit).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issuing_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing office")
    )
    extends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension",
        verbose_name=_("extends"),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        indexes = [models.Index(fields=["person", "valid_from"], name="permit_person_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="permit_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revoked_at__isnull=True)
                | (Q(revoked_on__isnull=False, revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="permit_revocation_complete",
            ),
            models.CheckConstraint(condition=~Q(extends=F("id")), name="permit_not_own_extension"),
        ]


class AddressPeriod(models.Model):
    """Where a person lived from one date until another; the current address has no end."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="address_periods")
    address = models.CharField(_("address"), max_length=300)
    region = models.CharField(_("region"), max_length=10)
    lived_from = models.DateField(_("from"))
    lived_until = models.DateField(_("until"), null=True, blank=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(lived_until__isnull=True),
                name="one_current_address_per_person",
            ),
            models.CheckConstraint(
                condition=Q(lived_until__isnull=True) | Q(lived_until__gte=F("lived_from")),
                name="address_ends_after_start",
            ),
        ]


class PresenceSummary(models.Model):
    """One row per person, derived from the records above by `person_presence_refresh` and by nothing else.

    It stores dates, never "is overstaying": whether a date has passed is decided when a list is read, so a stay
    that ends tonight is an overstay tomorrow without any write.
    """

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, primary_key=True, related_name="presence"
    )
    # The office responsible (that of the person's latest registration): lists and counts are scoped by it.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # In the country: the last movement is an entry, or none is recorded (met and registered in the country).
    present = models.BooleanField(default=True)
    entered_on = models.DateField(null=True, blank=True)
    # A code of karvon.cases.workflow.PROTECTION_LABELS while a protective case is open; such people never overstay.
    protection = models.CharField(max_length=40, blank=True)
    permit_type = models.CharField(max_length=30, blank=True)
    # The end of the latest permit not revoked; 9999-12-31 for one without an end.
    permit_until = models.DateField(null=True, blank=True)
    # The end of the stay registered after the last entry.
    registered_until = models.DateField(null=True, blank=True)
    # The end of the stay the last entry allowed: the visa-free period or the visa, whichever is later.
    entry_until = models.DateField(null=True, blank=True)
    entry_basis = models.CharField(max_length=12, blank=True)  # "visa_free" or "authorised"
    # The latest of the three dates above: the overstay and warning lists read only this.
    lawful_until = models.DateField(null=True, blank=True)
    # Set while a stay registration after the last entry is outstanding; empty once registered or exempt.
    registration_due_on = models.DateField(null=True, blank=True)
    refreshed_on = models.DateField()

    class Meta:
        verbose_name = _("presence summary")
        verbose_name_plural = _("presence summaries")
        indexes = [
            # The missed-registration list, oldest deadline first, for a whole state or per office.
            models.Index(
                # The office last: the list's order is (date, person), its filter the office, both from the index.
                fields=["registration_due_on", "person", "office"],
                condition=Q(present=True, registration_due_on__isnull=False, protection=""),
                name="presence_registration_due",
            ),
            models.Index(
                fields=["office", "registration_due_on"],
                condition=Q(present=True, registration_due_on__isnull=False, protection=""),
                name="presence_office_due",
            ),
            # The overstay and warning lists: people present, unprotected, by the end of their lawful stay.
            models.Index(
                # The office last: the list's order is (date, person), its filter the office, both from the index.
                fields=["lawful_until", "person", "office"],
                condition=Q(present=True, lawful_until__isnull=False, protection=""),
                name="presence_lawful_until",
            ),
            models.Index(
                fields=["office", "lawful_until"],
                condition=Q(present=True, lawful_until__isnull=False, protection=""),
                name="presence_office_lawful",
            ),
        ]


class TallyKind(models.TextChoices):
    STATUS = "status", "status"
    DUE = "due", "due"
    LAWFUL = "lawful", "lawful"


class PresenceTally(models.Model):
    """Counters that make the present-now counts and list totals of a whole state a sum of a few thousand rows.

    Written only with the summaries they count (`presence_summaries_write`), as differences:
    - "status": +1 on the day a person present at the office begins to hold a status, -1 the day after it ends
      (0001-01-01 for "since ever"). People under a status today = the sum of the rows up to today; a stay
      ending tonight moves its holder to "overstayer" tomorrow without any write.
    - "due": one per person present, unprotected, whose stay registration is due, on the due date.
    - "lawful": one per person present, unprotected, on the last day of their lawful stay.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=6, choices=TallyKind.choices)
    status = models.CharField(max_length=60, blank=True)
    on_date = models.DateField()
    delta = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "on_date", "status"], name="presence_tally_once"
            ),
        ]
