"""Live updates of open polls within one app process: at most one poller per open poll reads the counts (one grouped
query about every second) and hands each new state to all of the process's subscribers (the projector's server-sent
events), so 300 open connections cost one query a second, not 300.

Votes live in the database, so every app process's poller sees all votes; this fan-out holds only connections of its
own process. A subscriber leaves when its client disconnects (its stream is cancelled); the poller stops with its last
subscriber, and every stream ends when the poll closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from participation.dialogues.services.polls import PollView, live_view

logger = logging.getLogger(__name__)

POLL_INTERVAL_SECONDS = 1.0


class _Watcher:
    """The poller of one poll and the queues of its subscribers."""

    def __init__(self, hub: PollHub, poll_id: int, threshold: int) -> None:
        self.hub = hub
        self.poll_id = poll_id
        self.threshold = threshold
        self.queues: set[asyncio.Queue[PollView]] = set()
        self.last: PollView | None = None
        self.task: asyncio.Task | None = None

    def publish(self, view: PollView) -> None:
        self.last = view
        for queue in self.queues:
            if queue.full():  # a slow client gets the newest state, not a backlog
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(view)

    async def run(self) -> None:
        while self.queues:
            try:
                view = await live_view(self.poll_id, threshold=self.threshold)
            except Exception:  # the database is away for a moment: keep the streams, try again
                logger.exception("Reading poll %s failed", self.poll_id)
                await asyncio.sleep(self.hub.interval * 3)
                continue
            if view != self.last:
                self.publish(view)
            if view.status != "open":
                break
            await asyncio.sleep(self.hub.interval)


class PollHub:
    """The process's pollers, one per watched poll."""

    def __init__(self, interval: float = POLL_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._watchers: dict[int, _Watcher] = {}

    def subscribers(self, poll_id: int | None = None) -> int:
        """Open subscriptions (of one poll, or all): what the tests and the benchmark check for leaks."""
        watchers = self._watchers.values() if poll_id is None else [self._watchers.get(poll_id)]
        return sum(len(w.queues) for w in watchers if w is not None)

    def pollers(self) -> int:
        return sum(1 for w in self._watchers.values() if w.task is not None and not w.task.done())

    @asynccontextmanager
    async def subscription(self, poll_id: int, threshold: int) -> AsyncIterator[asyncio.Queue[PollView]]:
        """A queue that receives each new state of the poll (the current one first) until the poll closes."""
        watcher = self._watchers.get(poll_id)
        if watcher is None:
            watcher = self._watchers[poll_id] = _Watcher(self, poll_id, threshold)
        queue: asyncio.Queue[PollView] = asyncio.Queue(maxsize=1)
        watcher.queues.add(queue)
        if watcher.last is not None:
            queue.put_nowait(watcher.last)
        if watcher.task is None or watcher.task.done():
            watcher.task = asyncio.create_task(watcher.run())
        try:
            yield queue
        finally:
            watcher.queues.discard(queue)
            if not watcher.queues and self._watchers.get(poll_id) is watcher:
                del self._watchers[poll_id]
                if watcher.task is not None and not watcher.task.done():
                    watcher.task.cancel()

    async def stream(self, poll_id: int, threshold: int) -> AsyncIterator[PollView]:
        """Each new state of the poll while it is open (the closed state last; a poll not open: its state only)."""
        async with self.subscription(poll_id, threshold) as queue:
            while True:
                view = await queue.get()
                yield view
                if view.status != "open":
                    return
