"""A centre's *Angebotsplan* (offering plan): edited by that centre's staff only; the office reads every plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.offerings.schemas import KIND_LABELS, OFFERING_STATUS_LABELS, OfferingKind, OfferingStatus
from participation.offerings.tables import Offering

MAX_OFFERINGS_PER_CENTRE = 500


class OfferingError(DomainError):
    """A request about offerings or follow-ups cannot be done as asked; `str(error)` is the message for the user."""


class NotFound(LookupError):
    """Unknown id, or an id of another centre (both answered alike, as 404)."""


@dataclass(frozen=True, slots=True)
class OfferingOut:
    id: int
    centre_id: int
    title: str
    kind: OfferingKind
    topic: str
    target_group: str
    languages: str
    schedule: str
    capacity: int | None
    status: OfferingStatus
    updated_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def status_label(self) -> str:
        return str(OFFERING_STATUS_LABELS[self.status])


@dataclass(slots=True)
class OfferingInput:
    title: str
    kind: str
    topic: str = ""
    target_group: str = ""
    languages: str = ""
    schedule: str = ""
    capacity: int | None = None
    status: str = OfferingStatus.PLANNED.value


def _offering(row: dict) -> OfferingOut:
    return OfferingOut(
        id=row["id"], centre_id=row["centre"], title=row["title"], kind=OfferingKind(row["kind"]), topic=row["topic"],
        target_group=row["target_group"], languages=row["languages"], schedule=row["schedule"],
        capacity=row["capacity"], status=OfferingStatus(row["status"]), updated_at=row.get("updated_at"),
    )


_STATUS_ORDER = {OfferingStatus.RUNNING: 0, OfferingStatus.PLANNED: 1, OfferingStatus.ENDED: 2}


async def list_offerings(centre_id: int) -> list[OfferingOut]:
    """A centre's plan: running offerings first, then planned, then ended; by title within each."""
    rows = await Offering.select().where(Offering.centre == centre_id)
    offerings = [_offering(row) for row in rows]
    offerings.sort(key=lambda o: (_STATUS_ORDER[o.status], o.title.casefold(), o.id))
    return offerings


async def get_offering(centre_id: int, offering_id: int) -> OfferingOut:
    """An offering of this centre's plan; `NotFound` for an unknown id or another centre's offering."""
    row = await Offering.select().where((Offering.id == offering_id) & (Offering.centre == centre_id)).first()
    if row is None:
        raise NotFound(offering_id)
    return _offering(row)


def _check_offering(data: OfferingInput) -> dict:
    title = (data.title or "").strip()
    if not title:
        raise OfferingError(_("Bitte geben Sie einen Titel ein."), "title")
    if data.kind not in {k.value for k in OfferingKind}:
        raise OfferingError(_("Bitte wählen Sie eine Art des Angebots."), "kind")
    if data.status not in {s.value for s in OfferingStatus}:
        raise OfferingError(_("Bitte wählen Sie einen Stand."), "status")
    if data.capacity is not None and not 0 < data.capacity <= 10_000:
        raise OfferingError(_("Bitte geben Sie eine Zahl zwischen 1 und 10000 an."), "capacity")
    return {
        "title": title[:200], "kind": data.kind, "topic": data.topic.strip()[:200],
        "target_group": data.target_group.strip()[:200], "languages": data.languages.strip()[:200],
        "schedule": data.schedule.strip()[:300], "capacity": data.capacity, "status": data.status,
    }


async def create_offering(centre_id: int, data: OfferingInput) -> int:
    """Add an offering to a centre's plan."""
    values = _check_offering(data)
    if await Offering.count().where(Offering.centre == centre_id) >= MAX_OFFERINGS_PER_CENTRE:
        raise OfferingError(_("Der Angebotsplan hat schon %(n)s Angebote.", n=MAX_OFFERINGS_PER_CENTRE), "title")
    rows = await Offering.insert(Offering(centre=centre_id, **values)).returning(Offering.id)
    return rows[0]["id"]


async def update_offering(centre_id: int, offering_id: int, data: OfferingInput) -> None:
    """Change an offering of this centre's plan (`NotFound` for another centre's)."""
    await get_offering(centre_id, offering_id)
    values = {getattr(Offering, name): value for name, value in _check_offering(data).items()}
    values[Offering.updated_at] = datetime.now().astimezone()
    await Offering.update(values).where((Offering.id == offering_id) & (Offering.centre == centre_id))
