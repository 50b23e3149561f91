"""Fixtures of the procedures' tests: an asylum authority, a partner NGO and their staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest


@pytest.fixture
def partners(node: dict[str, Any]) -> dict[str, Any]:
    from karvon.accounts.models import Agency, Office

    ngo = Agency.objects.create(state="KAZ", code="kaz-ngo", name="Child protection NGO", kind="ngo")
    ngo_office = Office.objects.create(agency=ngo, code="NGO-ALA", name="NGO Almaty", kind="city_office")
    node.update({"ngo": ngo, "ngo_office": ngo_office})
    return node


@pytest.fixture
def partner_user(partners: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("nargiza", "caseworker", office="ngo_office", agency="ngo")


@pytest.fixture
def family(users: dict[str, Any], register: Callable[..., Any]) -> dict[str, Any]:
    """A mother and her son registered in Almaty."""
    from karvon.registry.contracts import NameInput

    mother = register(
        users["officer"],
        names=(NameInput("given", "Зарина", "Cyrl"), NameInput("family", "Каримова", "Cyrl")),
        sex="F",
        birth_date=date(1988, 5, 1),
        nationalities=("AFG",),
        documents=(),
    )
    son = register(
        users["officer"],
        names=(NameInput("given", "Омид", "Cyrl"), NameInput("family", "Каримов", "Cyrl")),
        sex="M",
        birth_date=date(2012, 2, 3),
        nationalities=("AFG",),
        documents=(),
    )
    return {"mother": mother, "son": son}
