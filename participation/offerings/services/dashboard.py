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
#: A trend is drawn from this many rounds with results on (one round is a point, not a development).
TREND_MIN_ROUNDS = 2


@dataclass(slots=True)
class Dashboard:
    centre: CentreOut
    summary: dict | None
    actions: list[FollowUpView]
    counts: dict[str, int]
    offerings: list[OfferingOut]
    trends: list[Trend]
    #: (id, title) of the rounds with results, newest first, and the one shown.
    rounds: list[tuple[int, str]]
    round_id: int | None


class UnknownRound(LookupError):
    """The round asked for has no published results."""


async def centre_dashboard(centre_id: int, *, threshold: int, round_id: int | None = None) -> Dashboard | None:
    """A centre's feedback summary: district and centre results and themes of a round with published results (by
    default the newest; never the open one), trends of a few key questions for its district once two rounds have
    results, its action items by status, its plan. `UnknownRound` for a round without results."""
    from participation.surveys.services.protected import one_view_per_request

    # The summary and every trend read the same surveys: each protected view is loaded once for the whole page.
    async with one_view_per_request():
        return await _centre_dashboard(centre_id, threshold, round_id)


async def _centre_dashboard(centre_id: int, threshold: int, round_id: int | None) -> Dashboard | None:
    from participation.dialogues.services.snapshots import centre_summary_snapshot, rounds_with_results

    centre = await get_centre(centre_id)
    if centre is None:
        return None
    rounds = await rounds_with_results()
    if round_id is None:
        round_id = rounds[0][0] if rounds else None
    elif round_id not in {r for r, _title in rounds}:
        raise UnknownRound(round_id)
    summary = await centre_summary_snapshot(centre_id, threshold=threshold, round_id=round_id) \
        if round_id is not None else None
    actions = await inbox(centre_id)
    counts = {s.value: sum(1 for a in actions if a.status is s) for s in FollowUpStatus}
    trends = []
    for key in (await trend_keys())[:DASHBOARD_TREND_KEYS]:
        trend = await district_trend(key.key, threshold=threshold, district_id=centre.district_id)
        if trend is not None and len(trend.rounds) >= TREND_MIN_ROUNDS:
            trends.append(trend)
    return Dashboard(centre=centre, summary=summary, actions=actions, counts=counts,
                     offerings=await list_offerings(centre_id), trends=trends, rounds=rounds, round_id=round_id)
