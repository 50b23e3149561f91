"""The printable meeting report: one state, one year, the dashboard's protected tables and simple charts, as PDF."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

# The certificates' vendored DejaVu Sans covers Cyrillic; one copy of the font serves both documents.
from karvon.certificates.pdf import FONT, FONT_DIR
from karvon.statistics.charts import population_measures
from karvon.statistics.contracts import ATTRIBUTION, LICENCE, Dashboard, RateRow
from karvon.statistics.notes import disclosure_rule
from karvon.statistics.procedures import DurationRow

MARGIN = 15.0
WIDTH = 210.0 - 2 * MARGIN
INK = (20, 20, 20)
MUTED = (100, 100, 100)
BAR = (0, 114, 178)
BAR_OTHER = (230, 159, 0)
HIDDEN = "·"
NOT_APPLICABLE = "–"
SIDES = ("female", "male", "total")
Cell = str | int | float | Decimal | None


def _number(value: Cell, *, hidden: bool = False) -> str:
    if hidden:
        return HIDDEN
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return formats.number_format(value, decimal_pos=1, force_grouping=True)


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _rate(value: Decimal | None) -> str:
    return NOT_APPLICABLE if value is None else f"{_number(value)} %"


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("Karvon")

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(WIDTH / 2, 4, self.report_title)
        self.cell(WIDTH / 2, 4, _("Page %(page)s") % {"page": self.page_no()}, align="R")
        self.set_text_color(*INK)

    def room(self, height: float) -> None:
        """A new page unless `height` fits: a chart cut by a page break would be drawn over the footer."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    def fitted(self, text: str, width: float) -> str:
        """The text shortened with an ellipsis to fit `width` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def heading(self, text: str) -> None:
        # A heading alone at the foot of a page reads as belonging to the page before: keep it with its table.
        self.room(45)
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.multi_cell(WIDTH, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, *, size: float = 8, muted: bool = True) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(WIDTH, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        self.set_font(FONT, "", 7.5)
        self.set_fill_color(255, 255, 255)
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align=("LEFT", *("RIGHT",) * (len(widths) - 1)),
            line_height=5,
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            for values in (header, *rows):
                line = table.row()
                for value in values:
                    line.cell(value)
        self.ln(2)

    def bars(self, items: Sequence[tuple[str, int | float | None, bool]], *, unit: str = "") -> None:
        """Horizontal bars, one per label: a hidden figure is a mark and the word "hidden", never a bar of 0."""
        known = [value for _label, value, hidden in items if value is not None and not hidden]
        if not known and not any(hidden for *_rest, hidden in items):
            return  # nothing to draw: the table above already says "–"
        top = max(known, default=0) or 1
        label_width, bar_width = 62.0, WIDTH - 62.0 - 25.0
        self.set_font(FONT, "", 7.5)
        self.room(len(items) * 4.8 + 2)
        for label, value, hidden in items:
            y = self.get_y()
            self.cell(label_width, 4.5, self.fitted(label, label_width - 2))
            if hidden or value is None:
                self.set_text_color(*MUTED)
                self.cell(bar_width, 4.5, HIDDEN + " " + _("hidden") if hidden else NOT_APPLICABLE)
                self.set_text_color(*INK)
            else:
                self.set_fill_color(*BAR)
                self.rect(MARGIN + label_width, y + 0.8, max(bar_width * value / top, 0.3), 3, style="F")
                self.set_x(MARGIN + label_width + bar_width * value / top + 1.5)
                self.cell(25, 4.5, _number(value) + unit)
            self.set_xy(MARGIN, y + 4.8)
        self.set_fill_color(255, 255, 255)
        self.ln(2)

    def pyramid(self, bands: Sequence[tuple[str, int | None, int | None]]) -> None:
        """Women to the left of the centre line, men to the right; a hidden band shows its mark on its side."""
        known = [value for _band, *sides in bands for value in sides if value is not None]
        top = max(known, default=0) or 1
        centre, half = MARGIN + WIDTH / 2, WIDTH / 2 - 30
        self.set_font(FONT, "", 7.5)
        self.room(len(bands) * 4.8 + 8)
        self.set_text_color(*MUTED)
        self.cell(WIDTH / 2, 4, _("Female"), align="C")
        self.cell(WIDTH / 2, 4, _("Male"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        for band, female, male in reversed(bands):
            y = self.get_y()
            for value, direction, colour in ((female, -1, BAR), (male, 1, BAR_OTHER)):
                if value is None:
                    self.set_xy(centre + direction * 8 - 4, y)
                    self.set_text_color(*MUTED)
                    self.cell(8, 4.5, HIDDEN, align="C")
                    self.set_text_color(*INK)
                    continue
                length = max(half * value / top, 0.3)
                self.set_fill_color(*colour)
                left = centre - length if direction < 0 else centre
                self.rect(left, y + 0.8, length, 3, style="F")
                text_x = left - 16 if direction < 0 else centre + length + 1
                self.set_xy(text_x, y)
                self.cell(15, 4.5, _number(value), align="R" if direction < 0 else "L")
            self.set_xy(MARGIN, y)
            self.cell(14, 4.5, band)
            self.set_xy(MARGIN, y + 4.8)
        self.set_fill_color(255, 255, 255)
        self.ln(2)


def _decision_rows(rates: Sequence[RateRow], label: str) -> list[list[str]]:
    return [
        [
            f"{label} ({row.unit})",
            _number(row.recognized, hidden=row.withheld),
            _number(row.complementary, hidden=row.withheld),
            _number(row.rejected, hidden=row.withheld),
            _number(row.closed, hidden=row.withheld),
            _number(row.n, hidden=row.withheld),
            _rate(row.refugee_recognition_rate) + (" *" if row.small_denominator else ""),
            _rate(row.total_protection_rate),
        ]
        for row in rates
    ]


def _duration_rows(rows: Sequence[DurationRow], threshold: int) -> list[list[str]]:
    return [
        [
            row.label,
            f"< {threshold}" if row.protected else _number(row.cases),
            _number(row.median_days),
            _number(row.p90_days),
        ]
        for row in rows
    ]


def meeting_report_pdf(data: Dashboard, *, year: int) -> bytes:
    """The report in the active language: every figure is one the dashboard would show for that year."""
    title = _("Statistics of %(state)s, %(year)s") % {"state": data.state_name, "year": year}
    pdf = _Report(title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(WIDTH, 8, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(
        disclosure_rule(data.threshold, data.disclosure_method)
        + " "
        + _("“–” means not applicable. Source of UNHCR figures: %(attribution)s (%(licence)s).")
        % {"attribution": ATTRIBUTION, "licence": LICENCE}
    )
    for note in data.notes:
        # Some notes already open with their year.
        pdf.paragraph(note.text if note.text.startswith(str(note.year)) else f"{note.year}: {note.text}")

    pdf.heading(_("Population by type") + f" · {year}")
    national_only = dict(population_measures(national=True))
    unhcr, national = (
        _first_row(data.population.rows, national_only),
        _first_row(data.population_national.rows, national_only),
    )
    pdf.grid(
        [_("Measure"), _("UNHCR"), _("National")],
        [
            [label, _number(unhcr[m][0], hidden=unhcr[m][1]), _number(national[m][0], hidden=national[m][1])]
            for m, label in national_only.items()
        ],
        (70, 40, 40),
    )
    pdf.bars([(label, *unhcr[m]) for m, label in population_measures(national=False)])

    pdf.heading(_("Decisions and recognition rates") + f" · {year}")
    header = [
        _("Source (unit)"),
        _("Recognised"),
        _("Complementary"),
        _("Rejected"),
        _("Otherwise closed"),
        "n",
        _("Refugee recognition rate"),
        _("Total protection rate"),
    ]
    rows = _decision_rows(data.rates, _("UNHCR"))
    rows += _decision_rows(data.rates_first_instance, _("UNHCR, first instance"))
    rows += _decision_rows(data.rates_national, _("National"))
    if rows:
        pdf.grid(header, rows, (27, 21, 27, 18, 20, 12, 27, 27))
        rated = [
            *((_("UNHCR"), row) for row in data.rates),
            *((_("UNHCR, first instance"), row) for row in data.rates_first_instance),
            *((_("National"), row) for row in data.rates_national),
        ]
        pdf.paragraph(_("Refugee recognition rate"), muted=False)
        pdf.bars(
            [
                (f"{label} ({row.unit})", _percent(row.refugee_recognition_rate), row.withheld)
                for label, row in rated
            ],
            unit=" %",
        )
    else:
        pdf.paragraph(_("No decisions for these years."), muted=False)
    pdf.paragraph(
        _(
            "Refugee recognition rate = recognised / (recognised + complementary + rejected); total protection "
            "rate = (recognised + complementary) / the same. Otherwise closed is in neither. n is the "
            "denominator; P persons, C cases. * small n: read with care."
        )
    )

    origins = data.origins.rows[:10]
    origins_year = origins[0]["year"] if origins else year
    pdf.heading(_("Countries of origin") + f" · {origins_year}")
    measures = population_measures(national=False)
    pdf.grid(
        [_("Origin"), *(label for _m, label in measures)],
        [
            [
                f"{row.get('coo_name', '')} ({row.get('coo_iso', '')})"[:38],
                *(_number(row.get(m), hidden=m in row.get("suppressed", [])) for m, _label in measures),
            ]
            for row in origins
        ]
        or [[_("No figures."), *("",) * len(measures)]],
        (58, 22, 28, 26, 16, 30),
    )

    pdf.heading(_("Sex and age") + (f" · {data.pyramid_year}" if data.pyramid_year else ""))
    if data.pyramid:
        pdf.grid(
            [_("Age"), _("Female"), _("Male"), _("Total")],
            [
                [str(band["band"]), *(_number(band[side], hidden=band[side] is None) for side in SIDES)]
                for band in data.pyramid
            ],
            (40, 35, 35, 35),
        )
        pdf.pyramid([(str(b["band"]), b["female"], b["male"]) for b in data.pyramid[:-1]])
    else:
        pdf.paragraph(_("No demographic figures."), muted=False)

    pdf.heading(_("Processing times (national asylum procedure)") + f" · {year}")
    duration_header = [_("Year of decision"), _("Cases"), _("Median"), _("90th percentile")]
    pdf.grid(
        duration_header, _duration_rows(data.processing.first_instance, data.threshold), (50, 30, 30, 30)
    )
    if data.processing.stages:
        pdf.grid(
            [_("Stage"), *duration_header[1:]],
            _duration_rows(data.processing.stages, data.threshold),
            (70, 30, 30, 30),
        )
    pdf.paragraph(
        _(
            "Groups of fewer than %(threshold)s cases show no duration: the dates of a few cases would be "
            "recognisable."
        )
        % {"threshold": data.threshold}
    )

    if data.presence:
        pdf.heading(_("Presence (national)") + f" · {data.presence_date}")
        lines = [*data.presence, *([data.registration_missed] if data.registration_missed else [])]
        pdf.grid(
            [_("Status at the reference date"), _("People present")],
            [[line.label, _number(line.value, hidden=line.hidden)] for line in lines],
            (110, 40),
        )
        pdf.bars([(line.label, line.value, line.hidden) for line in data.presence[:-1]])
        if data.needs:
            pdf.grid(
                [_("Specific needs (UNHCR categories) of the people counted"), _("People")],
                [
                    [line.label[:70], _number(line.value, hidden=line.hidden)]
                    for line in [*data.needs, *([data.needs_persons] if data.needs_persons else [])]
                ],
                (130, 30),
            )
            pdf.paragraph(_("A person with needs in several categories counts in each of them."))
    return bytes(pdf.output())


def _first_row(rows: list[dict[str, object]], measures: dict[str, str]) -> dict[str, tuple[int | None, bool]]:
    """The year's one row (the report asks for one year, and every origin summed) as (value, hidden)."""
    row = rows[0] if rows else {}
    suppressed = row.get("suppressed") or []
    return {
        m: (value if isinstance(value := row.get(m), int) else None, m in suppressed)  # type: ignore[operator]
        for m in measures
    }
