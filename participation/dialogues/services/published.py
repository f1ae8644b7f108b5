"""Published versions of the minutes: each freezes a snapshot (see `snapshots`) under its content hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from participation.dialogues.services.snapshots import _loads
from participation.dialogues.tables import MinutesVersion


@dataclass(frozen=True, slots=True)
class VersionOut:
    id: int
    round_id: int
    round_title: str
    number: int
    content_hash: str
    public: bool
    published_at: Any
    session_date: date | None = None


def _version(row: dict) -> VersionOut:
    return VersionOut(
        id=row["id"], round_id=row["round"], round_title=row.get("round_title", ""), number=row["number"],
        content_hash=row["content_hash"], public=row["public"], published_at=row["published_at"],
        session_date=row.get("session_date"),
    )


_VERSION_COLUMNS = (
    MinutesVersion.id, MinutesVersion.round, MinutesVersion.number, MinutesVersion.content_hash,
    MinutesVersion.public, MinutesVersion.published_at, MinutesVersion.round.title.as_alias("round_title"),
    MinutesVersion.round.session_date.as_alias("session_date"),
)


async def list_versions(round_id: int | None = None, *, public_only: bool = False) -> list[VersionOut]:
    """Published versions, newest first (of one round, or of all rounds)."""
    query = MinutesVersion.select(*_VERSION_COLUMNS).order_by(MinutesVersion.published_at, ascending=False).order_by(
        MinutesVersion.id, ascending=False
    )
    if round_id is not None:
        query = query.where(MinutesVersion.round == round_id)
    if public_only:
        query = query.where(MinutesVersion.public.eq(True))
    return [_version(row) for row in await query]


async def get_version(version_id: int) -> VersionOut | None:
    row = await MinutesVersion.select(*_VERSION_COLUMNS).where(MinutesVersion.id == version_id).first()
    return _version(row) if row else None


async def version_snapshot(version_id: int) -> dict | None:
    row = await MinutesVersion.select(MinutesVersion.snapshot).where(MinutesVersion.id == version_id).first()
    return _loads(row["snapshot"]) if row else None
