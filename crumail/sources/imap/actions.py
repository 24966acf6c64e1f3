"""Server actions on an IMAP folder after commit: add a keyword, move the message.

The action a message asks for is recorded as pending in the transaction
that commits it (crumail/store/actions.py).  This module carries it out:

* messages acknowledged in this cycle are noted, and their actions done in
  one command per chunk on the folder that is selected anyway (before the
  next FETCH, before another folder is selected, or when the source closes);
* at the start of each folder's sync, the actions left pending by an earlier
  cycle (a crash after the commit, a server error, a folder that did not
  exist yet) are done first, and those of an older UIDVALIDITY made void.

A UID MOVE repeated after a crash finds nothing left to move (UIDs are never
reused within a UIDVALIDITY), so no message is moved twice.  Nothing is ever
deleted.
"""

from __future__ import annotations

import logging

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError
from sqlite_utils import Database

from crumail.model import RawMessage, ServerAction
from crumail.sources.imap.connect import ImapSettings, server_text
from crumail.sources.imap.plan import Actions, pending_actions
from crumail.store import actions
from crumail.store.db import transaction

log = logging.getLogger("crumail.source.imap")

ACTION_CHUNK = 500        # UIDs per STORE or MOVE command (command lines have a length limit)
RETRY_PAGE = 1000         # pending actions read at a time when retrying

Noted = tuple[str, int, ServerAction]      # folder, UIDVALIDITY, action


class ServerActions:
    """One source's server actions: noted at ``ack``, done on the selected folder."""

    def __init__(self, name: str, db: Database, settings: ImapSettings):
        self.name, self.db, self.settings = name, db, settings
        self._noted: dict[Noted, list[int]] = {}
        self.carried = 0                   # commands sent to carry actions out

    def wanted(self, folder: str) -> ServerAction | None:
        """What a message taken from ``folder`` asks for, if anything."""
        move_to = self.settings.move_to if self.settings.move_to != folder else None
        if not (move_to or self.settings.add_keyword):
            return None
        return ServerAction(self.settings.add_keyword, move_to)

    def note(self, raw: RawMessage) -> None:
        """``raw`` is committed, its action recorded: do it soon."""
        if raw.server_action is None or raw.folder is None or raw.uidvalidity is None or raw.uid is None:
            return
        self._noted.setdefault((raw.folder, raw.uidvalidity, raw.server_action), []).append(raw.uid)

    def noted(self) -> list[tuple[str, int]]:
        """(folder, UIDVALIDITY) of every folder with actions noted and not yet done."""
        return list(dict.fromkeys((folder, validity) for folder, validity, _ in self._noted))

    def flush(self, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        """Do the noted actions of ``folder``, which must be selected under ``uidvalidity``."""
        for key in [k for k in self._noted if k[:2] == (folder, uidvalidity)]:
            uids = self._noted.pop(key)
            self._carry_out(client, folder, uidvalidity, key[2], uids)

    def retry(self, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        """At the start of a folder's sync: void stale actions, do the rest."""
        step = pending_actions(actions.any_pending(self.db, self.name, folder), self.settings.acts)
        if step is Actions.NONE:
            return
        if step is Actions.VOID_ALL:
            self._void(folder, None, "the source no longer moves or marks mail (move_to and add_keyword unset)")
            return
        self._void(folder, uidvalidity, f"the folder's UIDVALIDITY is now {uidvalidity}, so the UIDVALIDITY "
                                        "they were recorded under names nothing any more")
        while page := actions.pending(self.db, self.name, folder, limit=RETRY_PAGE):
            log.info("doing %d server action(s) left pending in %s", len(page), folder,
                     extra={"event": "actions_retry", "source": self.name, "folder": folder})
            groups: dict[ServerAction, list[int]] = {}
            for item in page:
                groups.setdefault(item.action, []).append(item.uid)
            for action, uids in groups.items():
                if not self._carry_out(client, folder, uidvalidity, action, uids):
                    return
            if len(page) < RETRY_PAGE:
                return

    # -- doing them ------------------------------------------------------------
    def _carry_out(self, client: IMAPClient, folder: str, uidvalidity: int, action: ServerAction,
                   uids: list[int]) -> bool:
        """Keyword, then move, a chunk at a time; False once the server refuses.

        A lost connection propagates: the actions stay pending for the next cycle."""
        for start in range(0, len(uids), ACTION_CHUNK):
            part = uids[start:start + ACTION_CHUNK]
            self.carried += 1
            try:
                if action.add_keyword:
                    client.add_flags(part, [action.add_keyword], silent=True)
                if action.move_to:
                    client.move(part, action.move_to)
            except IMAPClientAbortError:
                raise
            except IMAPClientError as exc:
                self._failed(folder, uidvalidity, part, server_text(exc))
                return False
            with transaction(self.db):
                actions.done(self.db, self.name, folder, uidvalidity, part)
            log.debug("server action done on %d message(s)", len(part),
                      extra={"event": "acted", "source": self.name, "folder": folder})
        return True

    def _failed(self, folder: str, uidvalidity: int, uids: list[int], error: str) -> None:
        with transaction(self.db):
            actions.failed(self.db, self.name, folder, uidvalidity, uids, error)
        log.error("stored, but the server action on %d message(s) in %s failed: %s; it stays pending "
                  "and is tried again next cycle (see `crumail status`)", len(uids), folder, error,
                  extra={"event": "action_failed", "source": self.name, "folder": folder,
                         "uid": uids[0] if len(uids) == 1 else None})

    def _void(self, folder: str, keep_uidvalidity: int | None, reason: str) -> None:
        with transaction(self.db):
            count = actions.void(self.db, self.name, folder, reason, keep_uidvalidity=keep_uidvalidity)
        if count:
            log.warning("%d server action(s) pending in %s are void: %s; those messages are stored but "
                        "stay where they are on the server", count, folder, reason,
                        extra={"event": "actions_void", "source": self.name, "folder": folder})
