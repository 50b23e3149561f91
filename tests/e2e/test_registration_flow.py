"""In Russian, in a real browser: register a family from a passport MRZ, profile an unaccompanied child,
find the family by typing a name in another script; a statistician cannot open anyone."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from karvon.registry.mrz import compose_td3

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


def log_out(page: Page) -> None:
    page.locator("header form[action='/logout/'] button").click()


def test_officer_registers_a_family_profiles_a_child_and_finds_them_in_another_script(
    russian_page: Page,
) -> None:
    page = russian_page
    log_in(page, "officer")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    shot(page, "01-home-ru")

    # The father, from his passport's MRZ.
    mrz = compose_td3(
        issuing_state="TJK",
        family_name="QODIROV",
        given_names="JAMSHED",
        document_number="401987654",
        nationality="TJK",
        birth_date=date(1986, 4, 17),
        sex="M",
        expiry_date=date(2031, 6, 30),
    )
    page.goto("/registry/register/")
    page.fill("textarea[name=p-mrz]", mrz)
    page.locator("button[value=read_mrz]").click()
    expect(page.locator("input[name=p-family_name]")).to_have_value("Qodirov")
    expect(page.locator("input[name=p-doc0_number]")).to_have_value("401987654")
    expect(page.locator("input[name=p-birth_date]")).to_have_value("17.04.1986")
    # The officer adds the name as the father declares it, in Tajik Cyrillic.
    page.select_option("select[name=p-sp0_part]", "family")
    page.fill("input[name=p-sp0_text]", "Қодиров")
    page.select_option("select[name=p-sp0_script]", "Cyrl")
    page.select_option("select[name=p-sp0_source]", "declared")
    page.select_option("select[name=r-met_at]", "border_crossing")
    page.fill("input[name=p-languages]", "tgk, rus")
    shot(page, "02-register-from-mrz")
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/registry/households/"))
    shot(page, "03-household")

    # His wife joins the household.
    page.locator("a[href$='/members/add/']").click()
    page.select_option("select[name=m-relationship]", "spouse")
    page.fill("input[name=p-family_name]", "Қодирова")
    page.fill("input[name=p-given_name]", "Нигора")
    page.select_option("select[name=p-sex]", "F")
    page.fill("input[name=p-birth_date]", "1990")
    page.fill("input[name=p-nationalities]", "TJK")
    page.select_option("select[name=r-met_at]", "border_crossing")
    page.locator("button[value=save]").click()
    expect(page.locator("table")).to_contain_text("Нигора")

    # An unaccompanied boy met at the same crossing, registered on his own and profiled SC-UC.
    page.goto("/registry/register/")
    page.fill("input[name=p-family_name]", "Раҳимов")
    page.fill("input[name=p-given_name]", "Алишер")
    page.select_option("select[name=p-sex]", "M")
    page.fill("input[name=p-birth_date]", "03.02.2012")
    page.fill("input[name=p-nationalities]", "AFG")
    page.select_option("select[name=r-met_at]", "border_crossing")
    page.locator("button[value=save]").click()
    page.locator("table a").first.click()
    page.locator("a[href$='/profile/']").click()
    page.locator("input[name=f-profile_types][value=unaccompanied_child]").check()
    page.locator("input[name=f-specific_needs][value=SC-UC]").check()
    shot(page, "04-profile")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("SC-UC")
    expect(page.locator("body")).to_contain_text("SC-UC")
    page.locator("button[value=accepted]").first.click()
    expect(page.locator("button[value=accepted]")).to_have_count(0)
    expect(page.locator(".messages .success")).to_be_visible()
    shot(page, "05-child-referred")

    # Search in Latin and in Arabic script for the Cyrillic/MRZ-registered family.
    for typed in ("Kodirov", "قادروف"):
        page.goto("/registry/persons/")
        page.fill("input[name=q]", typed)
        page.locator("form button[type=submit]").last.click()
        expect(page.locator("#results")).to_contain_text("Qodirov")
    shot(page, "06-found-in-another-script")
    person_url = page.locator("#results table a").first.get_attribute("href")
    log_out(page)

    # The statistician opens no person: neither the list nor a direct link.
    log_in(page, "statistician")
    shot(page, "07-statistician-home")
    assert page.goto("/registry/persons/").status == 404
    assert page.goto(str(person_url)).status == 404
    assert "Qodirov" not in page.content()

    # ... and sees Kazakhstan's recognition rates computed from UNHCR's counts, and downloads them as SDMX-CSV.
    page.goto("/statistics/?yearFrom=2015&yearTo=2024")
    expect(page.locator("body")).to_contain_text("2024")
    shot(page, "08-statistics")
    with page.expect_download() as download_info:
        page.locator("a[href*='asylum_decisions.sdmx-csv']").first.click()
    sdmx = download_info.value.path().read_text(encoding="utf-8")
    assert sdmx.splitlines()[0].startswith("STRUCTURE")
    assert ",KAZ," in sdmx
