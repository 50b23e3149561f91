"""Reading UNHCR's files: the real ones pass; a bad file is named with its row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from karvon.statistics.tests.conftest import UNHCR_DIR
from karvon.statistics.unhcr_files import DATASETS, UnableToLoadUnhcrFile, read_all

HEADER = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,dec_recognized,dec_other,"
    "dec_rejected,dec_closed,dec_total"
)
GOOD = "2024,Afghanistan,AFG,AFG,Kazakhstan,KAZ,KAZ,G,FI,P,5,0,10,0,15"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small copy: the real countries.csv and the first rows of each dataset."""
    shutil.copy(UNHCR_DIR / "countries.csv", tmp_path / "countries.csv")
    for spec in DATASETS:
        lines = (UNHCR_DIR / spec.file_name).read_text(encoding="utf-8").splitlines()[:30]
        (tmp_path / spec.file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def with_decisions(directory: Path, *lines: str) -> Path:
    (directory / "asylum_decisions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def error_of(directory: Path) -> UnableToLoadUnhcrFile:
    with pytest.raises(UnableToLoadUnhcrFile) as caught:
        read_all(directory, last_year=2026)
    return caught.value


def test_it_reads_all_of_unhcrs_real_files() -> None:
    countries, datasets = read_all(UNHCR_DIR, last_year=2026)
    assert len(countries) > 200
    assert {name: len(rows) for name, rows in datasets.items()} == {
        "population": 15651,
        "asylum_applications": 14829,
        "asylum_decisions": 14242,
        "demographics": 40646,
        "solutions": 2405,
        "flows": 12165,
    }


def test_flows_iso_columns_holding_unhcr_codes_become_iso_codes() -> None:
    _countries, datasets = read_all(UNHCR_DIR, last_year=2026)
    origins = {row["coo"] for row in datasets["flows"]}
    assert "XXA" in origins and "STA" not in origins and "UKN" not in origins


def test_a_dash_means_not_applicable_not_zero(data_dir: Path) -> None:
    _countries, datasets = read_all(
        with_decisions(data_dir, HEADER, GOOD.replace(",0,15", ",-,15")), last_year=2026
    )
    assert datasets["asylum_decisions"][0]["dec_closed"] is None


def test_a_missing_or_renamed_column_is_named(data_dir: Path) -> None:
    error = error_of(with_decisions(data_dir, HEADER.replace("dec_rejected", "rejected"), GOOD))
    assert (error.file, error.row, error.column) == ("asylum_decisions.csv", 1, "dec_rejected")
    assert "rejected" in error.message


def test_a_negative_count_is_refused_with_its_row_and_column(data_dir: Path) -> None:
    error = error_of(with_decisions(data_dir, HEADER, GOOD, GOOD.replace(",10,0,15", ",-10,0,15")))
    assert (error.file, error.row, error.column) == ("asylum_decisions.csv", 3, "dec_rejected")


def test_a_count_that_is_not_a_number_is_refused(data_dir: Path) -> None:
    error = error_of(with_decisions(data_dir, HEADER, GOOD.replace(",5,0,10", ",five,0,10")))
    assert (error.row, error.column) == (2, "dec_recognized")


def test_an_unknown_country_code_is_refused(data_dir: Path) -> None:
    error = error_of(with_decisions(data_dir, HEADER, GOOD.replace("AFG,AFG,Kaz", "AFG,QQQ,Kaz")))
    assert (error.row, error.column) == (2, "coo_iso")
    assert "QQQ" in str(error)


def test_a_period_that_ends_before_it_starts_is_refused(data_dir: Path) -> None:
    error = error_of(with_decisions(data_dir, HEADER, "2024-2019" + GOOD[4:]))
    assert (error.row, error.column) == (2, "year")
    assert "ends before it starts" in error.message


def test_a_missing_file_is_named(data_dir: Path) -> None:
    (data_dir / "flows.csv").unlink()
    assert error_of(data_dir).file == "flows.csv"
