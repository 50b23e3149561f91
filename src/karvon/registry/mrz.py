"""Parse and compose ICAO 9303 machine-readable zones (TD3 passports, TD1 ID cards) with all check digits."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "ERROR_MESSAGES",
    "EXPIRY_MAX_YEARS_AHEAD",
    "MrzData",
    "MrzFieldError",
    "UnableToParseMrz",
    "compose_td1",
    "compose_td3",
    "mrz_check_digit",
    "parse_mrz",
]

MrzFormat = Literal["TD1", "TD3"]
DocType = Literal["passport", "national_id", "other"]
DatePrecision = Literal["exact", "month", "year", "unknown"]
Sex = Literal["M", "F", "X"]

# A two-digit expiry year is read as the year with those last two digits in
# [today.year - (99 - EXPIRY_MAX_YEARS_AHEAD), today.year + EXPIRY_MAX_YEARS_AHEAD].
EXPIRY_MAX_YEARS_AHEAD: Final = 20

# English text of every error, by stable code; `MrzFieldError.params` fill the placeholders.
ERROR_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "empty_mrz": "The MRZ is empty",
        "wrong_line_count": (
            "Expected 2 lines of 44 characters (passport, TD3) or 3 lines of 30 characters (ID card, TD1), "
            "got {count} line(s) of {lengths} characters"
        ),
        "wrong_line_length": "Line {line} has {length} characters, a {format} MRZ line must have {expected}",
        "unsupported_td2": (
            "MRZs of 2 lines of 36 characters (TD2, MRV-B visas) are not supported, "
            "only passports (TD3) and ID cards (TD1)"
        ),
        "unsupported_visa": "Visa MRZs (MRV-A, document code '{value}') are not supported",
        "invalid_character": "Line {line}, column {column}: '{char}' (U+{codepoint}) is not an MRZ character",
        "invalid_name_character": (
            "Line {line}, column {column}: '{char}' is not allowed in a name, only letters A–Z and <"
        ),
        "invalid_document_code": "Document code '{value}' is not valid for a {format} MRZ",
        "invalid_issuing_state": "Issuing state '{value}' is not a country code (1–3 letters, then <)",
        "invalid_nationality": "Nationality '{value}' is not a country code (1–3 letters, then <)",
        "missing_document_number": "The document number is empty",
        "missing_name": "The name is empty",
        "invalid_birth_date": "Birth date '{value}' is not a valid YYMMDD date",
        "invalid_expiry_date": "Expiry date '{value}' is not a valid YYMMDD date",
        "invalid_sex": "Sex '{value}' is not M, F or <",
        "check_digit_document_number": (
            "Check digit of the document number is {expected}, the MRZ says {found}"
        ),
        "check_digit_birth_date": "Check digit of the birth date is {expected}, the MRZ says {found}",
        "check_digit_expiry_date": "Check digit of the expiry date is {expected}, the MRZ says {found}",
        "check_digit_optional_data": "Check digit of the optional data is {expected}, the MRZ says {found}",
        "check_digit_composite": "Composite check digit is {expected}, the MRZ says {found}",
    }
)


def _no_params() -> Mapping[str, str | int]:
    return MappingProxyType({})


@dataclass(frozen=True)
class MrzFieldError:
    """One problem; `field` names an `MrzData` field (or "name", "composite", "mrz"), `code` is stable."""

    field: str
    code: str
    message: str
    # Values of the placeholders in ERROR_MESSAGES[code], for translating the message later.
    params: Mapping[str, str | int] = dataclasses.field(default_factory=_no_params, hash=False)


class UnableToParseMrz(Exception):
    def __init__(self, errors: Sequence[MrzFieldError]) -> None:
        self.errors: tuple[MrzFieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


@dataclass(frozen=True)
class MrzData:
    format: MrzFormat
    document_code: str
    doc_type: DocType
    issuing_state: str
    family_name: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    birth_date_precision: DatePrecision
    sex: Sex
    expiry_date: date | None
    optional_data: str
    # TD1 only: optional data of line 2 (line 1's, after any document number overflow, is `optional_data`).
    optional_data_2: str = ""


def _error(field: str, code: str, **params: str | int) -> MrzFieldError:
    return MrzFieldError(field, code, ERROR_MESSAGES[code].format(**params), MappingProxyType(params))


# --- check digits -------------------------------------------------------------------------------

_ALPHABET: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS: Final = (7, 3, 1)


def _char_value(ch: str) -> int:
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"{ch!r} is not an MRZ character")


def mrz_check_digit(value: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating; 0–9 as such, A=10 … Z=35, "<"=0; sum mod 10."""
    return sum(_char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(value)) % 10


