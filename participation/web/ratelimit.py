"""Rate limiting of parents' submissions without storing addresses.

The client address is only ever held as an HMAC with a key that lives in this process's memory, counted for the
current hour and forgotten when the hour ends or the process restarts. Nothing reaches the database or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from litestar.types import Scope


class SubmissionLimiter:
    """At most `per_hour` submissions per client address in a fixed one-hour window."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._key = secrets.token_bytes(32)
        self._window = self._current_window()
        self._counts: dict[bytes, int] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _current_window() -> int:
        return int(time.time() // 3600)

    def _client_key(self, scope: Scope) -> bytes:
        client = scope.get("client") or ("unknown", 0)
        return hmac.new(self._key, str(client[0]).encode(), hashlib.sha256).digest()[:16]

    def allow(self, scope: Scope) -> bool:
        """Count a submission attempt; False when this client has used up the hour's allowance."""
        key = self._client_key(scope)
        with self._lock:
            window = self._current_window()
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(key, 0)
            if count >= self.per_hour:
                return False
            self._counts[key] = count + 1
            return True
