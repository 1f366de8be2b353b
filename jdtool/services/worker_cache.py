"""What a worker process keeps between requests: a bounded, thread-safe store, and the name of
the database a kept value came from (one process may serve two databases: the tests, the load
benchmark's set-up), which every key must include."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

Value = TypeVar("Value")


class BoundedCache(Generic[Value]):
    """A least-recently-used map of at most `size` entries, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def drop(self, unwanted: Callable[[Hashable, Value], bool]) -> None:
        """Remove every entry for which `unwanted(key, value)` is true."""
        with self._lock:
            for key in [key for key, value in self._entries.items() if unwanted(key, value)]:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


def database_of(session: Session | None) -> Hashable:
    """The database `session` reads, as part of a key of what a worker keeps."""
    bind = session.bind if session is not None else None
    return getattr(bind, "url", None)
