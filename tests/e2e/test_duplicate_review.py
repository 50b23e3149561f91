"""In a real browser: a person registered twice, in Latin and in Cyrillic, reaches the supervisor's review
queue through the task worker; the supervisor merges the two records and undoes the merge."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e
PASSWORD = "karvon-demo"
SCREENSHOTS = Path(__file__).parent / "screenshots"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/$"))


def register(page: Page, family: str, given: str, script: str, passport: str) -> None:
    page.goto("/registry/register/")
    page.fill("input[name=p-family_name]", family)
    page.select_option("select[name=p-family_script]", script)
    page.fill("input[name=p-given_name]", given)
    page.select_option("select[name=p-given_script]", script)
    page.select_option("select[name=p-sex]", "M")
    page.fill("input[name=p-birth_date]", "09.09.1979")
    page.fill("input[name=p-nationalities]", "UZB")
    page.fill("input[name=p-doc0_number]", passport)
    page.fill("input[name=p-doc0_state]", "UZB")
    page.select_option("select[name=r-met_at]", "in_country")
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/registry/households/"))


def test_supervisor_merges_a_duplicate_found_across_scripts_and_undoes_it(russian_page: Page) -> None:
    page = russian_page
    log_in(page, "officer")
    register(page, "Tursunboyev", "Shuhrat", "Latn", "AB7712345")
    register(page, "Турсунбоев", "Шухрат", "Cyrl", "AB7712345")
    page.locator("header form[action='/logout/'] button").click()

    log_in(page, "supervisor")
    row = page.locator("table tr", has_text="Турсунбоев")
    for _ in range(60):  # the worker checks new registrations within seconds
        page.goto("/duplicates/")
        if row.count():
            break
        time.sleep(0.5)
    expect(row).to_contain_text("Tursunboyev")
    shot(page, "10-duplicate-queue")
    row.locator("a").click()
    expect(page.locator("table").first).to_contain_text("1979-09-09")
    shot(page, "11-duplicate-pair")
    page.locator("form", has=page.locator("input[name=decision][value=merge]")).first.locator(
        "button"
    ).click()
    expect(page).to_have_url(re.compile(r"/registry/persons/"))
    expect(page.locator("body")).to_contain_text("Турсунбоев")
    expect(page.locator("body")).to_contain_text("Tursunboyev")
    shot(page, "12-merged")

    page.goto("/duplicates/merges/")
    page.locator("form[action$='/undo/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/registry/persons/"))
    shot(page, "13-unmerged")
    page.goto("/registry/persons/?q=Tursunboyev")
    expect(page.locator("#results tbody tr")).to_have_count(2)
