"""Publishing the minutes: a version freezes the snapshot and its sha256. Publishing unchanged content again keeps
the version; a change makes the next one. Each new version's PDF is queued at once."""

from __future__ import annotations

from dataclasses import dataclass

from participation.dialogues.services.agenda import SessionError, list_agenda
from participation.dialogues.services.pdfs import request_minutes_pdf
from participation.dialogues.services.snapshots import build_snapshot, content_hash
from participation.dialogues.tables import MinutesVersion
from participation.i18n import gettext as _


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    version_id: int
    number: int
    created: bool
    content_hash: str


async def publish_minutes(round_id: int, *, public: bool, threshold: int, user_id: int | None = None) -> PublishOutcome:
    """Freeze the current minutes as a version and queue its PDF; unchanged content keeps the latest version.
    Public minutes queue the outcome mails of the round's confirmed notification subscriptions.

    A changed "public" choice on unchanged content changes only that flag.
    """
    snapshot = await build_snapshot(round_id, threshold=threshold)
    if snapshot is None:
        raise SessionError(_("Diese Runde gibt es nicht."))
    if not snapshot["items"]:
        raise SessionError(_("Das Protokoll hat noch keine Tagesordnungspunkte."), "public")
    await _refuse_unconfirmed_themes(round_id)
    digest = content_hash(snapshot)
    latest = await MinutesVersion.select(
        MinutesVersion.id, MinutesVersion.number, MinutesVersion.content_hash, MinutesVersion.public
    ).where(MinutesVersion.round == round_id).order_by(MinutesVersion.number, ascending=False).first()
    if latest and latest["content_hash"] == digest:
        if latest["public"] != public:
            await MinutesVersion.update({MinutesVersion.public: public}).where(MinutesVersion.id == latest["id"])
        outcome = PublishOutcome(latest["id"], latest["number"], False, digest)
    else:
        number = (latest["number"] if latest else 0) + 1
        rows = await MinutesVersion.insert(MinutesVersion(
            round=round_id, number=number, content_hash=digest, snapshot=snapshot, public=public,
            published_by=user_id,
        )).returning(MinutesVersion.id)
        outcome = PublishOutcome(rows[0]["id"], number, True, digest)
    await request_minutes_pdf(digest)
    if public:
        # Parents who asked to be told: one outcome mail each, queued once however often this is published.
        from participation.notifications.services.subscriptions import queue_outcome_mails

        await queue_outcome_mails(round_id)
    return outcome


async def _refuse_unconfirmed_themes(round_id: int) -> None:
    """Minutes are not published with a theme item whose theme nobody has named or confirmed."""
    from participation.surveys.services.themes import unconfirmed_among

    unnamed = await unconfirmed_among([item.theme_id for item in await list_agenda(round_id)
                                       if item.kind == "theme" and item.theme_id is not None])
    if unnamed:
        raise SessionError(_("Das Thema „%(label)s“ hat noch keinen bestätigten Namen. Bitte benennen Sie es auf "
                             "der Themen-Seite oder übernehmen Sie den Vorschlag, bevor Sie das Protokoll "
                             "veröffentlichen.", label=unnamed[0]), "public")


async def draft_differs(round_id: int, *, threshold: int) -> bool | None:
    """Whether the working copy differs from the latest published version (None: nothing published yet)."""
    latest = await MinutesVersion.select(MinutesVersion.content_hash).where(MinutesVersion.round == round_id).order_by(
        MinutesVersion.number, ascending=False
    ).first()
    if latest is None:
        return None
    snapshot = await build_snapshot(round_id, threshold=threshold)
    return snapshot is not None and content_hash(snapshot) != latest["content_hash"]
