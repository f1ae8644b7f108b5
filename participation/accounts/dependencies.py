"""Accounts loaded from path ids, for Litestar's dependency injection (404 when unknown)."""

from __future__ import annotations

from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from participation.accounts import services
from participation.i18n import gettext as _


async def provide_account(user_id: FromPath[int]) -> dict:
    """The account of the path, as the user administration shows it."""
    account = await services.get_user(user_id)
    if account is None:
        raise NotFoundException(_("Diesen Zugang gibt es nicht."))
    return account


ACCOUNT_DEPENDENCIES = {"account": Provide(provide_account)}
