"""Streaming reader for CSV files of people: encodings, validation, and one reported issue per bad value."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal

from karvon_match import PersonRecord, normalise_text
from karvon_match.features import normalise_nationality

COLUMNS = (
    "record_id", "given_name", "family_name", "patronymic", "sex", "date_of_birth", "nationality",
    "place_of_birth", "document_number",
)  # fmt: skip
# Longer values are not names: they are cut and reported rather than analysed.
MAX_NAME_LENGTH = 200
MAX_RECORD_ID_LENGTH = 200
# Any single field larger than this is a broken file (an unclosed quote swallowing lines).
MAX_FIELD_BYTES = 1 << 20
# Dates before this are typing errors in registers of living people.
EARLIEST_BIRTH_YEAR = 1880
# How much of the file is read to decide between UTF-8 and Windows-1251.
SNIFF_BYTES = 1 << 20

Severity = Literal["error", "warning"]


class UnableToReadPeopleCsv(Exception):
    """The file cannot be read as a CSV of people at all (no header, no record_id column)."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    """Something wrong in one row. An "error" row is not used (and not in the output); a "warning" row is."""

    row_number: int
    record_id: str
    severity: Severity
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class InputRow:
    """An accepted row: `row_number` is the file line where it starts (the header is line 1)."""

    row_number: int
    record: PersonRecord


IssueSink = Callable[[RowIssue], None]


@dataclass(frozen=True, slots=True)
class DetectedEncoding:
    name: str
    had_bom: bool


def detect_encoding(head: bytes, *, complete: bool = True) -> DetectedEncoding:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, otherwise Windows-1251 when the start is not UTF-8.

    `head` is the start of the file; `complete=False` when it may end inside a character.
    """
    if head.startswith(codecs.BOM_UTF8):
        return DetectedEncoding("utf-8", True)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DetectedEncoding("utf-16", True)
    # A multi-byte character may be cut at the end of the sample: decode up to the last line break.
    cut = head.rfind(b"\n")
    sample = head[: cut + 1] if cut >= 0 and (len(head) >= SNIFF_BYTES or not complete) else head
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return DetectedEncoding("cp1251", False)
    return DetectedEncoding("utf-8", False)


# Lead bytes of UTF-8 Cyrillic and Arabic as Windows-1251 (Р С Ш Щ) or Latin-1 (Ð Ñ Ø Ù) show them:
# text that was UTF-8 but decoded in a single-byte encoding upstream ("РЎР°РёРґРѕРІ", "Ð¡Ð°Ð¸Ð´Ð¾Ð²").
_MOJIBAKE_LEAD_RE = re.compile(r"[РСШЩÐÑØÙÃÂ][^\sА-Яа-яA-Za-z]")


def repair_mojibake(value: str) -> str | None:
    """The repaired text when `value` is UTF-8 read in a single-byte encoding, else None.

    Only a strict UTF-8 decoding of the re-encoded bytes counts, which ordinary text almost never passes.
    """
    if not _MOJIBAKE_LEAD_RE.search(value):
        return None
    for single_byte in ("cp1251", "latin-1", "cp1252"):
        try:
            repaired = value.encode(single_byte).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != value:
            return repaired
    return None


class _LineDecoder:
    """Decodes the file line by line, so one badly encoded line costs one row, not the whole file."""

    def __init__(self, binary: BinaryIO, encoding: DetectedEncoding) -> None:
        self._binary = binary
        self._encoding = encoding
        self.line_number = 0
        self.fallback_lines: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        if self._encoding.name == "utf-16":
            text = io.TextIOWrapper(self._binary, encoding="utf-16", errors="replace", newline="")
            for line in text:
                self.line_number += 1
                if "\ufffd" in line:
                    self.fallback_lines[self.line_number] = "undecodable UTF-16 characters replaced"
                yield line.replace("\x00", "")
            return
        primary = self._encoding.name
        first = True
        for raw in self._binary:
            self.line_number += 1
            if first and self._encoding.had_bom:
                raw = raw[len(codecs.BOM_UTF8) :]
            first = False
            try:
                line = raw.decode(primary)
            except UnicodeDecodeError:
                if primary == "utf-8":
                    line = raw.decode("cp1251", errors="replace")
                    self.fallback_lines[self.line_number] = "line is not valid UTF-8; read as Windows-1251"
                else:
                    line = raw.decode(primary, errors="replace")
                    self.fallback_lines[self.line_number] = f"undecodable bytes replaced ({primary})"
            if "\x00" in line:
                line = line.replace("\x00", "")
                self.fallback_lines.setdefault(self.line_number, "NUL bytes removed")
            yield line


_SEXES = {
    "m": "M", "male": "M", "man": "M", "м": "M", "муж": "M", "мужской": "M", "e": "M", "erkak": "M",
    "f": "F", "female": "F", "woman": "F", "ж": "F", "жен": "F", "женский": "F", "k": "F", "ayol": "F",
}  # fmt: skip
_ISO_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED_DATE_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: date | None
    precision: str
    problem: str = ""


