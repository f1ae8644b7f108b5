"""Who may use the notification pages (merged into tests/route_access.py)."""

from __future__ import annotations

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/benachrichtigung"): "public",
    ("POST", "/benachrichtigung"): "public",
    ("GET", "/benachrichtigung/bestaetigen/{token:str}"): "public",
    ("POST", "/benachrichtigung/bestaetigen/{token:str}"): "public",
    ("GET", "/benachrichtigung/abmelden/{token:str}"): "public",
    ("POST", "/benachrichtigung/abmelden/{token:str}"): "public",
    ("GET", "/verwaltung/benachrichtigungen"): "office",
    ("POST", "/verwaltung/benachrichtigungen/{round_id:int}/erneut"): "office",
}

#: Not HTML pages (the accessibility walk skips them).
NOT_PAGES: set[str] = set()


async def sample_token(address: str = "walk@example.org") -> str:
    """The link token of a pending subscription to the newest round whose outcomes are not public (made once)."""
    from participation.notifications.services import subscriptions
    from participation.notifications.tables import Subscription
    from participation.settings import Settings

    secret = Settings.from_env().secret_key
    round_ = await subscriptions.round_to_follow()
    if round_ is None:
        from participation.dialogues.schemas import Season
        from participation.dialogues.services.rounds import create_round

        await create_round(Season("autumn"), 2031, topics=["Betreuungsarrangements"])
        round_ = await subscriptions.round_to_follow()
    await subscriptions.subscribe(round_.id, address, "de", secret_key=secret)
    row = await Subscription.select(Subscription.id, Subscription.address_key).where(
        (Subscription.email == address) & (Subscription.round == round_.id)).first()
    return subscriptions.link_token(secret, row["id"], row["address_key"])
