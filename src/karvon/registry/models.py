"""Registry records: fields and integrity constraints only; behaviour lives in services and selectors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from karvon.accounts.models import Office


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    OTHER = "X", _("Other")
    NOT_RECORDED = "U", _("Not recorded")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated from age")


class Script(models.TextChoices):
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    ARABIC = "Arab", _("Arabic")


class SpellingSource(models.TextChoices):
    DECLARED = "declared", _("As declared")
    DOCUMENT = "document", _("As in a document")
    TRANSLITERATED = "transliterated", _("Transliterated")


class NamePart(models.TextChoices):
    GIVEN = "given", _("Given name")
    FAMILY = "family", _("Family name")
    PATRONYMIC = "patronymic", _("Patronymic / father's name")


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_RECORDED)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    place_of_birth_country = models.CharField(_("country of birth"), max_length=3, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), upload_to="photos/%Y/%m/", blank=True)
    # Optimistic locking: a save names the version it was based on and fails if another save came first.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set when a supervisor merged this record into another; merged records leave every list and search.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date"),
            # Searches take the newest matching people first, among those not merged away: this index answers
            # "current people by id, with their date of birth" without reading the table (PostgreSQL).
            models.Index(
                fields=["id", "birth_date"],
                condition=Q(merged_into__isnull=True),
                name="person_current_newest",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class PersonName(models.Model):
    # No index of its own: the unique constraint below starts with the person and serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names", db_index=False)
    part = models.CharField(_("name part"), max_length=12, choices=NamePart.choices)
    text = models.CharField(_("spelling"), max_length=100)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    source = models.CharField(_("source"), max_length=16, choices=SpellingSource.choices)
    is_primary = models.BooleanField(_("primary"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["person", "part", "position"]
        constraints = [
            models.UniqueConstraint(fields=["person", "part", "text", "source"], name="name_spelling_once"),
            models.UniqueConstraint(
                fields=["person", "part"], condition=Q(is_primary=True), name="one_primary_spelling_per_part"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NameSearchKey(models.Model):
    """Derived from the names by the matching library's keys; rebuilt by the service on every name change."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "person"], name="search_key_once")]


class PersonNationality(models.Model):
    # No index of its own: the unique constraint below starts with the person and serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities", db_index=False)
    country = models.CharField(_("nationality"), max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "country"], name="nationality_once")]


class PersonLanguage(models.Model):
    # No index of its own: the unique constraint below starts with the person and serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages", db_index=False)
    language = models.CharField(_("language"), max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="language_once")]


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    REFUGEE_ID = "refugee_id", _("Refugee identity document")
    OTHER = "other", _("Other document")


class IdentityDocument(models.Model):
    # No index of its own: the unique constraint below starts with the person and serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents", db_index=False)
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("document number"), max_length=40)
    # Upper case, no spaces or dashes: what searches compare.
    number_normalised = models.CharField(max_length=40, db_index=True)
    issuing_state = models.CharField(_("issuing state"), max_length=3)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    expiry_date = models.DateField(_("date of expiry"), null=True, blank=True)
    mrz = models.TextField(_("machine-readable zone"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(issue_date__isnull=True)
                | Q(expiry_date__isnull=True)
                | Q(expiry_date__gt=F("issue_date")),
                name="document_expires_after_issue",
            ),
            models.UniqueConstraint(
                fields=["person", "doc_type", "issuing_state", "number_normalised"],
                name="document_once_per_person",
            ),
        ]


class Household(models.Model):
    """A registration group: people registered together, one of them the principal applicant."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return str(self.uuid)


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Son / daughter")
    PARENT = "parent", _("Father / mother")
    SIBLING = "sibling", _("Brother / sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    IN_LAW = "in_law", _("In-law")
    NEPHEW_NIECE = "nephew_niece", _("Nephew / niece")
    UNCLE_AUNT = "uncle_aunt", _("Uncle / aunt")
    COUSIN = "cousin", _("Cousin")
    FOSTER_CHILD = "foster_child", _("Foster child")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    UNRELATED = "unrelated", _("Unrelated")


class HouseholdMembership(models.Model):
    """A person's membership of a group over time: ended memberships are kept as history."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(
        _("relationship to the principal applicant"), max_length=20, choices=Relationship.choices
    )
    started_on = models.DateField(_("member since"))
    ended_on = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_current_household_per_person"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True, relationship="principal"),
                name="one_current_principal_per_household",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
            ),
        ]


class MetAt(models.TextChoices):
    BORDER_CROSSING = "border_crossing", _("At a border crossing point")
    IN_COUNTRY = "in_country", _("In the country")
    DETENTION = "detention", _("In detention")
    REFERRAL = "referral", _("Referred by another agency")


class Registration(models.Model):
    """One registration event of one person: where and when the state met them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="registrations", null=True, blank=True
    )
    # No index of its own: registration_office_person (office, person) serves every lookup by office.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="registrations", db_index=False)
    registered_on = models.DateField(_("date of registration"))
    met_at = models.CharField(_("where the person was met"), max_length=20, choices=MetAt.choices)
    referred_by = models.CharField(_("referring agency"), max_length=200, blank=True)
    arrival_date = models.DateField(_("date of arrival"), null=True, blank=True)
    transit_countries = models.JSONField(_("route (countries of transit)"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["office", "person"], name="registration_office_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrival_date__isnull=True) | Q(arrival_date__lte=F("registered_on")),
                name="arrival_not_after_registration",
            ),
        ]


class ProfileType(models.TextChoices):
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum-seeker")
    REFUGEE_ELSEWHERE = "refugee_elsewhere", _("Refugee recognised elsewhere")
    STATELESS = "stateless", _("Stateless person")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker")
    IRREGULAR_MIGRANT = "irregular_migrant", _("Irregular migrant")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Victim or presumed victim of trafficking")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("Separated child")
    RETURNEE = "returnee", _("Returnee")
    OTHER = "other", _("Other")


class ProfileRecord(models.Model):
    """The profiling of a person at one moment (10-Point Plan): who they are, which needs, fear of return."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="profiles")
    profile_types = models.JSONField(_("profiles"), default=list)
    fear_of_return = models.BooleanField(_("states a fear of return"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-id"]


class SpecificNeed(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="specific_needs")
    profile = models.ForeignKey(ProfileRecord, on_delete=models.PROTECT, related_name="specific_needs")
    code = models.CharField(_("specific need"), max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="specific_need_once_per_profile")
        ]
        indexes = [models.Index(fields=["code"], name="specific_need_code")]


class Procedure(models.TextChoices):
    ASYLUM = "asylum", _("Asylum procedure")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    COUNTER_TRAFFICKING = "counter_trafficking", _("Counter-trafficking protection")
    STATELESSNESS = "statelessness", _("Statelessness determination")
    MIGRATION_REGULARISATION = "migration", _("Stay registration and permits")
    RETURN_ASSISTANCE = "return", _("Assisted voluntary return")


class ReferralDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the officer's decision")
    ACCEPTED = "accepted", _("Referral made")
    DECLINED = "declined", _("Not referred")


class ReferralSuggestion(models.Model):
    """A referral that profiling suggests, and the officer's decision on it."""

    profile = models.ForeignKey(ProfileRecord, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    reason = models.CharField(_("why it is suggested"), max_length=300)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ReferralDecision.choices, default=ReferralDecision.PENDING
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "procedure"], name="referral_once_per_profile"),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False)),
                name="referral_decided_has_time",
            ),
        ]
