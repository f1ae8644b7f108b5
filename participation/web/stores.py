"""The shared store of sessions and throttles: Litestar's own stores.

Without REDIS_URL, a `MemoryStore` per purpose (one process: the embedded default). With REDIS_URL, a `RedisStore`
per purpose on one Redis client, namespaced under REDIS_PREFIX, so every app process sees the same sessions and
counts. Litestar's `Store` has no atomic increment, so `Counter` uses Redis' INCR on the same client (and a lock in
memory), keeping counts exact when several processes count at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from participation.settings import Settings

SESSION_STORE = "sessions"
THROTTLE_STORE = "throttles"


@dataclass
class SharedStore:
    """A Litestar store and, for Redis, its client and key prefix (for the atomic counter)."""

    store: Store
    redis: object | None = None
    prefix: str = ""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def make_stores(settings: Settings) -> dict[str, SharedStore]:
    """One store per purpose (sessions, throttles) for `settings`: Redis when REDIS_URL is set, else memory."""
    if not settings.redis_url:
        return {SESSION_STORE: SharedStore(MemoryStore()), THROTTLE_STORE: SharedStore(MemoryStore())}
    from litestar.stores.redis import RedisStore
    from redis.asyncio import Redis

    client = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    stores = {}
    for name in (SESSION_STORE, THROTTLE_STORE):
        namespace = f"{settings.redis_prefix}:{name}"
        stores[name] = SharedStore(RedisStore(client, namespace=namespace), redis=client, prefix=namespace)
    return stores


async def purge_expired(stores: dict[str, SharedStore], every_seconds: float = 300) -> None:
    """Forever: drop expired entries of memory stores (they are otherwise only dropped when read again, so sessions
    and throttle counters nobody asks for again would pile up). Redis expires its keys itself."""
    while True:
        await asyncio.sleep(every_seconds)
        for shared in stores.values():
            if isinstance(shared.store, MemoryStore):
                await shared.store.delete_expired()


async def store_is_reachable(store: Store, timeout: float = 2.0) -> bool:  # noqa: ASYNC109 - a budget
    """Whether the store answers a read within `timeout` s (Redis: one round trip; memory: always)."""
    try:
        await asyncio.wait_for(store.exists("readiness-check"), timeout)
    except Exception:
        return False
    return True


async def close_stores(stores: dict[str, SharedStore]) -> None:
    clients = {id(shared.redis): shared.redis for shared in stores.values() if shared.redis is not None}
    for client in clients.values():
        await client.aclose()  # type: ignore[attr-defined]


class Counter:
    """Atomic "add one and return the count" over a shared store; the first count sets the expiry."""

    def __init__(self, shared: SharedStore) -> None:
        self.shared = shared

    async def increment(self, key: str, *, expires_in: int) -> int:
        shared = self.shared
        if shared.redis is not None:
            full_key = f"{shared.prefix}:{key}"
            async with shared.redis.pipeline(transaction=True) as pipe:  # type: ignore[attr-defined]
                pipe.set(full_key, 0, ex=expires_in, nx=True)
                pipe.incr(full_key)
                _created, count = await pipe.execute()
            return int(count)
        async with shared.lock:
            store = shared.store
            raw = await store.get(key)
            count = int(raw or 0) + 1
            remaining = await store.expires_in(key) if raw is not None else None
            await store.set(key, str(count), expires_in=remaining or expires_in)
            return count

    async def value(self, key: str) -> int:
        raw = await self.shared.store.get(key)
        return int(raw or 0)
