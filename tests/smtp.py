"""A real SMTP server on loopback (aiosmtpd), with the misbehaviours tests need."""

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    content: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.content, policy=email.policy.default)

    @property
    def to(self):
        return self.rcpt_tos[0]


class Sink:
    """Accepts and keeps every mail, unless told to refuse some, or to stop answering."""

    def __init__(self):
        self.messages = []
        self.refuse_after = None  # accept this many, then answer 421 to every mail
        self.block_after = None  # accept this many, then hold the next mail until `release`
        self.reject = {}  # address -> reply to its RCPT
        self.blocked = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
            return "421 4.3.2 Service not available, closing the connection"
        if self.block_after is not None and len(self.messages) >= self.block_after:
            self.blocked.set()
            await asyncio.to_thread(self.release.wait, 60)
            return "451 4.3.0 Not accepted, try again later"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Accepted"

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]

    def recipients(self):
        return [m.to for m in self.messages]


class SMTPServer:
    def __init__(self):
        self.sink = Sink()
        self.port = free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.sink.release.set()
        self.controller.stop()

    @property
    def mailers(self):
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 20},
            }
        }
