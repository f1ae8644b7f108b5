"""A local SMTP server (aiosmtpd) that keeps what arrives, and helpers to subscribe and read links from mails."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.support.private_postgres import free_port


class Inbox:
    """The messages the local server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@dataclasses.dataclass
class LocalSmtp:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = LocalSmtp(free_port(), Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings, smtp):
    return dataclasses.replace(settings, smtp_url=smtp.url, mail_from="familiendialog@stadt.example")


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_token(message: EmailMessage, kind: str = "bestaetigen") -> str:
    found = re.search(rf"/benachrichtigung/{kind}/([A-Za-z0-9_-]+)", text_part(message))
    assert found, text_part(message)
    return found.group(1)
