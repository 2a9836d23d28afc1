"""Settings for bench/http.py: the production settings, with a bench-only URLconf (adds /bench/floor/) and mail
kept in memory. bench/http.py acts as the TLS proxy (it sends X-Forwarded-Proto: https and X-Forwarded-For), so
the HTTPS redirect, secure cookies and HSTS stay as in production. Never use this module for a real server."""

from gentofte_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Receipts are rendered and "sent" as in production, but into memory: no real mail leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The shared cache (page cache, rate limits) in Redis as in production, while tasks still run in the request:
# bench/http.py sets BENCH_CACHE_URL (a Redis database of its own, emptied before each run).
_cache_url = env("BENCH_CACHE_URL", default="")  # noqa: F405
if _cache_url:
    CACHES = {"default": {"BACKEND": "gentofte_portal.common.cache.FailSafeRedisCache", "LOCATION": _cache_url}}
