"""The real mail catcher: an aiosmtpd server on loopback that keeps each
message, parsed.  aiosmtpd comes with the ``warta[testing]`` extra."""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message

from cms.testing.servers import smtp_server


class Mailbox:
    """Messages the catcher received, in order (``email.message.Message``)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0  # the catcher's SMTP port, for apps built later

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address.lower() in (m.get("To") or "").lower()]

    @staticmethod
    def body(message: Message, subtype: str = "plain") -> str:
        for part in message.walk():
            if part.get_content_type() == f"text/{subtype}":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    return payload.decode(part.get_content_charset() or "utf-8")
        return ""


@contextmanager
def mail_catcher(app=None) -> Iterator[Mailbox]:
    """A running catcher; ``app`` (when given) sends its mail there."""
    box = Mailbox()
    with smtp_server(box) as controller:
        if app is not None:
            app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        box.port = controller.port
        yield box