def _is_mrz_text(value: str) -> bool:
    return all(ch in _ALPHABET for ch in value)


# --- splitting the pasted text into lines ---------------------------------------------------------

_TD3_LENGTH: Final = 44
_TD1_LENGTH: Final = 30
_TD2_LENGTH: Final = 36
_INVISIBLE: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_FILLER_LOOKALIKES: Final = str.maketrans({"«": "<", "‹": "<", "＜": "<", "〈": "<", "⟨": "<"})
_ASCII_UPPER: Final = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _clean_line(line: str) -> str:
    return "".join(ch for ch in line if not ch.isspace() and ch not in _INVISIBLE).translate(_ASCII_UPPER)


def _fillers(line: str, length: int) -> str:
    """Replace look-alikes of "<"; OCR may read "<<" as one "«", so try that if it makes the length right."""
    one_for_one = line.translate(_FILLER_LOOKALIKES)
    if len(one_for_one) != length and "«" in line:
        doubled = line.replace("«", "<<").translate(_FILLER_LOOKALIKES)
        if len(doubled) == length:
            return doubled
    return one_for_one


_ONE_LINE_FORMATS: Final[tuple[tuple[MrzFormat, int, int], ...]] = (
    ("TD3", _TD3_LENGTH, 2),
    ("TD1", _TD1_LENGTH, 3),
)


def _split_lines(text: str) -> tuple[MrzFormat, tuple[str, ...]]:
    lines = [cleaned for cleaned in map(_clean_line, text.splitlines()) if cleaned]
    if not lines:
        raise UnableToParseMrz([_error("mrz", "empty_mrz")])
    if len(lines) == 1:
        for fmt, length, count in _ONE_LINE_FORMATS:
            whole = _fillers(lines[0], length * count)
            if len(whole) == length * count:
                return _checked_format(
                    fmt, tuple(whole[i : i + length] for i in range(0, len(whole), length))
                )
        if len(lines[0]) == 2 * _TD2_LENGTH:
            raise UnableToParseMrz([_error("mrz", "unsupported_td2")])
    elif len(lines) == 2:
        lengths = {len(line) for line in lines}
        if lengths == {_TD2_LENGTH}:
            raise UnableToParseMrz([_error("mrz", "unsupported_td2")])
        if lengths != {_TD1_LENGTH}:
            return _checked_format("TD3", tuple(_fillers(line, _TD3_LENGTH) for line in lines))
    elif len(lines) == 3:
        return _checked_format("TD1", tuple(_fillers(line, _TD1_LENGTH) for line in lines))
    lengths_text = ", ".join(str(len(line)) for line in lines)
    raise UnableToParseMrz([_error("mrz", "wrong_line_count", count=len(lines), lengths=lengths_text)])


def _checked_format(fmt: MrzFormat, lines: tuple[str, ...]) -> tuple[MrzFormat, tuple[str, ...]]:
    expected = _TD3_LENGTH if fmt == "TD3" else _TD1_LENGTH
    errors = [
        _error("mrz", "wrong_line_length", line=number, length=len(line), format=fmt, expected=expected)
        for number, line in enumerate(lines, start=1)
        if len(line) != expected
    ]
    if errors:
        raise UnableToParseMrz(errors)
    if fmt == "TD3" and lines[0].startswith("V"):
        raise UnableToParseMrz([_error("mrz", "unsupported_visa", value=lines[0][:2])])
    return fmt, lines


# --- field layouts: (field, start, end) per line, 0-based, end exclusive, check digits included ----

_Layout = tuple[tuple[tuple[str, int, int], ...], ...]

