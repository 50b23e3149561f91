"""Reads and checks UNHCR's published CSV files; every problem names the file, the row and the column."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

# UNHCR writes some of its own codes into the ISO columns (flows.csv): stateless and unknown origin.
ISO_ALIASES = {"STA": "XXA", "UKN": "UNK"}
# Codes UNHCR uses that are neither in countries.csv nor ISO states.
PSEUDO_COUNTRIES = {"UNK": "Unknown", "XXA": "Stateless"}
NOT_APPLICABLE = {"", "-"}
FIRST_YEAR = 1951

POPULATION_TYPES = {"REF", "ASY", "OIP", "STA", "OOC", "IDP", "RET", "RDP", "HST", "ROC", "IOC", "VDA"}


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    file_name: str
    # Text columns besides year and the two countries, each with the codes it may hold (empty: any text).
    dimensions: dict[str, frozenset[str]]
    measures: tuple[str, ...]


DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        "population",
        "population.csv",
        {},
        (
            "refugees",
            "asylum_seekers",
            "returned_refugees",
            "idps",
            "returned_idps",
            "stateless",
            "ooc",
            "oip",
            "hst",
        ),
    ),
    DatasetSpec(
        "asylum_applications",
        "asylum_applications.csv",
        {
            "procedure_type": frozenset({"G", "J", "U"}),
            "app_type": frozenset(),
            "dec_level": frozenset(),
            "app_pc": frozenset({"P", "C"}),
        },
        ("applied",),
    ),
    DatasetSpec(
        "asylum_decisions",
        "asylum_decisions.csv",
        {
            "procedure_type": frozenset({"G", "J", "U"}),
            "dec_level": frozenset(),
            "dec_pc": frozenset({"P", "C"}),
        },
        ("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
    ),
    DatasetSpec(
        "demographics",
        "demographics.csv",
        {
            "pop_type": frozenset(POPULATION_TYPES),
            "location": frozenset(),
            "loc_type": frozenset(),
            "acc_type": frozenset(),
        },
        (
            "f_0_4",
            "f_5_11",
            "f_12_17",
            "f_18_59",
            "f_60",
            "f_other",
            "f_total",
            "m_0_4",
            "m_5_11",
            "m_12_17",
            "m_18_59",
            "m_60",
            "m_other",
            "m_total",
            "total",
        ),
    ),
    DatasetSpec(
        "solutions",
        "solutions.csv",
        {},
        ("returned_refugees", "resettlement", "naturalisation", "returned_idps"),
    ),
    DatasetSpec("flows", "flows.csv", {}, ("refugees", "asylum_seekers", "refugee_like", "oip")),
)

COUNTRY_COLUMNS = ("iso_code", "unhcr_code", "name", "unhcr_region", "unsd_region", "unsd_subregion")


class UnableToLoadUnhcrFile(Exception):
    """A file is not as UNHCR publishes it; nothing was loaded."""

    def __init__(self, *, file: str, row: int, column: str, message: str) -> None:
        # Row 1 is the header line; data rows start at 2, as a spreadsheet numbers them.
        super().__init__(
            _("%(file)s, row %(row)s, column %(column)s: %(message)s")
            % {"file": file, "row": row, "column": column, "message": message}
        )
        self.file = file
        self.row = row
        self.column = column
        self.message = message


def unhcr_data_directory() -> Path:
    """KARVON_UNHCR_DATA_DIR (setting or environment), else ../shared/data/unhcr beside the repository."""
    configured = getattr(settings, "KARVON_UNHCR_DATA_DIR", "") or os.environ.get("KARVON_UNHCR_DATA_DIR", "")
    if configured:
        return Path(configured)
    repository = Path(settings.PACKAGE_DIR).parent.parent
    return (repository.parent / "shared" / "data" / "unhcr").resolve()


def _reader(path: Path, required: tuple[str, ...]) -> tuple[csv.DictReader[str], Any]:
    if not path.is_file():
        raise UnableToLoadUnhcrFile(file=path.name, row=0, column="-", message=_("The file is missing."))
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        handle.close()
        unexpected = [column for column in header if column not in required]
        message = _("The column is missing.")
        if unexpected:
            message += " " + _("Columns not expected: %(columns)s (renamed?).") % {
                "columns": ", ".join(unexpected)
            }
        raise UnableToLoadUnhcrFile(file=path.name, row=1, column=missing[0], message=message)
    return reader, handle


def read_countries(path: Path) -> list[dict[str, str]]:
    reader, handle = _reader(path, COUNTRY_COLUMNS)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    with handle:
        for number, record in enumerate(reader, start=2):
            code = (record["iso_code"] or "").strip()
            if not code and (record["unhcr_code"] or "").strip():
                # UNHCR lists a few groups of its own with no ISO code (CRB, CUR, TIB); no figure refers to them.
                continue
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise UnableToLoadUnhcrFile(
                    file=path.name,
                    row=number,
                    column="iso_code",
                    message=_("Expected an ISO 3166 alpha-3 code, found “%(value)s”.") % {"value": code},
                )
            if code in seen:
                raise UnableToLoadUnhcrFile(
                    file=path.name,
                    row=number,
                    column="iso_code",
                    message=_("The code %(value)s appears twice.") % {"value": code},
                )
            seen.add(code)
            rows.append({column: (record[column] or "").strip() for column in COUNTRY_COLUMNS})
    return rows


def _count(raw: str | None, *, file: str, row: int, column: str) -> int | None:
    text = (raw or "").strip()
    if text in NOT_APPLICABLE:
        return None
    if text.lstrip("-").isdigit() and text.startswith("-"):
        raise UnableToLoadUnhcrFile(
            file=file,
            row=row,
            column=column,
            message=_("A count cannot be negative (found %(value)s).") % {"value": text},
        )
    if not text.isdigit():
        raise UnableToLoadUnhcrFile(
            file=file,
            row=row,
            column=column,
            message=_("Expected a whole number or “-”, found “%(value)s”.") % {"value": text},
        )
    return int(text)


def _country(raw: str | None, *, known: set[str], file: str, row: int, column: str) -> str:
    code = (raw or "").strip()
    code = ISO_ALIASES.get(code, code)
    if code not in known:
        raise UnableToLoadUnhcrFile(
            file=file,
            row=row,
            column=column,
            message=_("Unknown country code “%(value)s”.") % {"value": code},
        )
    return code


def _year(raw: str | None, *, last_year: int, file: str, row: int) -> int:
    text = (raw or "").strip()
    if "-" in text.strip("-") or "/" in text:
        # A period such as 2019-2017 or 2017/2019: UNHCR's files carry single years.
        start, _sep, end = text.replace("/", "-").partition("-")
        if start.isdigit() and end.isdigit() and int(end) < int(start):
            raise UnableToLoadUnhcrFile(
                file=file,
                row=row,
                column="year",
                message=_("The period %(value)s ends before it starts.") % {"value": text},
            )
        raise UnableToLoadUnhcrFile(
            file=file,
            row=row,
            column="year",
            message=_("Expected a single year, found “%(value)s”.") % {"value": text},
        )
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= last_year:
        raise UnableToLoadUnhcrFile(
            file=file,
            row=row,
            column="year",
            message=_("Expected a year from %(first)s to %(last)s, found “%(value)s”.")
            % {"first": FIRST_YEAR, "last": last_year, "value": text},
        )
    return int(text)


def read_dataset(
    path: Path, spec: DatasetSpec, *, known_countries: set[str], last_year: int
) -> list[dict[str, Any]]:
    """Every row as the model's field values; raises on the first problem, having changed nothing."""
    reader, handle = _reader(path, ("year", "coo_iso", "coa_iso", *spec.dimensions, *spec.measures))
    rows: list[dict[str, Any]] = []
    file = path.name
    with handle:
        for number, record in enumerate(reader, start=2):
            row: dict[str, Any] = {
                "year": _year(record["year"], last_year=last_year, file=file, row=number),
                "coo": _country(
                    record["coo_iso"], known=known_countries, file=file, row=number, column="coo_iso"
                ),
                "coa": _country(
                    record["coa_iso"], known=known_countries, file=file, row=number, column="coa_iso"
                ),
            }
            for column, allowed in spec.dimensions.items():
                value = (record[column] or "").strip()
                if allowed and value not in allowed:
                    raise UnableToLoadUnhcrFile(
                        file=file,
                        row=number,
                        column=column,
                        message=_("Expected one of %(codes)s, found “%(value)s”.")
                        % {"codes": ", ".join(sorted(allowed)), "value": value},
                    )
                row[column] = value
            for column in spec.measures:
                row[column] = _count(record[column], file=file, row=number, column=column)
            rows.append(row)
    return rows


def read_all(
    directory: Path, *, last_year: int
) -> tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]]:
    """countries.csv and the six datasets, all checked before anything is written."""
    countries = read_countries(directory / "countries.csv")
    known = {country["iso_code"] for country in countries} | set(PSEUDO_COUNTRIES)
    datasets = {
        spec.name: read_dataset(directory / spec.file_name, spec, known_countries=known, last_year=last_year)
        for spec in DATASETS
    }
    return countries, datasets
