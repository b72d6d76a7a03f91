"""A real SMTP server (aiosmtpd) on loopback whose caught mails tests can read."""

from __future__ import annotations

import email
import threading
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from cms.testing.servers import free_port


class Mailbox:
    """Collects every message; ``wait_for`` blocks on a condition, never sleeps."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._cond = threading.Condition()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()
        return "250 OK"

    def start(self) -> Mailbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 30) -> EmailMessage:
        """The first mail to ``to`` whose subject contains the text (case-insensitive)."""

        def find():
            for message in self.messages:
                if (
                    to.lower() in message["X-Envelope-To"].lower()
                    and subject_contains.lower() in str(message["Subject"] or "").lower()
                ):
                    return message
            return None

        with self._cond:
            found = self._cond.wait_for(find, timeout=timeout)
        if found is None:
            seen = [(m["X-Envelope-To"], str(m["Subject"])) for m in self.messages]
            raise AssertionError(f"no mail to {to} with {subject_contains!r} in {timeout}s; caught: {seen}")
        return found

    def to(self, address: str) -> list[EmailMessage]:
        with self._cond:
            return [m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()]


def text_of(message: EmailMessage) -> str:
    """The plain-text body (or the HTML one when there is no text part)."""
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""