_TD3_LAYOUT: Final[_Layout] = (
    (("document_code", 0, 2), ("issuing_state", 2, 5), ("name", 5, 44)),
    (
        ("document_number", 0, 10),
        ("nationality", 10, 13),
        ("birth_date", 13, 20),
        ("sex", 20, 21),
        ("expiry_date", 21, 28),
        ("optional_data", 28, 43),
        ("composite", 43, 44),
    ),
)
_TD1_LAYOUT: Final[_Layout] = (
    (("document_code", 0, 2), ("issuing_state", 2, 5), ("document_number", 5, 15), ("optional_data", 15, 30)),
    (
        ("birth_date", 0, 7),
        ("sex", 7, 8),
        ("expiry_date", 8, 15),
        ("nationality", 15, 18),
        ("optional_data_2", 18, 29),
        ("composite", 29, 30),
    ),
    (("name", 0, 30),),
)


def _bad_characters(lines: tuple[str, ...], layout: _Layout, errors: list[MrzFieldError]) -> set[str]:
    """Report the first non-MRZ character of each field; return the fields that have one."""
    tainted: set[str] = set()
    for line_number, (line, spans) in enumerate(zip(lines, layout, strict=True), start=1):
        for field, start, end in spans:
            for column in range(start, end):
                ch = line[column]
                if ch not in _ALPHABET:
                    errors.append(
                        _error(
                            field,
                            "invalid_character",
                            line=line_number,
                            column=column + 1,
                            char=ch,
                            codepoint=f"{ord(ch):04X}",
                        )
                    )
                    tainted.add(field)
                    break
    return tainted


# --- field parsers: they report problems into `errors` and return a stand-in value when there are any ---

_COUNTRY: Final = re.compile(r"[A-Z]{1,3}<{0,2}")
_DOCUMENT_CODE: Final = re.compile(r"[A-Z][A-Z0-9<]")


def _document_code(raw: str, fmt: MrzFormat, errors: list[MrzFieldError]) -> str:
    if not _DOCUMENT_CODE.fullmatch(raw) or (fmt == "TD3" and raw[0] != "P"):
        errors.append(_error("document_code", "invalid_document_code", value=raw, format=fmt))
    return raw.rstrip("<")


def _doc_type(code: str) -> DocType:
    if code.startswith("P"):
        return "passport"
    # "IR" is used for residence permits and "IP" for passport cards: neither is a national ID card.
    if code.startswith("I") and code not in ("IR", "IP"):
        return "national_id"
    return "other"


def _country(raw: str, field: str, errors: list[MrzFieldError]) -> str:
    if not _COUNTRY.fullmatch(raw):
        errors.append(_error(field, f"invalid_{field}", value=raw))
    return raw.rstrip("<")


def _words(raw: str) -> str:
    return " ".join(word for word in raw.split("<") if word)


def _name(raw: str, line: int, start: int, errors: list[MrzFieldError]) -> tuple[str, str]:
    for offset, ch in enumerate(raw):
        if not ("A" <= ch <= "Z" or ch == "<"):
            errors.append(
                _error("name", "invalid_name_character", line=line, column=start + offset + 1, char=ch)
            )
            break
    primary, _, secondary = raw.partition("<<")
    family, given = _words(primary), _words(secondary)
    if not family and not given:
        errors.append(_error("name", "missing_name"))
    return family, given


def _sex(raw: str, errors: list[MrzFieldError]) -> Sex:
    if raw == "M":
        return "M"
    if raw == "F":
        return "F"
    if raw not in ("<", "X"):
        errors.append(_error("sex", "invalid_sex", value=raw))
    return "X"


def _two_digits(raw: str) -> int | None:
    return int(raw) if len(raw) == 2 and raw.isdigit() else None


def _birth_date(raw: str, today: date, errors: list[MrzFieldError]) -> tuple[date | None, DatePrecision]:
    """YYMMDD with unknown parts as "<<" (from the right); the century puts the date at or before today."""
    if raw == "<<<<<<":
        return None, "unknown"
    yy, mm, dd = _two_digits(raw[0:2]), _two_digits(raw[2:4]), _two_digits(raw[4:6])
    parts: tuple[int, int, int, DatePrecision] | None = None
    if yy is not None and mm is not None and dd is not None:
        parts = (yy, mm, dd, "exact")
    elif yy is not None and mm is not None and raw[4:6] == "<<":
        parts = (yy, mm, 0, "month")
    elif yy is not None and raw[2:6] == "<<<<":
        parts = (yy, 0, 0, "year")
    if parts is not None:
        yy, mm, dd, precision = parts
        year = today.year - (today.year - yy) % 100
        # Unknown parts are 0 on both sides, so only the known ones are compared with today.
        if (year, mm, dd) > (today.year, today.month if mm else 0, today.day if dd else 0):
            year -= 100
        try:
            return date(year, mm if precision != "year" else 1, dd if precision == "exact" else 1), precision
        except ValueError:
            pass
    errors.append(_error("birth_date", "invalid_birth_date", value=raw))
    return None, "unknown"


