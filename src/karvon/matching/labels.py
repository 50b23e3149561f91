"""Names of compared fields and agreement levels in the user's language (the library speaks English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "patronymic": _("Patronymic / father's name"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "place_of_birth": _("Place of birth"),
    "document": _("Document number"),
}

LEVEL_LABELS = {
    "exact": _("identical"),
    "transliterated": _("same after transliteration"),
    "skeleton": _("same consonants (Arabic-script spelling)"),
    "gendered_variant": _("male/female form of the same name"),
    "suffix_variant": _("same root, other ending (-zoda / -ov)"),
    "subset": _("one name contains the other"),
    "jw_high": _("very similar spelling"),
    "jw_mid": _("similar spelling"),
    "differs": _("different"),
    "missing": _("missing on one record"),
    "day_month_swap": _("day and month swapped"),
    "month_agrees": _("same month and year"),
    "year_agrees": _("same year"),
    "near": _("nearly the same date (days apart, or one part differs)"),
    "within_1_year": _("within one year"),
    "months_apart": _("months apart"),
    "within_3_years": _("within three years"),
    "ocr_equal": _("same but for look-alike characters (O/0, I/1)"),
    "edit_distance_1": _("one character differs"),
}
