"""IMAP APPEND to the mailbox's Drafts folder, for units that send from Outlook.

The mail is handed over as a draft (``\\Draft`` flag); a person opens it in
Outlook and presses Send.  ``delivered`` looks for the Message-ID in the
folder, so a draft whose APPEND reply was lost is found again.
"""

from __future__ import annotations

import os
import socket
import ssl
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from crumail.errors import PermanentSendError, TransientSendError, UncertainSendError
from crumail.settings import SendImapSettings


class ImapAppendTransport:
    name = "imap"

    def __init__(self, settings: SendImapSettings):
        self.settings = settings

    def deliver(self, data: bytes, sender: str, recipients: list[str], message_id: str) -> str:
        client = self._connect()
        try:
            try:
                reply = client.append(self.settings.folder, data, flags=[b"\\Draft"])
            except IMAPClientError as exc:
                raise PermanentSendError(f"the IMAP server refused the APPEND to {self.settings.folder}: {exc}") from None
            except (OSError, socket.timeout) as exc:
                raise UncertainSendError(f"connection lost during APPEND ({exc}): the draft may be there") from None
            return f"appended to {self.settings.folder}: {_text(reply)}"
        finally:
            _logout(client)

    def delivered(self, message_id: str) -> bool | None:
        try:
            client = self._connect()
        except TransientSendError:
            return None
        try:
            client.select_folder(self.settings.folder, readonly=True)
            return bool(client.search(["HEADER", "Message-ID", message_id]))
        except (IMAPClientError, OSError):
            return None
        finally:
            _logout(client)

    def _connect(self) -> IMAPClient:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile)
        password = os.environ.get(s.password_env)
        if password is None:
            raise TransientSendError(f"IMAP password for {s.username} is not set: export {s.password_env}")
        try:
            client = IMAPClient(s.host, port=s.port, ssl=s.security == "ssl", ssl_context=context,
                                timeout=s.timeout)
            if s.security == "starttls":
                client.starttls(context)
            client.login(s.username, password)
            return client
        except LoginError as exc:
            raise TransientSendError(f"IMAP login as {s.username} refused: {exc}") from None
        except (IMAPClientError, OSError, ssl.SSLError) as exc:
            raise TransientSendError(f"cannot reach IMAP server {s.host}:{s.port}: {exc}") from None


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the mail is handed over already; a failed goodbye changes nothing
        pass


def _text(reply: Any) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