def _expiry_date(raw: str, today: date, errors: list[MrzFieldError]) -> date | None:
    if raw == "<<<<<<":
        return None
    yy, mm, dd = _two_digits(raw[0:2]), _two_digits(raw[2:4]), _two_digits(raw[4:6])
    if yy is not None and mm is not None and dd is not None:
        latest = today.year + EXPIRY_MAX_YEARS_AHEAD
        try:
            return date(latest - (latest - yy) % 100, mm, dd)
        except ValueError:
            pass
    errors.append(_error("expiry_date", "invalid_expiry_date", value=raw))
    return None


def _check(
    errors: list[MrzFieldError], field: str, data: str, found: str, *, filler_ok: bool = False
) -> bool | None:
    """Verify a check digit: True if right, False if wrong (reported), None if it cannot be computed."""
    if not _is_mrz_text(data) or not _is_mrz_text(found):
        return None
    expected = mrz_check_digit(data)
    if found == str(expected) or (filler_ok and found == "<"):
        return True
    errors.append(_error(field, f"check_digit_{field}", expected=expected, found=found))
    return False


def _check_composite(errors: list[MrzFieldError], checks: list[bool | None], data: str, found: str) -> None:
    # A wrong character covered by a field's check digit breaks the composite too; saying so twice only
    # confuses, so the composite is reported only when every field check digit is right.
    if False not in checks:
        _check(errors, "composite", data, found)


def _document_number(raw: str, errors: list[MrzFieldError]) -> str:
    number = raw.rstrip("<")
    if not number:
        errors.append(_error("document_number", "missing_document_number"))
    return number


# --- the two formats --------------------------------------------------------------------------------


def _parse_td3(lines: tuple[str, ...], today: date, errors: list[MrzFieldError], bad: set[str]) -> MrzData:
    first, second = lines
    code = _document_code(first[0:2], "TD3", errors) if "document_code" not in bad else ""
    issuing_state = _country(first[2:5], "issuing_state", errors) if "issuing_state" not in bad else ""
    family, given = _name(first[5:44], 1, 5, errors) if "name" not in bad else ("", "")
    number = _document_number(second[0:9], errors) if "document_number" not in bad else ""
    nationality = _country(second[10:13], "nationality", errors) if "nationality" not in bad else ""
    birth, precision = (
        _birth_date(second[13:19], today, errors) if "birth_date" not in bad else (None, "unknown")
    )
    sex = _sex(second[20], errors) if "sex" not in bad else "X"
    expiry = _expiry_date(second[21:27], today, errors) if "expiry_date" not in bad else None
    optional = second[28:42].rstrip("<")

    checks = [
        _check(errors, "document_number", second[0:9], second[9])
        if number or "document_number" in bad
        else False,
        _check(errors, "birth_date", second[13:19], second[19], filler_ok=second[13:19] == "<<<<<<"),
        _check(errors, "expiry_date", second[21:27], second[27], filler_ok=second[21:27] == "<<<<<<"),
        _check(errors, "optional_data", second[28:42], second[42], filler_ok=not optional),
    ]
    _check_composite(errors, checks, second[0:10] + second[13:20] + second[21:43], second[43])
    return MrzData(
        format="TD3",
        document_code=code,
        doc_type=_doc_type(code),
        issuing_state=issuing_state,
        family_name=family,
        given_names=given,
        document_number=number,
        nationality=nationality,
        birth_date=birth,
        birth_date_precision=precision,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional,
    )


