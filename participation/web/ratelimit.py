"""Throttles (submissions, sign-ins, invitation codes) over the shared store, so every app process counts the same.

The store is one of Litestar's own: a `MemoryStore` for the embedded single-process default, a `RedisStore` when
REDIS_URL is set (participation.web.stores). A client address is only ever held as an HMAC whose key is derived from
SECRET_KEY and the current window, so all processes agree on it, and every entry expires with its window. Nothing
reaches the database or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from litestar.types import Scope

from participation.web.stores import Counter, SharedStore

#: Failures of one sign-in (account and client) are counted for this long; the back-off resets after it.
FAILURE_WINDOW_SECONDS = 3600


def client_address(scope: Scope) -> str:
    """The client address uvicorn determined (from X-Forwarded-For only behind a trusted proxy)."""
    client = scope.get("client") or ("unknown", 0)
    return str(client[0])


class _Hasher:
    """Short HMACs of addresses and e-mail addresses, keyed by SECRET_KEY-derived material and the window."""

    def __init__(self, secret_key: str, purpose: str) -> None:
        self._key = hashlib.sha256(f"ratelimit:{purpose}:{secret_key}".encode()).digest()

    def __call__(self, window: int, *parts: str) -> str:
        message = "\x00".join((str(window), *parts)).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]


class SubmissionLimiter:
    """At most `per_hour` submissions per client address in a fixed one-hour window, counted in the shared store."""

    def __init__(self, store: SharedStore, secret_key: str, per_hour: int, purpose: str = "submissions") -> None:
        self.per_hour = per_hour
        self._counter = Counter(store)
        self._hash = _Hasher(secret_key, purpose)
        self._prefix = "submit" if purpose == "submissions" else purpose

    async def allow(self, scope: Scope) -> bool:
        """Count a submission attempt; False when this client has used up the hour's allowance."""
        now = time.time()
        window = int(now // 3600)
        key = f"{self._prefix}:{self._hash(window, client_address(scope))}"
        count = await self._counter.increment(key, expires_in=int((window + 1) * 3600 - now) + 1)
        return count <= self.per_hour


@dataclass(frozen=True)
class BackoffRule:
    """After `free` failures each further one blocks for 1, 2, 4 … seconds, at most `cap`."""

    name: str
    free: int
    cap: int = 300

    def delay(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.cap, 2 ** min(failures - self.free, 30))


class Backoff:
    """Failure counters with exponential back-off, one per (rule, key), in the shared store."""

    def __init__(self, store: SharedStore) -> None:
        self.store = store
        self._counter = Counter(store)

    async def wait_seconds(self, rule: BackoffRule, key: str) -> int:
        """Seconds until `key` may try again under `rule` (0: now)."""
        block = f"{rule.name}:block:{key}"
        if not await self.store.store.exists(block):
            return 0
        return max(1, await self.store.store.expires_in(block) or 1)

    async def failures(self, rule: BackoffRule, key: str) -> int:
        return await self._counter.value(f"{rule.name}:fail:{key}")

    async def failed(self, rule: BackoffRule, key: str) -> None:
        failures = await self._counter.increment(f"{rule.name}:fail:{key}", expires_in=FAILURE_WINDOW_SECONDS)
        delay = rule.delay(failures)
        if delay:
            await self.store.store.set(f"{rule.name}:block:{key}", b"1", expires_in=delay)

    async def clear(self, rule: BackoffRule, key: str) -> None:
        await self.store.store.delete(f"{rule.name}:fail:{key}")
        await self.store.store.delete(f"{rule.name}:block:{key}")


#: Notification addresses left per client address and hour (a centre's shared tablet or Wi-Fi needs some headroom).
SUBSCRIPTIONS_PER_HOUR = 20


#: One account from one client: the back-off an attacker guessing one password meets first.
SIGN_IN_PAIR = BackoffRule("signin-pair", free=5)
#: One client across accounts (password spraying): looser.
SIGN_IN_CLIENT = BackoffRule("signin-client", free=20)
#: One account across clients: only slows clients that have themselves failed on it, so nobody can lock the
#: office out by failing from elsewhere.
SIGN_IN_ACCOUNT = BackoffRule("signin-account", free=20)
#: Invitation codes from one client: a centre's shared tablet or Wi-Fi may mistype a few.
CODE_CLIENT = BackoffRule("code-client", free=10)


class SignInThrottle:
    """Exponential back-off of sign-ins per (account, client), per client and per account (see the rules above)."""

    def __init__(self, store: SharedStore, secret_key: str) -> None:
        self._backoff = Backoff(store)
        self._hash = _Hasher(secret_key, "sign-in")

    def _keys(self, email: str, scope: Scope) -> tuple[str, str, str]:
        address = client_address(scope)
        return self._hash(0, email, address), self._hash(0, "client", address), self._hash(0, "account", email)

    async def wait_seconds(self, email: str, scope: Scope) -> int:
        """Seconds this client must wait before it may try this account again (0: it may try now)."""
        pair, client, account = self._keys(email, scope)
        waits = [await self._backoff.wait_seconds(SIGN_IN_PAIR, pair),
                 await self._backoff.wait_seconds(SIGN_IN_CLIENT, client)]
        if await self._backoff.failures(SIGN_IN_PAIR, pair):
            waits.append(await self._backoff.wait_seconds(SIGN_IN_ACCOUNT, account))
        return max(waits)

    async def failed(self, email: str, scope: Scope) -> None:
        pair, client, account = self._keys(email, scope)
        await self._backoff.failed(SIGN_IN_PAIR, pair)
        await self._backoff.failed(SIGN_IN_CLIENT, client)
        await self._backoff.failed(SIGN_IN_ACCOUNT, account)

    async def succeeded(self, email: str, scope: Scope) -> None:
        pair, _client, _account = self._keys(email, scope)
        await self._backoff.clear(SIGN_IN_PAIR, pair)


class CodeThrottle:
    """Exponential back-off of invitation-code guesses per client."""

    def __init__(self, store: SharedStore, secret_key: str) -> None:
        self._backoff = Backoff(store)
        self._hash = _Hasher(secret_key, "codes")

    def _key(self, scope: Scope) -> str:
        return self._hash(0, client_address(scope))

    async def wait_seconds(self, scope: Scope) -> int:
        return await self._backoff.wait_seconds(CODE_CLIENT, self._key(scope))

    async def failed(self, scope: Scope) -> None:
        await self._backoff.failed(CODE_CLIENT, self._key(scope))


def make_throttles(store: SharedStore, secret_key: str, submit_rate_per_hour: int,
                   poll_vote_rate_per_hour: int = 3000) -> dict[str, object]:
    """The throttles app.state holds, all on `store`."""
    return {
        "submission_limiter": SubmissionLimiter(store, secret_key, submit_rate_per_hour),
        "poll_vote_limiter": SubmissionLimiter(store, secret_key, poll_vote_rate_per_hour, purpose="poll-votes"),
        "sign_in_throttle": SignInThrottle(store, secret_key),
        "code_throttle": CodeThrottle(store, secret_key),
        "subscription_limiter": SubmissionLimiter(store, secret_key, SUBSCRIPTIONS_PER_HOUR, "subscriptions"),
    }
