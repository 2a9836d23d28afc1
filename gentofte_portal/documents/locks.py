"""A lock held while a piece of work runs, that dies with the process holding it.

PostgreSQL's session advisory locks are released when the connection closes, so a worker killed mid-render (SIGKILL,
the OOM killer) leaves no stale lock behind: the next worker takes the work over at once. On SQLite (development,
tasks in-process) there is only one process, and the lock is always granted.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def work_lock(name: str, key: int) -> Iterator[bool]:
    """Yields True if this process now holds the lock for (name, key), False if another one does."""
    if connection.vendor != "postgresql":
        yield True
        return
    namespace = zlib.crc32(name.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])
