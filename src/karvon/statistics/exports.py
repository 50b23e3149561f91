"""Downloads: CSV, XLSX, SDMX-CSV 2.0 and the SDMX data structure definition that names each dimension and measure."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

# openpyxl ships no type information and no stubs package is pinned; its use is confined to table_xlsx.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from karvon.statistics.contracts import ATTRIBUTION, LICENCE, StatisticsTable
from karvon.statistics.notes import disclosure_rule

AGENCY = "KARVON"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VERSION = "1.0"

DIMENSION_NAMES = {
    "year": "Year (time period)",
    "coo_iso": "Country of origin (ISO 3166 alpha-3)",
    "coa_iso": "Country of asylum (ISO 3166 alpha-3)",
    "dec_pc": "Unit of count: P persons, C cases",
    "app_pc": "Unit of count: P persons, C cases",
    "pop_type": "UNHCR population type",
}
MEASURE_NAMES = {
    "refugees": "Refugees under UNHCR's mandate",
    "asylum_seekers": "Asylum-seekers",
    "returned_refugees": "Returned refugees",
    "idps": "Internally displaced persons",
    "returned_idps": "Returned IDPs",
    "stateless": "Stateless persons",
    "ooc": "Others of concern",
    "oip": "Other people in need of international protection",
    "hst": "Host community",
    "migrants": "Migrants (national registry only)",
    "applied": "Asylum applications",
    "dec_recognized": "Recognised (Convention status)",
    "dec_other": "Complementary protection",
    "dec_rejected": "Rejected",
    "dec_closed": "Otherwise closed",
    "dec_total": "Total decisions",
    "resettlement": "Resettlement arrivals",
    "naturalisation": "Naturalisations",
    "refugee_like": "Refugee-like",
    "total": "Total",
    "y_15_24": "Aged 15-24 (national only)",
    "y_15_34": "Aged 15-34 (national only)",
}


def source_label(table: StatisticsTable) -> str:
    if table.source == "unhcr":
        return f"{ATTRIBUTION} ({LICENCE})"
    return "National figures of this Karvon node"


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _columns(table: StatisticsTable) -> tuple[list[str], list[str]]:
    """The CSV's and the workbook's columns: dimensions, country names, measures, then suppressed and source."""
    named = [d.replace("_iso", "_name") for d in table.dimensions if d in {"coo_iso", "coa_iso"}]
    return [*table.dimensions, *named, *table.measures, "suppressed", "source"], named


def _values(table: StatisticsTable, row: dict[str, Any], named: list[str], label: str) -> list[object]:
    return [
        *(row.get(d) for d in table.dimensions),
        *(row.get(n) for n in named),
        *(row.get(m) for m in table.measures),
        " ".join(row.get("suppressed", [])),
        label,
    ]


def table_csv(table: StatisticsTable) -> str:
    """UNHCR's column names; a hidden or not-applicable count is empty and the suppressed column says which."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header, named = _columns(table)
    writer.writerow(header)
    label = source_label(table)
    for row in table.rows:
        writer.writerow([_cell(value) for value in _values(table, row, named, label)])
    return out.getvalue()


