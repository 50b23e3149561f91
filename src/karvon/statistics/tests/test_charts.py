"""Charts on the statisticians' page: data from the protected tables in json_script, drawn by vendored code only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from karvon.statistics.models import DataLoad, PopulationFigure, Source

pytestmark = pytest.mark.usefixtures("unhcr_loaded")

SRC = Path(__file__).resolve().parents[2]
REMOTE_SOURCE = re.compile(r"""<(script|link)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def embedded(html: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert found, element_id
    return json.loads(found.group(1))


@pytest.fixture
def national_small_counts(db: Any) -> None:
    load = DataLoad.objects.create(source=Source.NATIONAL, loaded_at=timezone.now(), origin="test")
    for coo, refugees, asylum_seekers in (("AFG", 3, 40), ("TJK", 12, 2), ("UZB", 25, 31)):
        PopulationFigure.objects.create(
            load=load,
            source=Source.NATIONAL,
            year=2024,
            coo=coo,
            coa="KAZ",
            refugees=refugees,
            asylum_seekers=asylum_seekers,
        )


def test_the_dashboard_embeds_every_chart_and_loads_only_vendored_scripts(make_user: Any) -> None:
    html = (
        logged_in(make_user("stan", "statistician", office=None))
        .get("/statistics/", {"yearFrom": 2015, "yearTo": 2024})
        .content.decode()
    )
    for chart in ("population", "decisions", "pyramid", "origins"):
        assert f'data-chart="chart-{chart}"' in html
    # No national figures and no asylum cases here: an empty chart is left out, its table says so.
    assert 'data-chart="chart-population-national"' not in html
    assert '<script src="/static/karvon/vendor/chart.umd.min.js" defer></script>' in html
    assert '<script src="/static/karvon/statistics-charts.js" defer></script>' in html
    assert not REMOTE_SOURCE.search(html)
    decisions = embedded(html, "chart-decisions")
    assert decisions["labels"][-1] == "2024 (P)"
    rates = next(d for d in decisions["datasets"] if d["axis"] == "rate")
    assert rates["data"][-1] == 17.5  # the same figure as the table under the chart


def test_the_vendored_files_are_where_the_page_loads_them_from() -> None:
    assert (
        (SRC / "web/static/karvon/vendor/chart.umd.min.js").read_text().startswith("/*!\n * Chart.js v4.6.1")
    )
    assert (SRC / "web/static/karvon/vendor/chart.js.LICENSE").exists()
    script = (SRC / "statistics/static/karvon/statistics-charts.js").read_text()
    assert "http" not in script and "eval(" not in script


@pytest.mark.usefixtures("national_small_counts")
def test_a_hidden_cell_reaches_the_chart_as_a_gap_never_as_zero(make_user: Any) -> None:
    html = (
        logged_in(make_user("stan", "statistician", office=None))
        .get("/statistics/", {"source": "national", "yearFrom": 2024, "yearTo": 2024})
        .content.decode()
    )
    origins = embedded(html, "chart-origins")
    refugees = next(d for d in origins["datasets"] if d["label"] == "Refugees")
    afghanistan = origins["labels"].index("Afghanistan")
    assert refugees["data"][afghanistan] is None and afghanistan in refugees["hidden"]
    # Summed over origins the year's counts are large enough to show, exactly as the table under the chart does.
    national = embedded(html, "chart-population-national")
    assert [d["data"] for d in national["datasets"][:2]] == [[40], [73]]
    for chart in ("chart-origins", "chart-population-national"):
        for dataset in embedded(html, chart)["datasets"]:
            assert all(v is None or not 0 < v < 5 for v in dataset["data"])


def test_no_template_loads_a_script_or_stylesheet_from_another_host() -> None:
    templates = [*SRC.glob("**/templates/**/*.html")]
    assert len(templates) > 10
    offenders = [str(path) for path in templates if REMOTE_SOURCE.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
