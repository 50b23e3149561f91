"""The demo node's organisation: agencies, offices and one login per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from karvon.accounts.models import Agency, AgencyKind, Office, OfficeKind, RoleAssignment, User
from karvon.accounts.roles import Role
from karvon.accounts.services import role_assign
from karvon.demo.generator import DEMO_OFFICES

DEMO_PASSWORD = "karvon-demo"  # noqa: S105 — printed for the demo on purpose; never used outside it


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    where: str


AGENCIES = (
    ("migration", AgencyKind.MIGRATION_SERVICE, "Migration Service"),
    ("border", AgencyKind.BORDER_SERVICE, "Border Service"),
    ("asylum", AgencyKind.ASYLUM_AUTHORITY, "Asylum Authority"),
    ("unhcr", AgencyKind.UNHCR, "UNHCR country office"),
    ("iom", AgencyKind.IOM, "IOM country office"),
    ("ngo", AgencyKind.NGO, "Counter-trafficking NGO"),
)


def demo_organisation(*, state: str, now: datetime) -> list[Office]:
    """Agencies and offices of the demo node (idempotent); returns the offices people are registered in."""
    prefix = state.lower()
    with transaction.atomic():
        agencies = {}
        for code, kind, name in AGENCIES:
            agencies[code], _ = Agency.objects.get_or_create(
                code=f"{prefix}-{code}", defaults={"state": state, "name": name, "kind": kind}
            )
        offices: list[Office] = []
        for office_code, office_name in DEMO_OFFICES[state]:
            is_border = "BCP" in office_code.upper() or "border" in office_name.lower()
            agency = agencies["border" if is_border else "migration"]
            office, _ = Office.objects.get_or_create(
                code=office_code,
                defaults={
                    "agency": agency,
                    "name": office_name,
                    "kind": OfficeKind.BORDER_CROSSING_POINT if is_border else OfficeKind.CITY_OFFICE,
                },
            )
            offices.append(office)
        # The partner NGO's office: referrals of children and victims of trafficking go there.
        Office.objects.get_or_create(
            code=f"{prefix.upper()}-NGO-1",
            defaults={
                "agency": agencies["ngo"],
                "name": "NGO shelter and counselling centre",
                "kind": OfficeKind.CITY_OFFICE,
            },
        )
        Office.objects.get_or_create(
            code=f"{prefix.upper()}-ASY-HQ",
            defaults={
                "agency": agencies["asylum"],
                "name": "Asylum Authority headquarters",
                "kind": OfficeKind.HEADQUARTERS,
            },
        )
    return offices


def demo_users(*, state: str, offices: list[Office], now: datetime) -> list[DemoLogin]:
    """One login per role; two officers in different offices show that scoping works."""
    prefix = state.lower()
    migration = Agency.objects.get(code=f"{prefix}-migration")
    first_city = next(o for o in offices if o.agency_id == migration.pk)
    ngo_office = Office.objects.get(code=f"{prefix.upper()}-NGO-1")
    other = next(o for o in offices if o.pk != first_city.pk)
    plan = [
        ("officer", Role.REGISTRATION_OFFICER, first_city.agency, first_city, "Aigerim", "Seitkali"),
        ("officer2", Role.REGISTRATION_OFFICER, other.agency, other, "Daniyar", "Ospanov"),
        ("caseworker", Role.CASEWORKER, first_city.agency, first_city, "Madina", "Akhmetova"),
        ("supervisor", Role.SUPERVISOR, migration, None, "Yerlan", "Nurpeisov"),
        ("partner", Role.CASEWORKER, ngo_office.agency, ngo_office, "Nargiza", "Alimova"),
        ("statistician", Role.STATISTICIAN, migration, None, "Gulnara", "Bekova"),
        ("dpo", Role.DATA_PROTECTION_OFFICER, migration, None, "Timur", "Kassymov"),
        ("admin", Role.ADMINISTRATOR, migration, None, "Saule", "Abenova"),
    ]
    logins = []
    today = now.date()
    for username, role, agency, office, first, last in plan:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not RoleAssignment.objects.filter(user=user, role=role.value).exists():
            role_assign(
                user=user,
                role=role,
                agency=agency,
                office=office,
                valid_from=date(today.year - 1, 1, 1),
                valid_until=None,
                granted_by=None,
                now=now,
            )
        logins.append(DemoLogin(username=username, role=role, where=office.name if office else agency.name))
    return logins
