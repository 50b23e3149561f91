"""The `match` management command: run over a CSV file, train and store a model."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from karvon.matching.model_store import model_load, model_versions
from karvon_match import MatchWeights

PEOPLE = """\
record_id,given_name,family_name,patronymic,sex,date_of_birth,nationality,place_of_birth,document_number,notes
a1,Мухаммад,Саидов,Рустамович,M,1990-03-04,TJK,Душанбе,A1234567,registered in Dushanbe
a2,MUKHAMMAD,SAIDOV,,M,1990-03-04,TJK,,A1234567,
a3,Dilnoza,Saidova,Rustamovna,F,1992-05-06,TJK,Dushanbe,,
a3,Дилноза,Саидова,,F,,,,,second row of a3
a4,,,,,,,,,
a5,A.,Karimov,,M,31.02.1990,TJK,,,
,Nobody,Noname,,,,,,,
a6,Akmal,Karimov,,M,1985-01-02,UZB,Tashkent,AA7654321,
"""


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


def test_run_writes_every_record_once_with_pairs_and_a_report(
    people: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    call_command(
        "match",
        "run",
        "--input",
        str(people),
        "--output",
        str(output),
        "--pairs",
        str(pairs),
        "--model-dir",
        str(tmp_path / "models"),
    )
    clusters = rows(output)
    assert [r["record_id"] for r in clusters] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    cluster_of = {r["record_id"]: r["cluster_id"] for r in clusters}
    assert cluster_of["a1"] == cluster_of["a2"] == "a1"
    assert len({cluster_of["a1"], cluster_of["a3"], cluster_of["a6"]}) == 3
    assert {(p["record_id_l"], p["record_id_r"]) for p in rows(pairs)} >= {("a1", "a2")}
    assert set(rows(pairs)[0]) == {"record_id_l", "record_id_r", "match_probability"}
    issues = rows(tmp_path / "clusters.csv.errors.csv")
    assert {"row_number": "8", "record_id": "", "severity": "error", "field": "record_id",
            "reason": "record_id is empty; row not used"} in issues  # fmt: skip
    assert any(i["record_id"] == "a3" and i["row_number"] == "5" and "merged" in i["reason"] for i in issues)
    assert any(i["record_id"] == "a5" and i["field"] == "date_of_birth" for i in issues)
    assert "1 rejected" in capsys.readouterr().err


def test_train_stores_a_model_the_real_time_scorer_reads(people: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "match", "train", "--input", str(people), "--model-dir", str(tmp_path / "models"), stdout=out
    )
    version = out.getvalue().strip()
    assert model_versions(tmp_path / "models") == [version]
    stored = model_load(tmp_path / "models", "latest")
    assert isinstance(MatchWeights.from_dict(stored.settings), MatchWeights)
    output = tmp_path / "clusters.csv"
    call_command(
        "match",
        "run",
        "--input",
        str(people),
        "--output",
        str(output),
        "--model",
        version,
        "--model-dir",
        str(tmp_path / "models"),
    )
    assert len(rows(output)) == 6


def test_a_file_that_is_not_a_people_csv_is_a_command_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id;name\n1;x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="record_id"):
        call_command("match", "run", "--input", str(path), "--output", str(tmp_path / "out.csv"))
    with pytest.raises(CommandError, match="no model"):
        call_command(
            "match",
            "run",
            "--input",
            str(path),
            "--output",
            str(tmp_path / "out.csv"),
            "--model",
            "latest",
            "--model-dir",
            str(tmp_path / "none"),
        )
