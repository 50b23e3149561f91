"""In a real browser, in Russian: a family's asylum case goes through an interview, a rejection (approved by a
supervisor), an appeal and a recognition to a refugee certificate whose QR code verifies; a child is referred to a
partner NGO, which sees only that child."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e
PASSWORD = "karvon-demo"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PDFTOTEXT = "/usr/bin/pdftotext"  # Debian poppler-utils, installed by make test


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


def register_family(page: Page) -> str:
    """A mother and her son from Afghanistan; returns the mother's page address."""
    page.goto("/registry/register/")
    page.fill("input[name=p-family_name]", "Ҳотаки")
    page.fill("input[name=p-given_name]", "Марьям")
    page.select_option("select[name=p-sex]", "F")
    page.fill("input[name=p-birth_date]", "12.06.1985")
    page.fill("input[name=p-nationalities]", "AFG")
    page.select_option("select[name=r-met_at]", "in_country")
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/registry/households/"))
    page.locator("a[href$='/members/add/']").click()
    page.select_option("select[name=m-relationship]", "child")
    page.fill("input[name=p-family_name]", "Ҳотаки")
    page.fill("input[name=p-given_name]", "Аҳмад")
    page.select_option("select[name=p-sex]", "M")
    page.fill("input[name=p-birth_date]", "2014")
    page.fill("input[name=p-nationalities]", "AFG")
    page.select_option("select[name=r-met_at]", "in_country")
    page.locator("button[value=save]").click()
    expect(page.locator("table")).to_contain_text("Аҳмад")
    page.locator("table a", has_text="Марьям").first.click()
    expect(page).to_have_url(re.compile(r"/registry/persons/"))
    return page.url


def take_step(page: Page, transition: str, **fields: str) -> None:
    details = page.locator(f"details:has(input[name=transition][value={transition}])")
    details.locator("summary").click()
    for name, value in fields.items():
        details.locator(f"[name={name}]").fill(value)
    details.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_family_goes_from_lodging_to_a_refugee_certificate_whose_qr_verifies(
    russian_page: Page, browser: Browser, server: str
) -> None:
    page = russian_page
    log_in(page, "officer")
    mother_url = register_family(page)
    log_out(page)
    log_in(page, "caseworker")
    page.goto(mother_url)

    page.locator("#procedures a[href$='/open/']").click()
    page.select_option("select[name=kind]", "asylum")
    expect(page.locator("input[name=member_uuids]")).to_have_count(1)  # the son is offered, ticked
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = page.url

    take_step(page, "register_application")
    interview = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%dT10:30")
    take_step(page, "schedule_interview", interview_at=interview)
    take_step(page, "record_interview")
    take_step(page, "complete_assessment")
    take_step(page, "reject", legal_basis="Закон «О беженцах», ст. 12")
    expect(page.locator("#approval")).to_be_visible()  # waits for a supervisor
    shot(page, "procedures-1-awaiting-approval")
    log_out(page)

    log_in(page, "supervisor")
    page.goto("/cases/overview/")
    expect(page.locator("#approvals a[href='" + case_url.split(server)[-1] + "']")).to_be_visible()
    page.goto(case_url)
    page.locator("#approval button[value=approve]").click()
    expect(page.locator("body")).to_contain_text("FI")
    log_out(page)

    log_in(page, "caseworker")
    page.goto(case_url)
    take_step(page, "lodge_appeal")
    take_step(page, "recognise_on_appeal", legal_basis="Решение суда № 2-417/2026")
    history = page.locator("table").last
    expect(history).to_contain_text("AR")
    shot(page, "procedures-2-recognised")

    page.goto(mother_url)
    panel = page.locator("#certificates-panel")
    expect(panel).to_be_visible()
    panel.locator("select[name=kind]").select_option("refugee_certificate")
    basis = panel.locator("select[name=basis]")
    basis.select_option(index=1 if basis.locator("option").count() > 1 else 0)
    panel.locator("select[name=language]").select_option("ru")
    panel.locator("button[type=submit]").last.click()
    pdf_link = page.locator("#certificates-panel a[href$='/pdf']").first
    expect(pdf_link).to_be_visible()
    shot(page, "procedures-3-certificate-issued")

    # The QR code holds the verification address; the PDF prints it in words too.
    response = page.request.get(pdf_link.get_attribute("href") or "")
    assert response.ok and response.body().startswith(b"%PDF")
    text = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    match = re.search(r"/verify/([A-Za-z0-9_-]{20,})", text)
    assert match, text[:2000]
    anonymous = browser.new_context(
        locale="ru-RU", extra_http_headers={"Accept-Language": "ru"}, base_url=server
    )
    public = anonymous.new_page()
    public.goto(f"/verify/{match.group(1)}")
    body = public.locator("body")
    expect(body).not_to_contain_text("Ҳотаки")
    expect(body).not_to_contain_text("Марьям")
    expect(body).not_to_contain_text("1985")
    shot(public, "procedures-4-verified")
    verdict = public.request.get(f"/verify/{match.group(1)}.json").json()
    assert verdict["genuine"] is True and verdict["valid"] is True
    anonymous.close()


