"""Reading CSV files of people: encodings, bad values, and nothing dropped without a report."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from karvon.matching.csv_input import (
    PeopleCsvReader,
    RowIssue,
    UnableToReadPeopleCsv,
    detect_encoding,
    parse_birth_date,
    repair_mojibake,
)

HEADER = (
    "record_id,given_name,family_name,patronymic,sex,date_of_birth,nationality,place_of_birth,"
    "document_number\n"
)


def read(path: Path, sniff_bytes: int = 1 << 20) -> tuple[list[object], list[RowIssue]]:
    issues: list[RowIssue] = []
    rows = list(PeopleCsvReader(path, issues.append, today=date(2026, 11, 28), sniff_bytes=sniff_bytes))
    return rows, issues


def write(tmp_path: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode(encoding))
    return path


def test_it_reads_utf8_with_a_bom(tmp_path: Path) -> None:
    rows, issues = read(
        write(tmp_path, HEADER + "1,Мухаммад,Саидов,,M,1990-03-04,TJK,Душанбе,A123\n", bom=True)
    )
    assert [r.record.family_names for r in rows] == [("Саидов",)]  # type: ignore[attr-defined]
    assert issues == []


def test_it_reads_windows_1251(tmp_path: Path) -> None:
    rows, _ = read(write(tmp_path, HEADER + "1,Мухаммад,Саидов,,M,1990,,,\n", encoding="cp1251"))
    assert rows[0].record.given_names == ("Мухаммад",)  # type: ignore[attr-defined]
    assert detect_encoding("Саидов".encode("cp1251")).name == "cp1251"


def test_a_line_in_another_encoding_is_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        (HEADER + "1,Акмал,Каримов,,,,,,\n").encode() + "2,Мухаммад,Саидов,,,,,,\n".encode("cp1251")
    )
    # The encoding is decided on the start of the file; here the odd line comes after it.
    rows, issues = read(path, sniff_bytes=len(HEADER) + 10)
    assert len(rows) == 2
    assert rows[1].record.family_names == ("Саидов",)  # type: ignore[attr-defined]
    assert issues[0].row_number == 3 and "Windows-1251" in issues[0].reason


def test_it_repairs_utf8_read_as_windows_1251() -> None:
    assert repair_mojibake("Саидов".encode().decode("cp1251")) == "Саидов"
    assert repair_mojibake("Muñoz") is None


def test_impossible_and_partial_dates_keep_what_is_valid() -> None:
    assert parse_birth_date("31.02.1990").value == date(1990, 2, 1)
    assert parse_birth_date("31.02.1990").precision == "month"
    assert parse_birth_date("31.02.1990").problem
    assert parse_birth_date("1990-00-00").precision == "year"
    assert parse_birth_date("1990-07").precision == "month"
    assert parse_birth_date("1990").value == date(1990, 1, 1)
    assert parse_birth_date("soon").value is None
    assert parse_birth_date("0000-01-01").problem


def test_bad_values_are_reported_with_their_row_and_the_record_is_kept(tmp_path: Path) -> None:
    text = HEADER + (
        "1,A.,Karimov,,X,31.02.1990,Tajikistan,,\n"
        "2,Akmal2,Karimov,,M,2999-01-01,T1,,\n"
        ",Nobody,Noname,,,,,,\n"
        '3,"Rustam",,,,,,,\n'
    )
    rows, issues = read(write(tmp_path, text))
    assert [r.record.record_id for r in rows] == ["1", "2", "3"]  # type: ignore[attr-defined]
    first, second = rows[0].record, rows[1].record  # type: ignore[attr-defined]
    assert first.given_names == () and first.sex is None and first.nationality == "TJK"
    assert first.birth_date == date(1990, 2, 1) and first.birth_date_precision == "month"
    assert second.given_names == ("Akmal",) and second.birth_date is None and second.nationality is None
    reasons = {(i.row_number, i.field, i.severity) for i in issues}
    assert (2, "given_name", "warning") in reasons  # initials only
    assert (2, "sex", "warning") in reasons
    assert (2, "date_of_birth", "warning") in reasons
    assert (3, "given_name", "warning") in reasons  # digits
    assert (3, "date_of_birth", "warning") in reasons  # in the future
    assert (3, "nationality", "warning") in reasons
    assert (4, "record_id", "error") in reasons


def test_quoted_newlines_and_short_rows_keep_row_numbers(tmp_path: Path) -> None:
    text = HEADER + '1,"Akmal\nRustam",Karimov\n2,Dilnoza,Saidova,,F,1992-05-06,,,\n'
    rows, issues = read(write(tmp_path, text))
    assert [r.row_number for r in rows] == [2, 4]  # type: ignore[attr-defined]
    assert issues[0].row_number == 2 and "fields" in issues[0].reason


def test_extra_columns_are_ignored_and_missing_ones_reported(tmp_path: Path) -> None:
    rows, issues = read(write(tmp_path, "Record_ID,family_name,remarks\n1,Karimov,VIP\n"))
    assert rows[0].record.family_names == ("Karimov",)  # type: ignore[attr-defined]
    assert {i.field for i in issues} >= {"given_name", "date_of_birth"}


def test_a_file_without_record_id_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(UnableToReadPeopleCsv, match="record_id"):
        read(write(tmp_path, "id,name\n1,x\n"))
    with pytest.raises(UnableToReadPeopleCsv, match="empty"):
        read(write(tmp_path, ""))
