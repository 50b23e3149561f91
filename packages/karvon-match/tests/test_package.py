"""The package boundary: stdlib only, never Django, the public API the Django app calls."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import karvon_match

PACKAGE = Path(__file__).resolve().parents[1]


def test_public_api_used_by_the_app() -> None:
    for name in (
        "normalise_text",
        "script_of",
        "foreign_script_letters",
        "name_search_keys",
        "query_search_keys",
        "SEARCH_KEY_VERSION",
        "PersonRecord",
        "person_features",
        "compare",
        "score",
        "MatchWeights",
        "TermFrequencies",
        "blocking_keys",
    ):
        assert name in karvon_match.__all__
        assert hasattr(karvon_match, name)


def test_no_runtime_dependencies() -> None:
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []
    assert project["name"] == "karvon-match"


def test_importing_never_imports_django_or_third_party_code() -> None:
    code = (
        "import sys, karvon_match\n"
        "from datetime import date\n"
        "r = karvon_match.PersonRecord('1', ('Ali',), ('Saidov',), birth_date=date(1990, 1, 2))\n"
        "f = karvon_match.person_features(r)\n"
        "karvon_match.score(karvon_match.compare(f, f))\n"
        "stdlib = sys.stdlib_module_names\n"
        "mine = {'karvon_match', '__main__', '_distutils_hack'}\n"
        "foreign = sorted(m for m in {m.split('.')[0] for m in sys.modules} - set(stdlib) - mine\n"
        "                 if not m.startswith('__editable__'))\n"
        "print(','.join(foreign))\n"
    )
    # A fixed program run by this interpreter: the fresh process shows what importing really loads.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_typed_marker_is_shipped() -> None:
    assert (PACKAGE / "src" / "karvon_match" / "py.typed").exists()
