"""A circuit breaker per outside service (Redis as cache, Redis as broker), shared by every caller in a process.

Without one, every request during a Redis outage would wait for its own failed connection (and a host that drops
packets makes each wait a full timeout). After a failure the breaker stays open for ``retry_after`` seconds: callers
skip the service and use their fallback at once. The first call after that is the trial; its success closes the
breaker, logs the recovery and runs the recovery callbacks (the page cache forgets pages cached before the outage).
"""

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger("gentofte_portal.common.breaker")


class CircuitBreaker:
    def __init__(self, name: str, *, retry_after: float = 5.0):
        self.name = name
        self.retry_after = retry_after
        self.failing = False  # since the last failure, until a call succeeds again
        self._open_until = 0.0
        self._lock = threading.Lock()
        self._on_recovery: list[Callable[[], None]] = []

    def allows(self) -> bool:
        """False while open: skip the service and take the fallback without trying."""
        return time.monotonic() >= self._open_until

    def failed(self, exc: BaseException, *, fallback: str) -> None:
        with self._lock:
            first = not self.failing
            self.failing = True
            self._open_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "%s unreachable (%s: %s); %s. Retrying every %s s.",
                self.name,
                exc.__class__.__name__,
                exc,
                fallback,
                self.retry_after,
            )

    def succeeded(self) -> None:
        if not self.failing:
            return
        with self._lock:
            recovered, self.failing, self._open_until = self.failing, False, 0.0
        if recovered:
            logger.warning("%s reachable again.", self.name)
            for callback in list(self._on_recovery):
                try:
                    callback()
                except Exception:  # a callback must not turn the recovery into an error for the caller
                    logger.exception("Recovery callback for %s failed", self.name)

    def on_recovery(self, callback: Callable[[], None]) -> None:
        if callback not in self._on_recovery:
            self._on_recovery.append(callback)

    def reset(self) -> None:
        """For tests: forget any failure."""
        with self._lock:
            self.failing, self._open_until = False, 0.0


_breakers: dict[str, CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker(name: str, *, retry_after: float = 5.0) -> CircuitBreaker:
    """The process's one breaker for ``name`` (every thread and every cache alias on the same server share it)."""
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, retry_after=retry_after)
        return _breakers[name]
