"""The verification secret in a certificate's QR code: derived from the certificate, only its hash stored."""

from __future__ import annotations

import base64
import hashlib
import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac

# 24 bytes = 192 bits, 32 URL-safe characters: unguessable, and short enough for a small QR code.
SECRET_BYTES = 24
KEY_SALT = "karvon.certificates.verification"


def _key() -> str:
    # A key of its own lets SECRET_KEY be rotated without making every printed QR code unverifiable.
    return getattr(settings, "KARVON_CERTIFICATE_KEY", "") or settings.SECRET_KEY


def verification_secret(certificate_uuid: uuid.UUID) -> str:
    """HMAC of the certificate's uuid under the node's key: the same secret for every reprint."""
    digest = salted_hmac(KEY_SALT, str(certificate_uuid), secret=_key(), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:SECRET_BYTES]).decode("ascii").rstrip("=")


def token_hash(secret: str) -> str:
    """What is stored and looked up: SHA-256 of the secret (a lookup by a unique index, no comparison loop)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def public_base_url() -> str:
    return str(getattr(settings, "KARVON_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")


def verification_url(secret: str) -> str:
    return f"{public_base_url()}/verify/{secret}"
