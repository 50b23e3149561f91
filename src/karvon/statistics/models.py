"""The statistics store: UNHCR's published figures and the node's own, one table per dataset, labelled by source."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    NATIONAL = "national", _("National (this node's registry)")
    UNHCR = "unhcr", _("UNHCR Refugee Population Statistics Database")


class DataLoad(models.Model):
    """One load of a source into the store: where it came from and when; figures point back to it."""

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    loaded_at = models.DateTimeField(_("loaded at"))
    origin = models.CharField(_("read from"), max_length=500)
    # For national figures: the day the stocks describe.
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    row_counts = models.JSONField(_("rows per dataset"), default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]


class Country(models.Model):
    """UNHCR's countries.csv: ISO alpha-3 code, UNHCR's own code, name and regions."""

    iso_code = models.CharField(max_length=3, unique=True)
    unhcr_code = models.CharField(max_length=3)
    name = models.CharField(max_length=120)
    unhcr_region = models.CharField(max_length=80, blank=True)
    unsd_region = models.CharField(max_length=80, blank=True)
    unsd_subregion = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["iso_code"]

    def __str__(self) -> str:
        return self.iso_code


def count_field() -> models.PositiveIntegerField[int | None, int | None]:
    # NULL is UNHCR's "-": not applicable or not reported, never zero.
    return models.PositiveIntegerField(null=True, blank=True)


class Figure(models.Model):
    """What every row of every dataset has: its load, its source, the year and the two countries."""

    load = models.ForeignKey(DataLoad, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    year = models.PositiveSmallIntegerField()
    coo = models.CharField(_("country of origin"), max_length=3)
    coa = models.CharField(_("country of asylum"), max_length=3)

    class Meta:
        abstract = True


class PopulationFigure(Figure):
    refugees = count_field()
    asylum_seekers = count_field()
    returned_refugees = count_field()
    idps = count_field()
    returned_idps = count_field()
    stateless = count_field()
    ooc = count_field()
    oip = count_field()
    hst = count_field()
    # Not in UNHCR's data: the node's migrants (everyone profiled outside the protection types).
    migrants = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_population_coa_year")]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1951), name="stat_population_year_plausible")
        ]


class ApplicationFigure(Figure):
    procedure_type = models.CharField(max_length=2)
    app_type = models.CharField(max_length=3)
    dec_level = models.CharField(max_length=3)
    app_pc = models.CharField(max_length=1)
    applied = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_application_coa_year")]


class DecisionFigure(Figure):
    procedure_type = models.CharField(max_length=2)
    dec_level = models.CharField(max_length=3)
    # P persons or C cases: counts of the two are never added together.
    dec_pc = models.CharField(max_length=1)
    dec_recognized = count_field()
    dec_other = count_field()
    dec_rejected = count_field()
    dec_closed = count_field()
    dec_total = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_decision_coa_year")]
        constraints = [
            models.CheckConstraint(condition=Q(dec_pc__in=["P", "C"]), name="stat_decision_unit_known")
        ]


class DemographicFigure(Figure):
    pop_type = models.CharField(max_length=3)
    location = models.CharField(max_length=200, blank=True)
    loc_type = models.CharField(max_length=1, blank=True)
    acc_type = models.CharField(max_length=1, blank=True)
    f_0_4 = count_field()
    f_5_11 = count_field()
    f_12_17 = count_field()
    f_18_59 = count_field()
    f_60 = count_field()
    f_other = count_field()
    f_total = count_field()
    m_0_4 = count_field()
    m_5_11 = count_field()
    m_12_17 = count_field()
    m_18_59 = count_field()
    m_60 = count_field()
    m_other = count_field()
    m_total = count_field()
    total = count_field()
    # National only: the youth bands of the UN's definitions (both sexes).
    y_15_24 = count_field()
    y_15_34 = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_demography_coa_year")]


class SolutionFigure(Figure):
    returned_refugees = count_field()
    resettlement = count_field()
    naturalisation = count_field()
    returned_idps = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_solution_coa_year")]


class FlowFigure(Figure):
    refugees = count_field()
    asylum_seekers = count_field()
    refugee_like = count_field()
    oip = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_flow_coa_year")]


# Statuses of people present at the reference date, as the presence app names them (national only).
PRESENCE_STATUS_MEASURES = (
    "asylum_seekers",
    "refugees",
    "complementary_protection",
    "humanitarian_protection",
    "statelessness_applicants",
    "stateless",
    "trafficking_victims",
    "unaccompanied_children",
    "permit_holders",
    "registered_stay",
    "visa_free",
    "authorised_entry",
    "no_entry_recorded",
    "overstayers",
)


class PresenceFigure(Figure):
    """People present in the country at the reference date, by origin and status (national only, no UNHCR file).

    `present` is the sum of the status columns; `registration_missed` counts, among them, those whose stay
    registration deadline has passed without one (a separate measure, not part of the sum).
    """

    reference_date = models.DateField()
    asylum_seekers = count_field()
    refugees = count_field()
    complementary_protection = count_field()
    humanitarian_protection = count_field()
    statelessness_applicants = count_field()
    stateless = count_field()
    trafficking_victims = count_field()
    unaccompanied_children = count_field()
    permit_holders = count_field()
    registered_stay = count_field()
    visa_free = count_field()
    authorised_entry = count_field()
    no_entry_recorded = count_field()
    overstayers = count_field()
    present = count_field()
    registration_missed = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_presence_coa_year")]


SPECIFIC_NEED_CATEGORIES = ("CR", "DS", "ER", "FU", "LP", "PG", "SC", "SM", "SP", "SV", "TR", "WR")


class SpecificNeedFigure(Figure):
    """People counted in the stocks with a specific need of each UNHCR category in their latest profile.

    A person with needs in two categories counts in both: the columns do not add up to `persons`, the number of
    people with at least one need.
    """

    reference_date = models.DateField()
    cr = count_field()
    ds = count_field()
    er = count_field()
    fu = count_field()
    lp = count_field()
    pg = count_field()
    sc = count_field()
    sm = count_field()
    sp = count_field()
    sv = count_field()
    tr = count_field()
    wr = count_field()
    persons = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_need_coa_year")]


class DurationKind(models.TextChoices):
    FIRST_INSTANCE = "first_instance", "first_instance"
    STAGE = "stage", "stage"


class DurationFigure(models.Model):
    """How many asylum cases took exactly `days`: per year of decision from lodging to the first-instance
    decision, or per year of leaving a stage, days spent in it. Medians and percentiles of any span of years
    are exact from these counts, so the pages never read the event log (national only)."""

    load = models.ForeignKey(DataLoad, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=DurationKind.choices)
    stage = models.CharField(max_length=40, blank=True)
    days = models.IntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["source", "kind", "year"], name="stat_duration_kind_year")]


class MovementFigure(Figure):
    """The year's arrivals (people first registered in it), entries and exits recorded at the borders, by
    origin (national only). Three separate counts: a person may enter and leave several times in a year."""

    arrivals = count_field()
    entries = count_field()
    exits = count_field()

    class Meta:
        indexes = [models.Index(fields=["source", "coa", "year"], name="stat_movement_coa_year")]