def _td1_number_and_optional(first: str) -> tuple[str, str, str]:
    """(document number as in the MRZ, its check digit, optional data of line 1).

    A number longer than 9 characters keeps its first 9 in columns 6–14, "<" in column 15, and continues at
    the start of the optional data, followed by its check digit and a "<" (ICAO 9303-5 §4.2.2, note j).
    """
    field, check, rest = first[5:14], first[14], first[15:30]
    if check != "<" or field.endswith("<"):
        return field, check, rest.rstrip("<")
    end = rest.find("<")
    if end == -1:
        end = len(rest)
    if end == 0:
        return field, check, rest.rstrip("<")
    return field + rest[: end - 1], rest[end - 1], rest[end + 1 :].rstrip("<")


def _parse_td1(lines: tuple[str, ...], today: date, errors: list[MrzFieldError], bad: set[str]) -> MrzData:
    first, second, third = lines
    code = _document_code(first[0:2], "TD1", errors) if "document_code" not in bad else ""
    issuing_state = _country(first[2:5], "issuing_state", errors) if "issuing_state" not in bad else ""
    raw_number, number_check, optional = _td1_number_and_optional(first)
    number_bad = bool(bad & {"document_number", "optional_data"})
    number = _document_number(raw_number, errors) if not number_bad else ""
    birth, precision = (
        _birth_date(second[0:6], today, errors) if "birth_date" not in bad else (None, "unknown")
    )
    sex = _sex(second[7], errors) if "sex" not in bad else "X"
    expiry = _expiry_date(second[8:14], today, errors) if "expiry_date" not in bad else None
    nationality = _country(second[15:18], "nationality", errors) if "nationality" not in bad else ""
    optional_2 = second[18:29].rstrip("<")
    family, given = _name(third, 3, 0, errors) if "name" not in bad else ("", "")

    checks = [
        _check(errors, "document_number", raw_number, number_check) if number or number_bad else False,
        _check(errors, "birth_date", second[0:6], second[6], filler_ok=second[0:6] == "<<<<<<"),
        _check(errors, "expiry_date", second[8:14], second[14], filler_ok=second[8:14] == "<<<<<<"),
    ]
    _check_composite(errors, checks, first[5:30] + second[0:7] + second[8:15] + second[18:29], second[29])
    return MrzData(
        format="TD1",
        document_code=code,
        doc_type=_doc_type(code),
        issuing_state=issuing_state,
        family_name=family,
        given_names=given,
        document_number=number,
        nationality=nationality,
        birth_date=birth,
        birth_date_precision=precision,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional,
        optional_data_2=optional_2,
    )


def parse_mrz(text: str, *, today: date) -> MrzData:
    """Read a pasted TD3 (2×44) or TD1 (3×30) MRZ; raise UnableToParseMrz listing every problem found.

    Whitespace anywhere, blank lines, lower case and "«" for "<" are tolerated; a single line of 88 or 90
    characters is split. `today` picks the century of two-digit years: birth dates fall on or before
    today, expiry dates at most EXPIRY_MAX_YEARS_AHEAD years ahead. A partly unknown birth date is returned
    as the first day of its month or year, with `birth_date_precision` saying so.
    """
    fmt, lines = _split_lines(text)
    errors: list[MrzFieldError] = []
    bad = _bad_characters(lines, _TD3_LAYOUT if fmt == "TD3" else _TD1_LAYOUT, errors)
    data = (_parse_td3 if fmt == "TD3" else _parse_td1)(lines, today, errors, bad)
    if errors:
        raise UnableToParseMrz(errors)
    return data


# --- composing (for tests, specimens and printing) -------------------------------------------------


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _compose_code(document_code: str, fmt: MrzFormat) -> str:
    code = document_code.rstrip("<")
    _require(bool(re.fullmatch(r"[A-Z][A-Z0-9]?", code)), f"document code {document_code!r} is not A–Z, 0–9")
    _require(fmt == "TD1" or code[0] == "P", f"a TD3 document code must start with P, not {document_code!r}")
    _require(code[0] != "V", "visa MRZs are not supported")
    return code.ljust(2, "<")


def _compose_country(value: str, what: str) -> str:
    code = value.rstrip("<")
    _require(bool(re.fullmatch(r"[A-Z]{1,3}", code)), f"{what} {value!r} must be 1–3 letters A–Z")
    return code.ljust(3, "<")


