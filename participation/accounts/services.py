"""Accounts: creating users, hashing passwords (Argon2id) and signing in."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from participation.accounts.schemas import CurrentUser, Role, UserRow
from participation.accounts.tables import User
from participation.directory.tables import Centre
from participation.errors import DomainError
from participation.i18n import gettext as _

_profile = "RFC_9106_LOW_MEMORY"
_hasher = PasswordHasher.from_parameters(getattr(profiles, _profile))
# Verifying against this when an address is unknown keeps the answer time the same, so sign-in does not reveal
# which addresses have accounts. It is made by the current hasher, so its cost matches the real hashes'.
_dummy_hash = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10

# Argon2 is slow on purpose (tens of milliseconds and 64 MiB each); it runs in these threads, one per core, so the
# event loop keeps answering other requests (argon2-cffi releases the GIL while hashing).
_argon2_threads = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="argon2")


class AccountError(DomainError):
    """A user cannot be created or changed as asked; `field` names the form field at fault."""


def configure_password_hashing(profile_name: str) -> None:
    """Hash with the Argon2id cost profile `profile_name` (Settings.password_hash_profile) from now on.

    Hashes made under another profile still verify; `authenticate` rehashes them at the next sign-in.
    """
    global _profile, _hasher, _dummy_hash
    if profile_name != _profile:
        _hasher = PasswordHasher.from_parameters(getattr(profiles, profile_name))
        _profile, _dummy_hash = profile_name, _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_argon2_threads, hash_password, password)


async def _verify_off_loop(password_hash: str, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_argon2_threads, _verify, password_hash, password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_user(
    *, email: str, display_name: str, password: str, role: Role, centre_id: int | None = None, active: bool = True
) -> int:
    """Create a user and return its id. Centre staff must name their centre; office users must not."""
    email = normalise_email(email)
    _check_role_and_centre(role, centre_id)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Das Passwort muss mindestens 10 Zeichen lang sein."), "password")
    if centre_id is not None and not await Centre.exists().where(Centre.id == centre_id):
        raise AccountError(_("Dieses Zentrum gibt es nicht."), "centre")
    if await User.exists().where(User.email == email):
        raise AccountError(_("Für diese E-Mail-Adresse gibt es schon einen Zugang."), "email")
    rows = await User.insert(
        User(
            email=email,
            display_name=display_name.strip(),
            password_hash=await hash_password_off_loop(password),
            role=role.value,
            centre=centre_id,
            active=active,
        )
    ).returning(User.id)
    return rows[0]["id"]


async def update_user(
    user_id: int, *, email: str, display_name: str, role: Role, centre_id: int | None, active: bool,
    password: str | None = None,
) -> None:
    """Change a user's details; the password only when a new one is given."""
    email = normalise_email(email)
    _check_role_and_centre(role, centre_id)
    if await User.exists().where((User.email == email) & (User.id != user_id)):
        raise AccountError(_("Für diese E-Mail-Adresse gibt es schon einen Zugang."), "email")
    values = {
        User.email: email,
        User.display_name: display_name.strip(),
        User.role: role.value,
        User.centre: centre_id,
        User.active: active,
    }
    if password:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(_("Das Passwort muss mindestens 10 Zeichen lang sein."), "password")
        values[User.password_hash] = await hash_password_off_loop(password)
    await User.update(values).where(User.id == user_id)


def _check_role_and_centre(role: Role, centre_id: int | None) -> None:
    if role is Role.CENTRE and centre_id is None:
        raise AccountError(_("Mitarbeitende eines Zentrums brauchen ein Zentrum."), "centre")
    if role is Role.OFFICE and centre_id is not None:
        raise AccountError(_("Zugänge der Stadtverwaltung gehören zu keinem Zentrum."), "centre")


async def authenticate(email: str, password: str) -> int | None:
    """The id of the active user with this address and password, else None."""
    row = await User.select(User.id, User.password_hash, User.active).where(
        User.email == normalise_email(email)
    ).first()
    if row is None:
        await _verify_off_loop(_dummy_hash, password)
        return None
    if not await _verify_off_loop(row["password_hash"], password) or not row["active"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        await User.update({User.password_hash: await hash_password_off_loop(password)}).where(User.id == row["id"])
    await User.update({User.last_sign_in: datetime.now(UTC)}).where(User.id == row["id"])
    return row["id"]


async def change_password(user_id: int, current_password: str, new_password: str) -> None:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if row is None or not await _verify_off_loop(row["password_hash"], current_password):
        raise AccountError(_("Das bisherige Passwort stimmt nicht."), "current_password")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Das Passwort muss mindestens 10 Zeichen lang sein."), "password")
    await User.update({User.password_hash: await hash_password_off_loop(new_password)}).where(User.id == user_id)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def load_current_user(user_id: int) -> CurrentUser | None:
    """The active user with this id, with their centre's district; None if gone or deactivated."""
    row = await User.select(
        User.id, User.email, User.display_name, User.role, User.centre, User.active,
        User.centre.district.as_alias("district_id"),
    ).where(User.id == user_id).first()
    if row is None or not row["active"]:
        return None
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        centre_id=row["centre"],
        district_id=row["district_id"],
    )


async def list_users() -> list[UserRow]:
    rows = await User.select(
        User.id, User.email, User.display_name, User.role, User.active, User.centre.name.as_alias("centre_name")
    ).order_by(User.role).order_by(User.display_name)
    return [
        UserRow(
            id=row["id"], email=row["email"], display_name=row["display_name"], role=Role(row["role"]),
            centre_name=row["centre_name"], active=row["active"],
        )
        for row in rows
    ]


async def get_user(user_id: int) -> dict | None:
    return await User.select(
        User.id, User.email, User.display_name, User.role, User.centre, User.active
    ).where(User.id == user_id).first()


async def count_users() -> int:
    return await User.count()