def _text_cell(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Numbers stay numbers; text is forced to text, so that a value starting with "=" is never a formula."""
    cell = sheet.cell(
        row=row, column=column, value=value if isinstance(value, int | float | Decimal) else None
    )
    if value is None or isinstance(value, int | float | Decimal):
        return
    cell.value = str(value)
    cell.data_type = "s"


def table_xlsx(table: StatisticsTable, *, threshold: int, method: str = "suppress") -> bytes:
    """The CSV's columns and rows in a first sheet (hidden counts blank, named in "suppressed"), and the source,
    licence, notes and disclosure threshold in a second."""
    workbook = Workbook()
    data: Worksheet = workbook.active
    data.title = table.dataset[:31]
    header, named = _columns(table)
    for column, name in enumerate(header, start=1):
        _text_cell(data, 1, column, name)
        data.cell(row=1, column=column).font = Font(bold=True)
    data.freeze_panes = "A2"
    label = source_label(table)
    for number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(_values(table, row, named, label), start=1):
            _text_cell(data, number, column, value)
    about: Worksheet = workbook.create_sheet(_("About")[:31])
    lines: list[tuple[str, object]] = [
        (_("Dataset"), table.dataset),
        (_("Source"), label),
        (_("Licence"), LICENCE if table.source == "unhcr" else ""),
        (
            _("Disclosure control"),
            disclosure_rule(threshold, method, hidden=_("blank cells, named in the column “suppressed”"))
            + " "
            + _("An empty cell without that mark is not applicable."),
        ),
        (_("Threshold"), threshold),
        *((_("Note"), note) for note in table.notes),
    ]
    for number, (key, value) in enumerate(lines, start=1):
        _text_cell(about, number, 1, key)
        about.cell(row=number, column=1).font = Font(bold=True)
        _text_cell(about, number, 2, value)
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def structure_id(dataset: str) -> str:
    return f"{AGENCY}:DSD_{dataset.upper()}({VERSION})"


def _sdmx_id(name: str) -> str:
    return "TIME_PERIOD" if name == "year" else name.upper().removesuffix("_ISO")


def table_sdmx_csv(table: StatisticsTable) -> str:
    """SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, one column per measure, then attributes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            *(_sdmx_id(d) for d in table.dimensions),
            *(_sdmx_id(m) for m in table.measures),
            "CONF_STATUS",
            "SUPPRESSED_MEASURES",
            "DATA_SOURCE",
        ]
    )
    label = source_label(table)
    for row in table.rows:
        suppressed = row.get("suppressed", [])
        writer.writerow(
            [
                "datastructure",
                structure_id(table.dataset),
                "I",
                *(_cell(row.get(d)) for d in table.dimensions),
                *(_cell(row.get(m)) for m in table.measures),
                # SDMX's CONF_STATUS code list: C confidential (hidden), F free.
                "C" if suppressed else "F",
                " ".join(_sdmx_id(m) for m in suppressed),
                label,
            ]
        )
    return out.getvalue()


def _name(text: str) -> str:
    return f'<com:Name xml:lang="en">{escape(text)}</com:Name>'


def data_structure_definition(dataset: str, dimensions: tuple[str, ...], measures: tuple[str, ...]) -> str:
    """An SDMX-ML 3.0 structure message describing the SDMX-CSV download of one dataset."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" '
        'xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure" '
        'xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common">',
        f"<mes:Header><mes:ID>DSD_{dataset.upper()}</mes:ID><mes:Test>false</mes:Test>"
        f"<mes:Sender id={quoteattr(AGENCY)}/></mes:Header>",
        "<mes:Structures><str:DataStructures>",
        f"<str:DataStructure id={quoteattr('DSD_' + dataset.upper())} agencyID={quoteattr(AGENCY)} "
        f"version={quoteattr(VERSION)}>",
        _name(f"{dataset.replace('_', ' ').capitalize()} (UNHCR conventions; {ATTRIBUTION}, {LICENCE})"),
        '<str:DataStructureComponents><str:DimensionList id="DimensionDescriptor">',
    ]
    position = 1
    for dimension in dimensions:
        if dimension == "year":
            continue
        parts.append(
            f'<str:Dimension id={quoteattr(_sdmx_id(dimension))} position="{position}">'
            f"{_name(DIMENSION_NAMES.get(dimension, dimension))}</str:Dimension>"
        )
        position += 1
    parts.append(f'<str:TimeDimension id="TIME_PERIOD">{_name(DIMENSION_NAMES["year"])}</str:TimeDimension>')
    parts.append('</str:DimensionList><str:AttributeList id="AttributeDescriptor">')
    for attribute, text in (
        ("CONF_STATUS", "Confidentiality status: C hidden by disclosure control, F free"),
        ("SUPPRESSED_MEASURES", "Measures of the observation hidden by disclosure control"),
        ("DATA_SOURCE", "Source of the figures"),
    ):
        parts.append(f"<str:Attribute id={quoteattr(attribute)}>{_name(text)}</str:Attribute>")
    parts.append('</str:AttributeList><str:MeasureList id="MeasureDescriptor">')
    for measure in measures:
        parts.append(
            f"<str:Measure id={quoteattr(_sdmx_id(measure))}>{_name(MEASURE_NAMES.get(measure, measure))}"
            "</str:Measure>"
        )
    parts.append(
        "</str:MeasureList></str:DataStructureComponents></str:DataStructure>"
        "</str:DataStructures></mes:Structures></mes:Structure>"
    )
    return "\n".join(parts)
