"""Roles and what each may do: a pure table, the single source for every access check."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    REGISTRATION_OFFICER = "registration_officer"
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    STATISTICIAN = "statistician"
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.REGISTRATION_OFFICER: _("Registration officer"),
    Role.CASEWORKER: _("Caseworker"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.STATISTICIAN: _("Statistician"),
    Role.DATA_PROTECTION_OFFICER: _("Data protection officer"),
    Role.ADMINISTRATOR: _("Administrator"),
}


class Capability(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_REGISTER = "person.register"
    PERSON_EDIT = "person.edit"
    PROFILE_EDIT = "profile.edit"
    REFERRAL_DECIDE = "referral.decide"
    DUPLICATE_DECIDE = "duplicate.decide"
    CASE_VIEW = "case.view"
    CASE_OPEN = "case.open"
    CASE_WORK = "case.work"
    CASE_APPROVE = "case.approve"
    REFERRAL_RECEIVE = "referral.receive"
    PRESENCE_VIEW = "presence.view"
    PRESENCE_RECORD = "presence.record"
    CERTIFICATE_ISSUE = "certificate.issue"
    AUDIT_VIEW = "audit.view"
    STATISTICS_VIEW = "statistics.view"
    ORGANISATION_MANAGE = "organisation.manage"


# Statisticians, data protection officers and administrators never see a person: they work on
# aggregates, on the audit trail and on the organisation. Personal data is for the people who serve them.
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # The officer who profiles a person decides on the referral the profile suggests (10-Point Plan).
    Role.REGISTRATION_OFFICER: frozenset(
        {
            Capability.PERSON_VIEW,
            Capability.PERSON_REGISTER,
            Capability.PERSON_EDIT,
            Capability.PROFILE_EDIT,
            Capability.REFERRAL_DECIDE,
            # Officers lodge applications and record entries, exits and stays; caseworkers run the cases.
            Capability.CASE_VIEW,
            Capability.CASE_OPEN,
            Capability.PRESENCE_VIEW,
            Capability.PRESENCE_RECORD,
            Capability.CERTIFICATE_ISSUE,
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            Capability.PERSON_VIEW,
            Capability.PERSON_EDIT,
            Capability.PROFILE_EDIT,
            Capability.REFERRAL_DECIDE,
            Capability.CASE_VIEW,
            Capability.CASE_OPEN,
            Capability.CASE_WORK,
            Capability.REFERRAL_RECEIVE,
            Capability.PRESENCE_VIEW,
            Capability.PRESENCE_RECORD,
            Capability.CERTIFICATE_ISSUE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Capability.PERSON_VIEW,
            Capability.PERSON_REGISTER,
            Capability.PERSON_EDIT,
            Capability.PROFILE_EDIT,
            Capability.REFERRAL_DECIDE,
            Capability.DUPLICATE_DECIDE,
            Capability.STATISTICS_VIEW,
            Capability.CASE_VIEW,
            Capability.CASE_OPEN,
            Capability.CASE_WORK,
            Capability.CASE_APPROVE,
            Capability.REFERRAL_RECEIVE,
            Capability.PRESENCE_VIEW,
            Capability.PRESENCE_RECORD,
            Capability.CERTIFICATE_ISSUE,
        }
    ),
    Role.STATISTICIAN: frozenset({Capability.STATISTICS_VIEW}),
    Role.DATA_PROTECTION_OFFICER: frozenset({Capability.AUDIT_VIEW}),
    Role.ADMINISTRATOR: frozenset({Capability.ORGANISATION_MANAGE}),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    return frozenset(role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities)
