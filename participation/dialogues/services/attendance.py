"""Who came to the session: parents and staff per district."""

from __future__ import annotations

from dataclasses import dataclass

from participation.dialogues.tables import Attendance
from participation.directory.services import list_districts


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    district_id: int
    district_name: str
    parents: int
    staff: int


async def attendance(round_id: int) -> list[AttendanceRow]:
    """One row per district of the city (zero where nobody came)."""
    stored = {
        row["district"]: row
        for row in await Attendance.select().where(Attendance.round == round_id)
    }
    return [
        AttendanceRow(district_id=d.id, district_name=d.name, parents=stored.get(d.id, {}).get("parents", 0),
                      staff=stored.get(d.id, {}).get("staff", 0))
        for d in await list_districts()
    ]


async def save_attendance(round_id: int, counts: dict[int, tuple[int, int]]) -> None:
    """Store (parents, staff) per district id; districts not named keep their numbers."""
    known = {d.id for d in await list_districts()}
    existing = {
        row["district"]: row["id"]
        for row in await Attendance.select(Attendance.id, Attendance.district).where(Attendance.round == round_id)
    }
    for district_id, (parents, staff) in counts.items():
        if district_id not in known:
            continue
        if district_id in existing:
            await Attendance.update({Attendance.parents: parents, Attendance.staff: staff}).where(
                Attendance.id == existing[district_id]
            )
        else:
            await Attendance.insert(Attendance(round=round_id, district=district_id, parents=parents, staff=staff))
