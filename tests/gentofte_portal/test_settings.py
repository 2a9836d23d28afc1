"""Operators configure the portal through the environment alone (django-environ), and the production settings
pass Django's deployment check."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'engine': s.DATABASES['default']['ENGINE'], "
    "'db_name': str(s.DATABASES['default']['NAME']), 'broker': s.CELERY_BROKER_URL, "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, "
    "'media': str(s.MEDIA_ROOT), 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, "
    "'languages': [c for c, _ in s.LANGUAGES], 'secret': s.SECRET_KEY}))"
)
STRONG_KEY = "k3y-for-tests-only-4f9a1c2e7b6d5a8f0e3c1b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5"


def run(code_or_args, settings_module, **env_vars):
    """Run Python with a clean environment (no inherited DATABASE_URL/REDIS_URL), as a fresh process would."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    env = {**keep, "DJANGO_SETTINGS_MODULE": settings_module, **env_vars}
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    # An empty .env next to manage.py would be read too; the tests set every variable they rely on.
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def show(settings_module="gentofte_portal.settings.local", **env_vars):
    result = run(SHOW, settings_module, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_run_on_sqlite_with_eager_tasks_in_danish():
    s = show()
    assert s["debug"] is True
    assert s["engine"] == "django.db.backends.sqlite3" and s["db_name"].endswith("var/db.sqlite3")
    assert s["eager"] is True and s["broker"] == "memory://"
    assert s["tz"] == "Europe/Copenhagen"
    assert s["lang"] == "da" and s["languages"] == ["da", "en"]


def test_database_redis_email_and_media_come_from_the_environment(tmp_path):
    s = show(
        DATABASE_URL="postgres://portal:pw@db.example:5433/portal",
        REDIS_URL="redis://cache.example:6380/2",
        EMAIL_URL="smtp://mail.example:25",
        MEDIA_ROOT=str(tmp_path),
        ALLOWED_HOSTS="portal.example,www.portal.example",
    )
    assert s["engine"] == "django.db.backends.postgresql" and s["db_name"] == "portal"
    assert s["broker"] == "redis://cache.example:6380/2" and s["eager"] is False
    assert s["cache"] == "gentofte_portal.common.cache.FailSafeRedisCache"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["media"] == str(tmp_path)
    assert s["hosts"] == ["portal.example", "www.portal.example"]


def test_development_key_only_while_debug():
    assert show(DEBUG="true")["secret"].startswith("django-insecure")
    result = run(SHOW, "gentofte_portal.settings.local", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert show(DEBUG="false", SECRET_KEY=STRONG_KEY)["secret"] == STRONG_KEY


def test_production_requires_secret_and_hosts():
    result = run(SHOW, "gentofte_portal.settings.production", ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    result = run(SHOW, "gentofte_portal.settings.production", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "gentofte_portal.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example",
        DATABASE_URL="sqlite:////tmp/portal-deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_eager_mode_is_logged_once_at_start():
    result = run(["manage.py", "check"], "gentofte_portal.settings.local")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Celery tasks run in-process (eager)") == 1
    with_redis = run(["manage.py", "check"], "gentofte_portal.settings.local", REDIS_URL="redis://127.0.0.1:6379/0")
    assert "eager" not in with_redis.stderr
