"""Cases, their append-only event log, approvals, appointments and referrals: fields and constraints only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from karvon.accounts.models import Agency, Office
from karvon.cases.workflow import CASE_KIND_LABELS, CaseKind, Decision


class ProcedureType(models.TextChoices):
    """Who decides, as UNHCR's asylum statistics record it."""

    GOVERNMENT = "G", _("Government")
    JOINT = "J", _("Joint (government and UNHCR)")
    UNHCR = "U", _("UNHCR mandate")


class ApplicationType(models.TextChoices):
    NEW = "N", _("New application")
    REPEAT = "R", _("Repeat application")


class Case(models.Model):
    """A procedure a person goes through; `state` and the dates beside it follow from the event log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(
        _("procedure"), max_length=30, choices=[(k.value, v) for k, v in CASE_KIND_LABELS.items()]
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="cases")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(_("stage"), max_length=40)
    began_on = models.DateField(_("began on"))
    state_entered_on = models.DateField(_("in this stage since"))
    last_event_on = models.DateField(_("last step on"))
    last_contact_on = models.DateField(_("last contact on"))
    due_on = models.DateField(_("next step due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    appeal_level = models.PositiveSmallIntegerField(_("appeal level"), default=0)
    procedure_type = models.CharField(
        _("procedure type"), max_length=1, choices=ProcedureType.choices, default=ProcedureType.GOVERNMENT
    )
    application_type = models.CharField(
        _("application type"), max_length=1, choices=ApplicationType.choices, default=ApplicationType.NEW
    )
    # The step waiting for a supervisor's approval, if any; no other step is taken meanwhile.
    awaiting_approval = models.CharField(max_length=60, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("began_on")),
                name="case_closes_after_it_began",
            ),
            models.CheckConstraint(
                condition=Q(last_event_on__gte=F("began_on")), name="case_events_after_it_began"
            ),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in CaseKind]), name="case_kind_known"),
        ]
        indexes = [
            # The overdue list and the work screens read open cases of an office by due date.
            models.Index(
                fields=["office", "due_on"], name="case_open_due", condition=Q(closed_on__isnull=True)
            ),
            models.Index(fields=["due_on"], name="case_open_due_all", condition=Q(closed_on__isnull=True)),
            models.Index(
                fields=["assigned_to", "due_on"],
                name="case_assigned_due",
                condition=Q(closed_on__isnull=True),
            ),
            models.Index(fields=["office", "kind", "state"], name="case_office_stage"),
            # The supervision counts read only this index (stage, due date, last contact of open cases).
            models.Index(
                fields=["office", "kind", "state", "due_on", "last_contact_on"],
                name="case_open_stage",
                condition=Q(closed_on__isnull=True),
            ),
            models.Index(fields=["person"], name="case_person"),
        ]

    def __str__(self) -> str:
        return self.reference


class MemberRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    DEPENDANT = "dependant", _("Dependant")


class CaseMember(models.Model):
    """The persons a case covers: a decision on the case is a decision on each of them."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(_("role in the case"), max_length=12, choices=MemberRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_member_once"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(role="principal"), name="case_one_principal"
            ),
        ]
        indexes = [models.Index(fields=["person"], name="case_member_person")]


class CaseEvent(models.Model):
    """One step of a case, as it happened: append-only (database triggers refuse UPDATE and DELETE)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    transition = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)
    # The legal date of the step; `recorded_at` is when it was entered.
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # For statistics: UNHCR's outcome and decision level, and how many persons the decision covers.
    decision = models.CharField(max_length=20, blank=True, choices=[(d.value, d.value) for d in Decision])
    decision_level = models.CharField(max_length=2, blank=True)
    persons = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="case_event_sequence_once")]
        indexes = [
            models.Index(fields=["occurred_on"], name="case_event_decided", condition=~Q(decision="")),
        ]


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Approval(models.Model):
    """A step that waits for a supervisor: requested by one official, decided by another."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    transition = models.CharField(max_length=60)
    occurred_on = models.DateField()
    reason = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="approval_one_pending_per_case"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="approval_decided_has_time",
            ),
            # Four eyes: nobody approves their own request.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="approval_not_by_requester",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="approval_status")]


class AppointmentKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    REGISTRATION = "registration", _("Registration")
    DOCUMENT_COLLECTION = "document_collection", _("Collecting a document")
    COUNSELLING = "counselling", _("Counselling")
    OTHER = "other", _("Other appointment")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(models.Model):
    """A meeting at an office; `starts_at` is stored in UTC and shown in the office's time zone."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="appointments", null=True, blank=True
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="appointments")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(_("kind"), max_length=24, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["office", "starts_at"], name="appointment_office_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="appointment_duration_sane",
            )
        ]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting the partner")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class SharedData(models.TextChoices):
    """What a referral lets the receiving partner see of the person: nothing else is shown to them."""

    IDENTITY = "identity", _("Names, sex and date of birth")
    NATIONALITY = "nationality", _("Nationality")
    LANGUAGES = "languages", _("Languages")
    CONTACT = "contact", _("Contact details and address")
    SPECIFIC_NEEDS = "specific_needs", _("Specific needs")
    DOCUMENTS = "documents", _("Identity documents")
    HOUSEHOLD = "household", _("Household members")


class Referral(models.Model):
    """A person sent from one agency to a partner for a procedure; the partner accepts or declines it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="partner_referrals")
    procedure = models.CharField(
        _("procedure"), max_length=30, choices=[(k.value, v) for k, v in CASE_KIND_LABELS.items()]
    )
    from_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received")
    reason = models.TextField(_("reason for the referral"))
    shared = models.JSONField(_("shared with the partner"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_note = models.TextField(blank=True)
    # The case the partner opened on accepting the referral.
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="referral", null=True, blank=True
    )
    suggestion = models.ForeignKey(
        "registry.ReferralSuggestion",
        on_delete=models.PROTECT,
        related_name="partner_referrals",
        null=True,
        blank=True,
    )

    class Meta:
        indexes = [
            models.Index(fields=["to_agency", "status"], name="referral_inbox"),
            models.Index(fields=["person"], name="referral_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "procedure", "to_agency"],
                condition=Q(status__in=["sent", "accepted"]),
                name="referral_one_open_per_partner",
            ),
        ]