def test_a_child_referred_to_a_partner_who_sees_only_that_child(russian_page: Page) -> None:
    page = russian_page
    log_in(page, "officer")
    page.goto("/registry/register/")
    page.fill("input[name=p-family_name]", "Раҳмонов")
    page.fill("input[name=p-given_name]", "Ёсин")
    page.select_option("select[name=p-sex]", "M")
    page.fill("input[name=p-birth_date]", "05.05.2011")
    page.fill("input[name=p-nationalities]", "AFG")
    page.select_option("select[name=r-met_at]", "border_crossing")
    page.locator("button[value=save]").click()
    page.locator("table a", has_text="Ёсин").first.click()
    child_url = page.url
    page.locator("#procedures a[href$='/refer/']").click()
    page.select_option("select[name=procedure]", "child_protection")
    ngo = page.locator("select[name=to_agency_id] option", has_text="NGO").first.get_attribute("value")
    page.locator("select[name=to_agency_id]").select_option(ngo)
    page.fill("textarea[name=reason]", "Несопровождаемый ребёнок (SC-UC), нужен уход")
    for category in ("nationality", "documents", "contact"):
        page.locator(f"input[name=shared][value={category}]").uncheck()
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/referrals/"))
    log_out(page)

    log_in(page, "partner")
    page.goto("/cases/referrals/")
    page.locator("table a").first.click()
    expect(page.locator("body")).to_contain_text("Ёсин")
    page.locator("button[value=accept]").click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.locator("body")).to_contain_text("Ёсин")
    shot(page, "procedures-5-partner-case")
    assert page.goto(child_url).status == 404  # not through the registry
    assert page.goto("/registry/persons/?q=Раҳмонов").status in (200, 404)
    expect(page.locator("body")).not_to_contain_text("Ёсин")


def test_a_migrant_worker_goes_from_entry_through_stay_registration_to_an_overstay_warning(
    russian_page: Page,
) -> None:
    """A Tajik worker entered 85 days ago (90 days visa-free in Kazakhstan), registered the stay on time: the
    lawful stay ends in 4 days, so the worker is on the overstay-warning list."""
    page = russian_page
    entered = datetime.now() - timedelta(days=85)
    log_in(page, "officer")
    page.goto("/registry/register/")
    page.fill("input[name=p-family_name]", "Назаров")
    page.fill("input[name=p-given_name]", "Бахтиёр")
    page.select_option("select[name=p-sex]", "M")
    page.fill("input[name=p-birth_date]", "14.02.1994")
    page.fill("input[name=p-nationalities]", "TJK")
    page.fill("input[name=p-doc0_number]", "401552233")
    page.fill("input[name=p-doc0_state]", "TJK")
    page.select_option("select[name=r-met_at]", "in_country")
    page.locator("button[value=save]").click()
    page.locator("table a", has_text="Бахтиёр").first.click()

    panel = page.locator("#presence-panel")
    expect(panel).to_be_visible()
    panel.locator("details:has(form[action$='/movements/']) summary").click()
    panel.locator("select[name=mv-direction]").select_option("entry")
    panel.locator("input[name=mv-crossed_on]").fill(entered.strftime("%d.%m.%Y"))
    panel.locator("input[name=mv-crossing_point_name]").fill("Жибек Жолы")
    panel.locator("select[name=mv-document]").select_option(index=1)
    panel.locator("select[name=mv-purpose]").select_option("work")
    panel.locator("form[action$='/movements/'] button[type=submit]").click()
    expect(page.locator("#presence-panel")).to_contain_text(entered.strftime("%d.%m.%Y"))

    panel = page.locator("#presence-panel")
    panel.locator("details:has(form[action$='/stays/']) summary").click()
    panel.locator("select[name=st-entry]").select_option(index=0)
    panel.locator("input[name=st-registered_on]").fill((entered + timedelta(days=2)).strftime("%d.%m.%Y"))
    panel.locator("input[name=st-address]").fill("г. Алматы, ул. Толе би, 101, кв. 5")
    panel.locator("select[name=st-region]").select_option(index=1)
    panel.locator("input[name=st-registered_until]").fill((entered + timedelta(days=88)).strftime("%d.%m.%Y"))
    panel.locator("form[action$='/stays/'] button[type=submit]").click()
    expect(page.locator("#presence-panel")).to_contain_text("Толе би")
    shot(page, "presence-1-worker-registered")

    page.goto("/presence/overstay-warnings/")
    expect(page.locator("body")).to_contain_text("Назаров")
    shot(page, "presence-2-overstay-warning")
    page.goto("/presence/")
    shot(page, "presence-3-present-now")
