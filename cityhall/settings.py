"""One settings file, driven by the environment. docs/configuration.md lists every variable."""

import ipaddress
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cityhall.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SITE_NAME = env_str("SITE_NAME", "オンライン市役所")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where members and applicants can reach the staff office (shown in the privacy policy).
CONTACT_EMAIL = env_str("CONTACT_EMAIL")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local development: keep one generated key so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Staff must use TOTP two-factor authentication. Relaxing it is for a local demo only.
STAFF_2FA_RELAXED = env_bool("STAFF_2FA_RELAXED", False)
if STAFF_2FA_RELAXED and not DEBUG:
    raise ImproperlyConfigured("STAFF_2FA_RELAXED is for the local demo only (DEBUG=1).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "channels",
    # In layer order, bottom to top (docs/architecture.md): an app imports only those listed
    # before it.
    "cityhall.core",
    "cityhall.realtime",
    "cityhall.audit",
    "cityhall.accounts",
    "cityhall.organizations",
    "cityhall.members",
    "cityhall.sections",
    "cityhall.posts",
    "cityhall.feed",
    "cityhall.events",
    "cityhall.knowledge",
    "cityhall.broadcasts",
    "cityhall.directory",
    "cityhall.notifications",
    "cityhall.moderation",
    "cityhall.search",
    "cityhall.insights",
    "cityhall.interface",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cityhall.core.headers.ContentSecurityPolicyMiddleware",
    "cityhall.core.compression.CompressionMiddleware",
    "cityhall.core.saving.SavingFailureMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cityhall.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cityhall.core.limits.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cityhall.core.gate.AccessGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cityhall.core.headers.PrivacyHeadersMiddleware",
]

ROOT_URLCONF = "cityhall.urls"
WSGI_APPLICATION = "cityhall.wsgi.application"
ASGI_APPLICATION = "cityhall.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cityhall.core.context.site",
                "cityhall.broadcasts.context.on_air",
            ],
        },
    }
]


def _database(url: str) -> dict:
    """Parse DATABASE_URL: postgres://user:pass@host:port/name or sqlite:///path."""
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'cityhall.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:] if parts.path.startswith("//") else parts.path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_NAME") or None},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported.")


DATABASES = {"default": _database(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis accelerates and never decides: while it is down, the cache misses and writes nothing
    # and events are dropped, with short timeouts and a pause after each failure
    # (docs/decisions.md, "When Redis is down").
    CACHES = {
        "default": {"BACKEND": "cityhall.core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
    # Pub/sub: a group message is published once and each process hands it to its own viewers,
    # so a comment to 3,000 viewers costs one Redis message per process, not one per viewer.
    # Nothing is stored: a viewer who was away catches up from the database.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "cityhall.realtime.layers.ResilientPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("REDIS_CHANNEL_PREFIX", "asgi")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "cityhall.realtime.layers.LocalChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
# Email is unique case-insensitively through a constraint on Lower("email").
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = ["cityhall.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

SESSION_ENGINE = "cityhall.accounts.session_store"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cityhall.core.errors.csrf_failure"

# Login throttling (docs/decisions.md, "Sign-in limits"). Within the window (seconds): failures
# allowed for one address from one client before that pair waits the window out; as many for an
# address from anywhere, after which each attempt from a device the account has not signed in on
# waits a doubling delay of up to LOGIN_FAILURE_MAX_DELAY seconds; and a high cap per client IP.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_IP_LIMIT = env_int("LOGIN_FAILURE_IP_LIMIT", 100)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
LOGIN_FAILURE_MAX_DELAY = env_int("LOGIN_FAILURE_MAX_DELAY", 5 * 60)


def _trusted_proxies(proxies: list[str]) -> list[str]:
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as error:
            message = f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network."
            raise ImproperlyConfigured(message) from error
    return proxies


# Reverse proxies whose X-Forwarded-For names the client (IPs or CIDR networks, e.g. 127.0.0.1
# for nginx on this machine). Empty: REMOTE_ADDR is the client (cityhall/core/client.py).
TRUSTED_PROXIES = _trusted_proxies(env_list("TRUSTED_PROXIES"))

# Links sent by mail.
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 48
ACTIVATION_MAX_AGE = 60 * 60 * 24 * 7
EMAIL_CHANGE_MAX_AGE = 60 * 60 * 24
SIGN_IN_LINK_MAX_AGE = 60 * 30
ACCOUNT_DELETION_LINK_MAX_AGE = 60 * 60 * 24

# Days between a member's request to delete their account and its anonymisation; signing in
# meanwhile cancels the request.
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 14)

# Version of the community rules and privacy policy an applicant consents to.
POLICY_VERSION = "2026-11-01"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Static files are collected with hashed names and precompressed (gzip) wherever the site is
# served, the local demo included, so a tester sees what production sends: `serve` collects
# them at start. STATIC_MANIFEST=0 serves the source folders as they are (the test suite).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", True)
STORAGES = {
    "default": {"BACKEND": "cityhall.core.saving.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "cityhall.core.staticfiles.StaticStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_MANIFEST
# Uploaded files are never served directly: views check access, then stream them or hand
# them to nginx with X-Accel-Redirect when MEDIA_ACCEL_REDIRECT names an internal location.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT")
# Request bodies, refused with 413 before they are read (cityhall/core/limits.py): public pages
# (sign-in, the application) and members' pages; pages taking files allow what their files may
# weigh. Uploaded files go to temporary files on disk past a small size, never whole in memory.
PUBLIC_BODY_LIMIT = env_int("PUBLIC_BODY_LIMIT", 64 * 1024)
MEMBER_BODY_LIMIT = env_int("MEMBER_BODY_LIMIT", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # the fields beside files, a last line of defence
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Files attached to a post: how many, and how large each may be (bytes).
POST_ATTACHMENT_MAX_FILES = env_int("POST_ATTACHMENT_MAX_FILES", 5)
POST_ATTACHMENT_MAX_BYTES = env_int("POST_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# Self-hosted broadcasts (docs/broadcasting.md): nginx's RTMP module writes HLS and recordings
# here, asks the app before accepting a stream (callbacks carry BROADCAST_CALLBACK_SECRET), and
# asks again before serving each HLS file (auth_request). ffmpeg turns recordings into archives.
BROADCAST_HLS_DIR = Path(env_str("BROADCAST_HLS_DIR", str(VAR_DIR / "hls")))
BROADCAST_RECORDINGS_DIR = Path(env_str("BROADCAST_RECORDINGS_DIR", str(VAR_DIR / "recordings")))
BROADCAST_CALLBACK_SECRET = env_str("BROADCAST_CALLBACK_SECRET")
BROADCAST_HLS_URL = env_str("BROADCAST_HLS_URL", "/hls/")
BROADCAST_RTMP_URL = env_str("BROADCAST_RTMP_URL", "rtmp://localhost:1935/live")
FFMPEG = env_str("FFMPEG", "ffmpeg")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
