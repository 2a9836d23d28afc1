"""The shared cache (Redis) with a fallback, so that Redis is never a single point of failure for visitors.

Django's RedisCache raises on every call while Redis is down, which made the page cache and the rate limit answer
500 to every citizen. ``FailSafeRedisCache`` is that backend with short socket timeouts and a circuit breaker: while
Redis cannot be reached, each call goes to a per-process local-memory cache instead, and the log says so once.

What this means for the callers: the rate limit (django-ratelimit) keeps counting, per process instead of shared, so
it still limits; the page cache asks ``cache_degraded()`` and renders every page itself until Redis is back.
"""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from .breaker import breaker

RETRY_AFTER_SECONDS = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client with one ``redis.Redis`` per connection pool, made once: Django makes a new one for every
    call, and its setup (some 300 response callbacks) cost about a quarter of a millisecond per cache call, several
    per page. A ``redis.Redis`` on a pool is thread-safe, and the pool itself reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # kept for the process: its id names it
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        import redis

        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self.breaker = breaker(f"Redis (cache) {self._servers[0].split('@')[-1]}", retry_after=RETRY_AFTER_SECONDS)
        # The same name in every thread: LocMemCache instances of one name share their storage within a process.
        self._fallback = LocMemCache(f"failsafe-{self._servers[0]}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def ping(self) -> None:
        """Ask Redis itself (no breaker, no fallback): raises while it cannot be reached. For /healthz."""
        self._cache.get_client(write=True).ping()


def _guarded(name: str):
    primary = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if self.breaker.allows():
            try:
                result = primary(self, *args, **kwargs)
            except self._errors as exc:
                self.breaker.failed(exc, fallback="using a per-process cache (rate limits count per process)")
            else:
                self.breaker.succeeded()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = primary.__doc__
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailSafeRedisCache, _name, _guarded(_name))


def cache_degraded(alias: str = "default") -> bool:
    """True while the shared cache is unreachable and calls go to the per-process fallback."""
    backend = caches[alias]
    return isinstance(backend, FailSafeRedisCache) and not backend.breaker.allows()


def on_cache_recovery(callback, alias: str = "default") -> None:
    """Run ``callback`` in this process when the shared cache is reachable again after an outage."""
    backend = caches[alias]
    if isinstance(backend, FailSafeRedisCache):
        backend.breaker.on_recovery(callback)
