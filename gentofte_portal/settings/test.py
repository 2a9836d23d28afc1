"""Test settings: the same environment switches as everywhere, plus fast hashing and a throwaway media folder.

Without DATABASE_URL/REDIS_URL the suite runs on SQLite with eager tasks; CI sets both and .ci/run checks that
the run really used PostgreSQL and a Celery worker.
"""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test process collects mail in memory (mail.outbox); the Celery worker started for the integration tests
# writes it to files instead (tests/conftest.py sets these two), so a test can read what the worker sent.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default=tempfile.gettempdir())
# Throwaway folders; the integration tests' worker is given the test process's own (tests/conftest.py).
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default=None) or tempfile.mkdtemp(prefix="portal-test-media-")
PRIVATE_MEDIA_ROOT = env("TEST_PRIVATE_MEDIA_ROOT", default=None) or tempfile.mkdtemp(prefix="portal-test-private-")
# Tests see every page freshly rendered; tests/meetings/test_public_cache.py switches the page cache on.
PORTAL_PUBLIC_CACHE_SECONDS = 0
PORTAL_SHARED_DATA_CACHE_SECONDS = 0
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
