"""A centre's dashboard: its feedback summary, trends for its district, its action items and its plan."""

from __future__ import annotations

from dataclasses import dataclass

from participation.directory.schemas import CentreOut
from participation.directory.services import get_centre
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import FollowUpView, inbox
from participation.offerings.services.plans import OfferingOut, list_offerings
from participation.offerings.services.trends import Trend, district_trend, trend_keys

#: How many key questions the centre dashboard shows a trend for.
DASHBOARD_TREND_KEYS = 3


@dataclass(slots=True)
class Dashboard:
    centre: CentreOut
    summary: dict | None
    actions: list[FollowUpView]
    counts: dict[str, int]
    offerings: list[OfferingOut]
    trends: list[Trend]


async def centre_dashboard(centre_id: int, *, threshold: int) -> Dashboard | None:
    """A centre's feedback summary: district results and themes of the latest round (suppressed, from the minutes'
    centre summary), trends of a few key questions for its district, its action items by status, its plan."""
    from participation.surveys.services.protected import one_view_per_request

    # The summary and every trend read the same surveys: each protected view is loaded once for the whole page.
    async with one_view_per_request():
        return await _centre_dashboard(centre_id, threshold)


async def _centre_dashboard(centre_id: int, threshold: int) -> Dashboard | None:
    from participation.dialogues.services.snapshots import centre_summary_snapshot

    centre = await get_centre(centre_id)
    if centre is None:
        return None
    summary = await centre_summary_snapshot(centre_id, threshold=threshold)
    actions = await inbox(centre_id)
    counts = {s.value: sum(1 for a in actions if a.status is s) for s in FollowUpStatus}
    trends = []
    for key in (await trend_keys())[:DASHBOARD_TREND_KEYS]:
        trend = await district_trend(key.key, threshold=threshold, district_id=centre.district_id)
        if trend is not None:
            trends.append(trend)
    return Dashboard(centre=centre, summary=summary, actions=actions, counts=counts,
                     offerings=await list_offerings(centre_id), trends=trends)
