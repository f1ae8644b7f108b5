"""Invitation codes: one-time codes a centre hands to families, printed with a QR code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from participation.directory.tables import Centre
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.surveys.tables import InvitationCode, Survey

# No 0/O, 1/I/L: codes are typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES_PER_REQUEST = 2000


class CodeError(DomainError):
    """Invitation codes cannot be made as asked."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    """What a parent typed, as stored: upper case, one dash, no spaces."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == CODE_LENGTH else cleaned


async def generate_codes(survey_id: int, centre_id: int, count: int) -> list[str]:
    """Create `count` new unused codes for a centre."""
    if not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise CodeError(_("Bitte wählen Sie zwischen 1 und %(max)s Codes.", max=MAX_CODES_PER_REQUEST))
    if not await Survey.exists().where(Survey.id == survey_id):
        raise CodeError(_("Diese Umfrage gibt es nicht."))
    if not await Centre.exists().where(Centre.id == centre_id):
        raise CodeError(_("Dieses Zentrum gibt es nicht."))
    existing = {row["code"] for row in await InvitationCode.select(InvitationCode.code)}
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        if code not in existing:
            existing.add(code)
            codes.append(code)
    await InvitationCode.insert(*[InvitationCode(survey=survey_id, centre=centre_id, code=c) for c in codes])
    return codes


@dataclass(frozen=True, slots=True)
class CentreCodes:
    centre_id: int
    centre_name: str
    total: int
    used: int


async def code_summary(survey_id: int) -> list[CentreCodes]:
    """Per centre: how many codes exist and how many were used."""
    rows = await InvitationCode.select(
        InvitationCode.centre, InvitationCode.centre.name.as_alias("centre_name"), InvitationCode.used, Count()
    ).where(InvitationCode.survey == survey_id).group_by(
        InvitationCode.centre, InvitationCode.centre.name, InvitationCode.used
    )
    summary: dict[int, dict] = {}
    for row in rows:
        entry = summary.setdefault(row["centre"], {"name": row["centre_name"], "total": 0, "used": 0})
        entry["total"] += row["count"]
        if row["used"]:
            entry["used"] += row["count"]
    return sorted(
        (CentreCodes(centre_id=c, centre_name=e["name"], total=e["total"], used=e["used"]) for c, e in summary.items()),
        key=lambda item: item.centre_name,
    )


async def unused_codes(survey_id: int, centre_id: int) -> list[str]:
    rows = await InvitationCode.select(InvitationCode.code).where(
        (InvitationCode.survey == survey_id) & (InvitationCode.centre == centre_id) & InvitationCode.used.eq(False)
    ).order_by(InvitationCode.id)
    return [row["code"] for row in rows]


async def code_is_valid(survey_id: int, code: str) -> bool:
    """True when the code belongs to this survey and is still unused (it is consumed only on submission)."""
    return await InvitationCode.exists().where(
        (InvitationCode.survey == survey_id) & (InvitationCode.code == normalise_code(code))
        & InvitationCode.used.eq(False)
    )


async def consume_code(survey_id: int, code: str) -> bool:
    """Mark a code used, atomically; False when it was unknown or already used. Call inside the saving transaction."""
    rows = await InvitationCode.update({InvitationCode.used: True}).where(
        (InvitationCode.survey == survey_id) & (InvitationCode.code == normalise_code(code))
        & InvitationCode.used.eq(False)
    ).returning(InvitationCode.id)
    return bool(rows)