@lru_cache(maxsize=65_536)  # dates of birth repeat across a file; parsing is a pure function of the text
def parse_birth_date(text: str) -> ParsedDate:
    """YYYY-MM-DD, YYYY-MM, YYYY (or DD.MM.YYYY); impossible parts are dropped to the precision that is valid.

    A zero day or month ("1990-00-00", "00.00.1990") is how registers write "unknown": it gives a coarser
    precision without complaint. An impossible day (31.02.1990) keeps year and month and is reported.
    """
    text = text.strip()
    if not text:
        return ParsedDate(None, "unknown")
    iso = _ISO_DATE_RE.match(text)
    dotted = None if iso else _DOTTED_DATE_RE.match(text)
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2) or 0), int(iso.group(3) or 0)
    elif dotted:
        day, month, year = int(dotted.group(1)), int(dotted.group(2)), int(dotted.group(3))
    else:
        return ParsedDate(None, "unknown", f"unreadable date {text!r}; treated as unknown")
    if year < EARLIEST_BIRTH_YEAR:
        return ParsedDate(None, "unknown", f"year {year} is not plausible; treated as unknown")
    if not 1 <= month <= 12:
        problem = f"month {month} does not exist in {text!r}; only the year is kept" if month else ""
        return ParsedDate(date(year, 1, 1), "year", problem)
    if day == 0:
        return ParsedDate(date(year, month, 1), "month")
    try:
        return ParsedDate(date(year, month, day), "exact")
    except ValueError:
        return ParsedDate(date(year, month, 1), "month", f"impossible date {text!r}; year and month kept")


@dataclass(frozen=True, slots=True)
class _Cleaned:
    value: str
    notes: tuple[str, ...]


# Names, places and dates repeat across a file (a few thousand distinct values in a million rows):
# cleaning is a pure function of the text, so each distinct value is cleaned once.
_CLEAN_CACHE_SIZE = 65_536


@lru_cache(maxsize=_CLEAN_CACHE_SIZE)
def _clean_text(value: str) -> _Cleaned:
    notes: list[str] = []
    repaired = repair_mojibake(value)
    if repaired is not None:
        notes.append(f"mis-encoded text {value!r} repaired to {repaired!r}")
        value = repaired
    if _CONTROL_RE.search(value):
        value = _CONTROL_RE.sub(" ", value)
        notes.append("control characters removed")
    return _Cleaned(" ".join(value.split()), tuple(notes))


def _letters_in(word: str) -> int:
    return sum(1 for ch in word if unicodedata.category(ch).startswith("L"))


@lru_cache(maxsize=_CLEAN_CACHE_SIZE)
def _clean_name(value: str) -> _Cleaned:
    """Digits removed, over-long values cut, and initials-only names ("A.", "A. K.") treated as missing.

    Initials are not used for matching: "A." against "Akmal" would otherwise count as a disagreement.
    """
    cleaned = _clean_text(value)
    text, notes = cleaned.value, list(cleaned.notes)
    if _DIGITS_RE.search(text):
        text = " ".join(_DIGITS_RE.sub(" ", text).split())
        notes.append(f"digits removed from {value!r}")
    if len(text) > MAX_NAME_LENGTH:
        text = text[:MAX_NAME_LENGTH]
        notes.append(f"longer than {MAX_NAME_LENGTH} characters; cut")
    words = [w for w in re.split(r"[\s.\-]+", normalise_text(text)) if w]
    if words and all(_letters_in(w) <= 1 for w in words):
        notes.append(f"initials only ({text!r}); not used for matching")
        text = ""
    elif text and not words:
        text = ""
    return _Cleaned(text, tuple(notes))


def _split_documents(value: str) -> tuple[str, ...]:
    # Several documents in one field are separated by ";" or "|".
    return tuple(part.strip() for part in re.split(r"[;|]", value) if part.strip())


