"""The one settings module: every difference between deployments comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value is None or value == "" else float(value)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
# var/ holds the SQLite database, media and collected static files of a checkout.
VAR_DIR = Path(env_str("KARVON_VAR_DIR", str(PACKAGE_DIR.parent.parent / "var")))

DEBUG = env_bool("KARVON_DEBUG", True)
# The demo default is for a laptop only; the system check karvon.W001 warns when DEBUG is off and it is kept.
SECRET_KEY = env_str("KARVON_SECRET_KEY", "insecure-demo-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("KARVON_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Which role this instance plays: a national node, the regional hub, or both (a laptop demo).
KARVON_ROLE = env_str("KARVON_ROLE", "both")
# The state whose national node this is (ISO 3166 alpha-3).
KARVON_NODE_STATE = env_str("KARVON_NODE_STATE", "KAZ")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so that django-ninja serves its bundled Swagger UI: the API docs work on an air-gapped network.
    "ninja",
    "karvon.accounts",
    "karvon.audit",
    "karvon.registry",
    "django_tasks_db",
    "karvon.matching",
    "karvon.statistics",
    "karvon.cases",
    "karvon.presence",
    "karvon.certificates",
    "karvon.web",
    "karvon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "karvon.config.urls"
WSGI_APPLICATION = "karvon.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "karvon.web.context_processors.karvon",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'karvon.sqlite3'}",
        conn_max_age=env_int("KARVON_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let a web process and a command share the file without "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own cursors bind parameters on the client and never prepare. The registration's one INSERT statement
    # (registry/services.py::_insert) goes through a server-binding cursor that asks psycopg to prepare it, which
    # psycopg does only when this is set (Django's default, None, turns preparing off for the connection).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
    # No JIT compilation: the node's queries are short, but the name search's wider candidate queries can be
    # estimated above `jit_above_cost`, and compiling one plan once took 0.65 s (docs/performance.md). A URL's own
    # `?options=` replaces this.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("KARVON_TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("KARVON_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("KARVON_CSRF_TRUSTED_ORIGINS", "")
# Behind a TLS-terminating reverse proxy: trust its X-Forwarded-Proto and X-Forwarded-For (audit addresses).
KARVON_BEHIND_PROXY = env_bool("KARVON_BEHIND_PROXY", False)
if KARVON_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (duplicate checks after a registration) goes through Django's task framework into a
# database-backed queue, run by `karvon db_worker`: no broker to operate. Tests and one-off scripts may set
# KARVON_TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend.
TASKS = {"default": {"BACKEND": env_str("KARVON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Registry limits, kept in settings because they are policy.
KARVON_PAGE_SIZE = env_int("KARVON_PAGE_SIZE", 25)
KARVON_PHOTO_MAX_BYTES = env_int("KARVON_PHOTO_MAX_BYTES", 2 * 1024 * 1024)
KARVON_API_TOKEN_DAYS = env_int("KARVON_API_TOKEN_DAYS", 90)
# Match probability bands of the duplicate review queue.
KARVON_MATCH_SURE = env_float("KARVON_MATCH_SURE", 0.99)
KARVON_MATCH_REVIEW = env_float("KARVON_MATCH_REVIEW", 0.5)
# Where `karvon match train|run --save-model` keeps versioned models (JSON files).
KARVON_MATCH_MODEL_DIR = env_str("KARVON_MATCH_MODEL_DIR", str(VAR_DIR / "match-models"))
# Real-time candidates (ADR 0103): "off" answers from the database; "server" asks `karvon candidate_index_serve`
# over its Unix socket (falling back to the database while it builds or if it is down); "process" holds the index
# in each web process.
KARVON_CANDIDATE_INDEX = env_str("KARVON_CANDIDATE_INDEX", "off")
KARVON_CANDIDATE_INDEX_SOCKET = env_str(
    "KARVON_CANDIDATE_INDEX_SOCKET", str(VAR_DIR / "candidate-index.sock")
)
KARVON_CANDIDATE_INDEX_TIMEOUT = env_float("KARVON_CANDIDATE_INDEX_TIMEOUT", 0.5)

# Certificates: the public address their QR codes point to (…/verify/<code>), and the key their codes are derived
# from. Set the key once per node and never change it: a changed key makes every issued code unverifiable.
KARVON_PUBLIC_URL = env_str("KARVON_PUBLIC_URL", "http://127.0.0.1:8000")
KARVON_CERTIFICATE_KEY = env_str("KARVON_CERTIFICATE_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KARVON_LOG_LEVEL", "WARNING")},
}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
