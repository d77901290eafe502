"""A bounded cache of query answers, emptied by every write."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Least recently used first out, bounded in entries and in bytes (``size`` of a value).

    The data only change by writes, and every write empties the caches, so a hit is always the
    answer the store would give now.
    """

    def __init__(self, entries: int, max_bytes: int):
        self._entries = entries
        self._max_bytes = max_bytes
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int) -> None:
        if self._entries == 0 or size > self._max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self._entries or self._bytes > self._max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def through(self, key: K, compute: Callable[[], V], size: Callable[[V], int]) -> V:
        """The cached value of ``key``, or the computed one (kept when it fits)."""
        found = self.get(key)
        if found is not None:
            return found
        value = compute()
        self.put(key, value, size(value))
        return value
