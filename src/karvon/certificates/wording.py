"""The wording printed on certificates, per language: a legal form's text, kept apart from the UI's catalogues."""

from __future__ import annotations

from typing import Final

# A certificate prints both languages at once (the chosen one first), and its text is what the state's legal
# service approves: it must not change when someone edits a web page's translation (ADR 305). Adding a language
# is adding a table here; the web pages and the verification page use gettext as the rest of Karvon does.

TITLES: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "asylum_seeker_certificate": "Свидетельство лица, ходатайствующего о присвоении статуса беженца",
        "refugee_certificate": "Удостоверение беженца",
        "registration_confirmation": "Подтверждение регистрации",
        "appointment_slip": "Талон на приём",
    },
    "en": {
        "asylum_seeker_certificate": "Asylum-seeker certificate",
        "refugee_certificate": "Refugee certificate",
        "registration_confirmation": "Registration confirmation",
        "appointment_slip": "Appointment slip",
    },
}

STATEMENTS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "asylum_seeker_certificate": (
            "Настоящее свидетельство подтверждает, что его владелец подал ходатайство о присвоении статуса "
            "беженца и его ходатайство рассматривается. Свидетельство не является документом, удостоверяющим "
            "личность."
        ),
        "refugee_certificate": (
            "Настоящее удостоверение подтверждает, что его владелец признан беженцем в соответствии с "
            "Конвенцией о статусе беженцев 1951 года."
        ),
        "registration_confirmation": "Настоящим подтверждается, что указанное лицо зарегистрировано.",
        "appointment_slip": "Владелец талона приглашается на приём в указанное время и место.",
    },
    "en": {
        "asylum_seeker_certificate": (
            "This certificate confirms that its holder has applied for refugee status and that the application "
            "is being examined. It is not an identity document."
        ),
        "refugee_certificate": (
            "This certificate confirms that its holder is recognised as a refugee under the 1951 Convention "
            "relating to the Status of Refugees."
        ),
        "registration_confirmation": "This confirms that the person named below has been registered.",
        "appointment_slip": "The holder is invited to an appointment at the time and place below.",
    },
}

LABELS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "number": "Номер",
        "family": "Фамилия",
        "given": "Имя",
        "patronymic": "Отчество",
        "other_spellings": "Другие написания",
        "birth_date": "Дата рождения",
        "sex": "Пол",
        "nationality": "Гражданство",
        "case_reference": "Номер дела",
        "registered_on": "Дата регистрации",
        "registered_at": "Место регистрации",
        "appointment_at": "Дата и время приёма",
        "appointment_place": "Место приёма",
        "appointment_kind": "Цель приёма",
        "valid_from": "Действительно с",
        "valid_until": "Действительно до",
        "issued_on": "Дата выдачи",
        "issued_by": "Выдал",
        "signature": "Подпись",
        "stamp": "М. П.",
        "verify": "Проверить подлинность и действительность",
        "no_photo": "Фото нет",
        "not_valid": "НЕДЕЙСТВИТЕЛЕН",
    },
    "en": {
        "number": "Number",
        "family": "Family name",
        "given": "Given name",
        "patronymic": "Father's name",
        "other_spellings": "Other spellings",
        "birth_date": "Date of birth",
        "sex": "Sex",
        "nationality": "Nationality",
        "case_reference": "Case reference",
        "registered_on": "Registered on",
        "registered_at": "Registered at",
        "appointment_at": "Date and time",
        "appointment_place": "Place",
        "appointment_kind": "Purpose",
        "valid_from": "Valid from",
        "valid_until": "Valid until",
        "issued_on": "Issued on",
        "issued_by": "Issued by",
        "signature": "Signature",
        "stamp": "Stamp",
        "verify": "Verify that it is genuine and valid",
        "no_photo": "No photo",
        "not_valid": "NOT VALID",
    },
}

SEX: Final[dict[str, dict[str, str]]] = {
    "ru": {"M": "муж.", "F": "жен.", "X": "другой", "U": "не указан"},
    "en": {"M": "male", "F": "female", "X": "other", "U": "not recorded"},
}

APPOINTMENT_KINDS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "interview": "собеседование",
        "registration": "регистрация",
        "document_collection": "получение документа",
        "counselling": "консультация",
        "other": "приём",
    },
    "en": {
        "interview": "interview",
        "registration": "registration",
        "document_collection": "collecting a document",
        "counselling": "counselling",
        "other": "appointment",
    },
}

LANGUAGES: Final = ("ru", "en")


def other_language(language: str) -> str:
    """The second language printed beside the chosen one."""
    return "en" if language == "ru" else "ru"
