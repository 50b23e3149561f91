"""The printable meeting report: a PDF of one year with the dashboard's protected figures, in the reader's language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from karvon.accounts.services import api_token_issue
from karvon.statistics.models import DataLoad, PopulationFigure, Source

PDFTOTEXT = shutil.which("pdftotext")  # poppler-utils, as in Debian
pytestmark = [
    pytest.mark.usefixtures("unhcr_loaded"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed"),
]


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [str(PDFTOTEXT), "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_report_of_2024_shows_kazakhstans_recognition_rate_with_its_n(
    make_user: Any, tmp_path: Path
) -> None:
    client = Client()
    client.force_login(make_user("stan", "statistician", office=None))
    answer = client.get("/statistics/report.pdf", {"year": 2024}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    text = text_of(answer.content, tmp_path)
    assert "Kazakhstan, 2024" in text
    assert "17.5 %" in text and "343" in text
    assert "UNHCR Refugee Population Statistics Database" in text


def test_the_report_is_in_russian_for_a_russian_reader(make_user: Any, tmp_path: Path) -> None:
    client = Client()
    client.force_login(make_user("stan", "statistician", office=None))
    answer = client.get("/statistics/report.pdf", {"year": 2024}, HTTP_ACCEPT_LANGUAGE="ru")
    text = text_of(answer.content, tmp_path)
    assert "17,5 %" in text and "Беженцы" in text


def test_the_report_hides_national_small_counts(make_user: Any, tmp_path: Path) -> None:
    load = DataLoad.objects.create(source=Source.NATIONAL, loaded_at=timezone.now(), origin="test")
    PopulationFigure.objects.create(
        load=load, source=Source.NATIONAL, year=2024, coo="AFG", coa="KAZ", refugees=3, asylum_seekers=40
    )
    PopulationFigure.objects.create(
        load=load, source=Source.NATIONAL, year=2024, coo="TJK", coa="KAZ", refugees=12, asylum_seekers=2
    )
    client = Client()
    client.force_login(make_user("stan", "statistician", office=None))
    text = text_of(
        client.get(
            "/statistics/report.pdf", {"year": 2024, "source": "national"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content,
        tmp_path,
    )
    afghanistan = next(line for line in text.splitlines() if "(AFG)" in line)
    # Afghanistan's 3 refugees are hidden, and its 40 asylum-seekers too: with Tajikistan's 2 hidden, the total
    # of asylum-seekers would otherwise give both away.
    assert afghanistan.split()[2:4] == ["·", "·"]
    assert " 3 " not in f" {afghanistan} "


def test_the_api_answers_the_report_and_refuses_an_officer(make_user: Any, tmp_path: Path) -> None:
    def client_for(user: Any) -> Client:
        issued = api_token_issue(user=user, name="t", now=timezone.now(), valid_days=None)
        return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    answer = client_for(make_user("stan", "statistician", office=None)).get(
        "/api/v1/statistics/report/", {"year": 2024}
    )
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert "2024" in text_of(answer.content, tmp_path)
    officer = client_for(make_user("alice", "registration_officer"))
    assert officer.get("/api/v1/statistics/report/", {"year": 2024}).status_code == 404


def test_the_report_carries_the_presence_figures_with_small_counts_hidden(
    make_user: Any, tmp_path: Path
) -> None:
    from datetime import date

    from karvon.statistics.models import PresenceFigure

    load = DataLoad.objects.create(source=Source.NATIONAL, loaded_at=timezone.now(), origin="test")
    PresenceFigure.objects.create(
        load=load,
        source=Source.NATIONAL,
        year=2024,
        coo="AFG",
        coa="KAZ",
        reference_date=date(2024, 12, 31),
        asylum_seekers=40,
        overstayers=3,
        present=43,
        registration_missed=12,
    )
    client = Client()
    client.force_login(make_user("stan", "statistician", office=None))
    text = text_of(
        client.get("/statistics/report.pdf", {"year": 2024}, HTTP_ACCEPT_LANGUAGE="en").content, tmp_path
    )
    assert "Presence (national) · 2024-12-31" in text
    overstayers = next(line for line in text.splitlines() if line.strip().startswith("Overstayers"))
    assert "·" in overstayers and " 3" not in overstayers
    assert "Stay registration missed" in text