def _name_part(value: str, what: str) -> str:
    words = [word for word in re.split(r"[\s<]+", value) if word]
    _require(all(re.fullmatch(r"[A-Z]+", word) for word in words), f"{what} {value!r} must be letters A–Z")
    return "<".join(words)


def _compose_name(family_name: str, given_names: str, width: int) -> str:
    family = _name_part(family_name, "family name")
    given = _name_part(given_names, "given names")
    _require(bool(family or given), "a name is required")
    name = f"{family}<<{given}" if given else family
    _require(len(name) <= width, f"the name needs {len(name)} characters, the MRZ has {width}")
    return name.ljust(width, "<")


def _compose_birth(birth_date: date | None, precision: DatePrecision) -> str:
    if birth_date is None or precision == "unknown":
        return "<<<<<<"
    text = _yymmdd(birth_date)
    return {"exact": text, "month": text[:4] + "<<", "year": text[:2] + "<<<<"}[precision]


def _compose_sex(sex: str) -> str:
    _require(sex in ("M", "F", "X", "<"), f"sex {sex!r} must be M, F, X or <")
    return "<" if sex == "X" else sex


def _compose_optional(value: str, width: int, what: str) -> str:
    _require(_is_mrz_text(value), f"{what} {value!r} may only hold A–Z, 0–9 and <")
    _require(len(value) <= width, f"{what} {value!r} is longer than {width} characters")
    return value.ljust(width, "<")


def _yymmdd(value: date) -> str:
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _with_check(value: str) -> str:
    return value + str(mrz_check_digit(value))


def compose_td3(
    *,
    document_code: str = "P",
    issuing_state: str,
    family_name: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date | None,
    optional_data: str = "",
    birth_date_precision: DatePrecision = "exact",
) -> str:
    """Two lines of 44 joined by "\\n", with all check digits; names must already be A–Z."""
    _require(bool(re.fullmatch(r"[A-Z0-9]{1,9}", document_number)), "document number: 1–9 of A–Z, 0–9")
    optional = _compose_optional(optional_data, 14, "optional data")
    first = _compose_code(document_code, "TD3") + _compose_country(issuing_state, "issuing state")
    first += _compose_name(family_name, given_names, 39)
    second = (
        _with_check(document_number.ljust(9, "<"))
        + _compose_country(nationality, "nationality")
        + _with_check(_compose_birth(birth_date, birth_date_precision))
        + _compose_sex(sex)
        + _with_check(_yymmdd(expiry_date) if expiry_date else "<<<<<<")
        + optional
        + (str(mrz_check_digit(optional)) if optional.strip("<") else "<")
    )
    second += str(mrz_check_digit(second[0:10] + second[13:20] + second[21:43]))
    return f"{first}\n{second}"


def compose_td1(
    *,
    document_code: str = "I",
    issuing_state: str,
    family_name: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date | None,
    optional_data: str = "",
    optional_data_2: str = "",
    birth_date_precision: DatePrecision = "exact",
) -> str:
    """Three lines of 30 joined by "\\n"; a number over 9 characters continues in the optional data."""
    _require(bool(re.fullmatch(r"[A-Z0-9]+", document_number)), "the document number must be A–Z, 0–9")
    _require(_is_mrz_text(optional_data), f"optional data {optional_data!r} may only hold A–Z, 0–9 and <")
    if len(document_number) <= 9:
        number = _with_check(document_number.ljust(9, "<")) + _compose_optional(
            optional_data, 15, "optional data"
        )
    else:
        overflow = _with_check(document_number)[9:] + (f"<{optional_data}" if optional_data else "")
        _require(len(overflow) <= 15, "the document number and optional data do not fit in line 1")
        number = document_number[:9] + "<" + overflow.ljust(15, "<")
    first = _compose_code(document_code, "TD1") + _compose_country(issuing_state, "issuing state") + number
    second = (
        _with_check(_compose_birth(birth_date, birth_date_precision))
        + _compose_sex(sex)
        + _with_check(_yymmdd(expiry_date) if expiry_date else "<<<<<<")
        + _compose_country(nationality, "nationality")
        + _compose_optional(optional_data_2, 11, "optional data 2")
    )
    second += str(mrz_check_digit(first[5:30] + second[0:7] + second[8:15] + second[18:29]))
    third = _compose_name(family_name, given_names, 30)
    return f"{first}\n{second}\n{third}"
