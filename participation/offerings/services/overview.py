"""The office's overview: every published action item, grouped by who is responsible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import FollowUpView, _follow_ups, _sorted


@dataclass(slots=True)
class OverviewGroup:
    """The action items of one responsible party (a centre with its operator, or the city office)."""

    centre_id: int | None
    name: str
    operator: str
    items: list[FollowUpView]
    counts: dict[str, int]
    overdue: int


async def office_overview(*, status: str | None = None, today: date | None = None) -> list[OverviewGroup]:
    """Every published action item, grouped by centre (city office first, then by operator and centre)."""
    views = _sorted(await _follow_ups())
    if status:
        views = [v for v in views if v.status.value == status]
    groups: dict[int | None, OverviewGroup] = {}
    for view in views:
        group = groups.get(view.centre_id)
        if group is None:
            group = groups[view.centre_id] = OverviewGroup(
                centre_id=view.centre_id, name=view.responsible, operator=view.operator, items=[],
                counts={s.value: 0 for s in FollowUpStatus}, overdue=0,
            )
        group.items.append(view)
        group.counts[view.status.value] += 1
        group.overdue += view.overdue(today)
    return sorted(groups.values(), key=lambda g: (g.centre_id is not None, g.operator.casefold(),
                                                  g.name.casefold()))
