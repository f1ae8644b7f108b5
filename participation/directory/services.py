"""Directory rules and queries: districts, operators and centres."""

from __future__ import annotations

import re
import unicodedata

from piccolo.columns.combination import Where

from participation.directory.schemas import CentreOut, DistrictOut, OperatorOut
from participation.directory.tables import Centre, District, Operator
from participation.errors import DomainError
from participation.i18n import gettext as _


class DirectoryError(DomainError):
    """Master data cannot be saved as asked; `field` names the form field at fault."""


def slugify(text: str) -> str:
    """A URL-safe lowercase name: 'Grünbühl-Sonnenberg' -> 'gruenbuehl-sonnenberg'."""
    text = text.lower()
    for umlaut, replacement in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, replacement)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


async def list_districts() -> list[DistrictOut]:
    rows = await District.select(District.id, District.name, District.slug).order_by(District.name)
    return [DistrictOut(**row) for row in rows]


async def list_operators() -> list[OperatorOut]:
    rows = await Operator.select(Operator.id, Operator.name, Operator.short_name).order_by(Operator.name)
    return [OperatorOut(**row) for row in rows]


async def list_centres(district_id: int | None = None, centre_id: int | None = None) -> list[CentreOut]:
    """All centres (or those of one district, or one centre) with district and operator names, in one query."""
    query = Centre.select(
        Centre.id, Centre.name, Centre.slug, Centre.address, Centre.email,
        Centre.district.as_alias("district_id"), Centre.district.name.as_alias("district_name"),
        Centre.operator.as_alias("operator_id"), Centre.operator.name.as_alias("operator_name"),
    ).order_by(Centre.name)
    if district_id is not None:
        query = query.where(Centre.district == district_id)
    if centre_id is not None:
        query = query.where(Centre.id == centre_id)
    return [CentreOut(**row) for row in await query]


async def get_centre(centre_id: int) -> CentreOut | None:
    centres = await list_centres(centre_id=centre_id)
    return centres[0] if centres else None


async def create_district(name: str) -> int:
    name = name.strip()
    await _ensure_unique(District, District.name == name, _("Diesen Stadtteil gibt es schon."))
    rows = await District.insert(District(name=name, slug=slugify(name))).returning(District.id)
    return rows[0]["id"]


async def create_operator(name: str, short_name: str = "") -> int:
    name = name.strip()
    await _ensure_unique(Operator, Operator.name == name, _("Diesen Träger gibt es schon."))
    rows = await Operator.insert(Operator(name=name, short_name=short_name.strip())).returning(Operator.id)
    return rows[0]["id"]


async def save_centre(
    centre_id: int | None, *, name: str, district_id: int, operator_id: int, address: str = "", email: str = ""
) -> int:
    """Create a centre (centre_id None) or change one; returns its id."""
    name = name.strip()
    if not await District.exists().where(District.id == district_id):
        raise DirectoryError(_("Bitte wählen Sie einen Stadtteil."), "district")
    if not await Operator.exists().where(Operator.id == operator_id):
        raise DirectoryError(_("Bitte wählen Sie einen Träger."), "operator")
    same_name = Centre.name == name
    if centre_id is not None:
        same_name = same_name & (Centre.id != centre_id)
    await _ensure_unique(Centre, same_name, _("Ein Zentrum mit diesem Namen gibt es schon."))
    values = {
        Centre.name: name, Centre.slug: slugify(name), Centre.district: district_id,
        Centre.operator: operator_id, Centre.address: address.strip(), Centre.email: email.strip(),
    }
    if centre_id is None:
        rows = await Centre.insert(
            Centre(name=name, slug=slugify(name), district=district_id, operator=operator_id,
                   address=address.strip(), email=email.strip())
        ).returning(Centre.id)
        return rows[0]["id"]
    await Centre.update(values).where(Centre.id == centre_id)
    return centre_id


async def _ensure_unique(table: type, condition: Where, message: str) -> None:
    if await table.exists().where(condition):
        raise DirectoryError(message, "name")


async def directory_counts() -> dict[str, int]:
    """How many districts, operators and centres the city has."""
    return {
        "districts": await District.count(),
        "operators": await Operator.count(),
        "centres": await Centre.count(),
    }
