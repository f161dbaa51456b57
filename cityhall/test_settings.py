"""Settings for the test suite: the real settings, with test-only defaults in the environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault(
    "VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)

# SQLite tests use a database file, as production does: an in-memory database shared between
# connections locks whole tables and fails at once instead of waiting, so concurrent requests
# could not be tested against it. One file per process; Django deletes it when the run ends.
os.environ.setdefault("SQLITE_TEST_NAME", f"{os.environ['VAR_DIR']}/test-{os.getpid()}.sqlite3")

from cityhall.settings import *  # noqa: F403

# Fast hashing keeps the suite quick; production keeps Argon2 (see settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True

# With Redis, each parallel test worker gets its own database so clearing the cache between
# tests never disturbs another worker, and its own prefix for the layer's pub/sub channels
# (which Redis shares across database numbers).
if REDIS_URL:  # noqa: F405
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _redis = REDIS_URL.rsplit("/", 1)[0] + f"/{1 + _worker % 15}"  # noqa: F405
    CACHES["default"]["LOCATION"] = _redis  # noqa: F405
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "cityhall.realtime.layers.ResilientPubSubChannelLayer",
            "CONFIG": {"hosts": [_redis], "prefix": f"asgi-test{_worker}"},
        }
    }