class PeopleCsvReader:
    """Reads a people CSV as a stream of `InputRow`; every problem goes to `issues` with its row number.

    Nothing is silently dropped: a row is either yielded (possibly with warnings) or reported as an error.
    """

    def __init__(
        self, path: Path, issues: IssueSink, *, today: date | None = None, sniff_bytes: int = SNIFF_BYTES
    ) -> None:
        self.path = path
        self._sniff_bytes = sniff_bytes
        self._issues = issues
        self._today = today
        self.rows_read = 0
        self.rows_rejected = 0
        self.encoding = ""

    def _report(self, row: int, record_id: str, severity: Severity, field: str, reason: str) -> None:
        if severity == "error":
            self.rows_rejected += 1
        self._issues(RowIssue(row, record_id, severity, field, reason))

    def __iter__(self) -> Iterator[InputRow]:
        csv.field_size_limit(MAX_FIELD_BYTES)
        with self.path.open("rb") as binary:
            encoding = detect_encoding(
                binary.read(self._sniff_bytes), complete=self._sniff_bytes >= SNIFF_BYTES
            )
            self.encoding = encoding.name + (" with BOM" if encoding.had_bom else "")
            binary.seek(0)
            lines = _LineDecoder(binary, encoding)
            yield from self._rows(lines)

    def _header(self, reader: Iterator[list[str]]) -> dict[str, int]:
        try:
            header = next(reader)
        except StopIteration:
            raise UnableToReadPeopleCsv(f"{self.path} is empty") from None
        except csv.Error as error:
            raise UnableToReadPeopleCsv(f"{self.path}: the header line cannot be read ({error})") from None
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            key = name.strip().strip("\ufeff").lower()
            if key in COLUMNS and key in positions:
                self._report(1, "", "warning", key, f"column {key!r} appears twice; the first one is used")
            positions.setdefault(key, index)
        if "record_id" not in positions:
            raise UnableToReadPeopleCsv(
                f"{self.path}: no record_id column in the header {header!r} "
                f"(expected columns: {', '.join(COLUMNS)})"
            )
        for column in COLUMNS:
            if column not in positions:
                self._report(
                    1, "", "warning", column, f"column {column!r} is missing; read as blank in every row"
                )
        return positions

    def _rows(self, lines: _LineDecoder) -> Iterator[InputRow]:
        reader = csv.reader(lines)
        positions = self._header(reader)
        width = max(positions.values()) + 1
        while True:
            start = lines.line_number + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.rows_read += 1
                self._report(start, "", "error", "", f"row cannot be parsed as CSV ({error}); skipped")
                continue
            if not fields or all(not f.strip() for f in fields):
                continue  # blank lines are not records
            self.rows_read += 1
            row = self._row(start, fields, positions, width, lines)
            if row is not None:
                yield row

    def _row(
        self, number: int, fields: list[str], positions: dict[str, int], width: int, lines: _LineDecoder
    ) -> InputRow | None:
        def get(column: str) -> str:
            index = positions.get(column)
            return fields[index] if index is not None and index < len(fields) else ""

        record_id = _clean_text(get("record_id")).value
        for line in range(number, lines.line_number + 1):
            note = lines.fallback_lines.pop(line, None)
            if note:
                self._report(number, record_id, "warning", "", note)
        if len(fields) < width:
            self._report(
                number,
                record_id,
                "warning",
                "",
                f"row has {len(fields)} fields, the header {width}; missing ones read as blank",
            )
        if not record_id:
            self._report(number, "", "error", "record_id", "record_id is empty; row not used")
            return None
        if len(record_id) > MAX_RECORD_ID_LENGTH:
            self._report(
                number,
                record_id[:40],
                "error",
                "record_id",
                f"record_id longer than {MAX_RECORD_ID_LENGTH} characters; row not used",
            )
            return None

        def name(column: str) -> tuple[str, ...]:
            cleaned = _clean_name(get(column))
            for note in cleaned.notes:
                self._report(number, record_id, "warning", column, note)
            return (cleaned.value,) if cleaned.value else ()

        given, family, patronymic = name("given_name"), name("family_name"), name("patronymic")
        if not (given or family or patronymic):
            self._report(
                number,
                record_id,
                "warning",
                "given_name",
                "no usable name; the record can only match on other fields",
            )
        sex_text = _clean_text(get("sex")).value
        sex = _SEXES.get(sex_text.lower()) if sex_text else None
        if sex_text and sex is None:
            self._report(number, record_id, "warning", "sex", f"unknown sex {sex_text!r}; treated as blank")
        parsed = parse_birth_date(_clean_text(get("date_of_birth")).value)
        if parsed.problem:
            self._report(number, record_id, "warning", "date_of_birth", parsed.problem)
        birth_date, precision = parsed.value, parsed.precision
        if birth_date is not None and self._today is not None and birth_date > self._today:
            self._report(
                number,
                record_id,
                "warning",
                "date_of_birth",
                f"date of birth {birth_date.isoformat()} is in the future; treated as unknown",
            )
            birth_date, precision = None, "unknown"
        nationality_text = _clean_text(get("nationality")).value
        nationality = normalise_nationality(nationality_text) if nationality_text else None
        if nationality is not None and not (
            len(nationality) == 3 and nationality.isascii() and nationality.isalpha()
        ):
            self._report(
                number,
                record_id,
                "warning",
                "nationality",
                f"nationality {nationality_text!r} is not an ISO alpha-3 code; treated as blank",
            )
            nationality = None
        place = _clean_name(get("place_of_birth"))
        for note in place.notes:
            self._report(number, record_id, "warning", "place_of_birth", note)
        documents = _split_documents(_clean_text(get("document_number")).value)
        record = PersonRecord(
            record_id=record_id,
            given_names=given,
            family_names=family,
            patronymics=patronymic,
            sex=sex,
            birth_date=birth_date,
            birth_date_precision=precision,
            nationality=nationality,
            place_of_birth=place.value or None,
            document_numbers=documents,
        )
        return InputRow(number, record)


class IssueFileWriter:
    """Writes issues to `<output>.errors.csv` as they come, and counts them for the summary."""

    HEADER = ("row_number", "record_id", "severity", "field", "reason")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(self.HEADER)
        self.errors = 0
        self.warnings = 0

    def __call__(self, issue: RowIssue) -> None:
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        self._writer.writerow((issue.row_number, issue.record_id, issue.severity, issue.field, issue.reason))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> IssueFileWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
