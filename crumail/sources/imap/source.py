"""An IMAP mailbox as a source: every message taken in exactly once.

What has been taken lives in crumail's own database, never in server flags
that the people reading the same mailbox can change:

* the ledger, keyed ``FOLDER/UIDVALIDITY/UID`` and written by the pipeline
  in the same transaction as the message;
* a UIDNEXT watermark per folder (``source_state.uidnext``): every UID below
  it is in the ledger.  A poll whose SELECT shows the same UIDVALIDITY and
  UIDNEXT fetches nothing, whatever the mailbox's size;
* the failure count of a message that could not be fetched (three strikes,
  then quarantine).

Bodies are fetched with ``BODY.PEEK[]`` (nothing is marked read), a chunk of
UIDs per FETCH, after their RFC822.SIZE: a message over ``[intake]
max_message_bytes`` is never fetched (its bytes would sit whole in memory
before the pipeline's size check), but quarantined with a note saying where
it is.  When a folder's UIDVALIDITY changes (it was recreated) every
UID is new again: a message whose Message-ID the folder gave under the old
UIDVALIDITY is ledgered as a duplicate without storing, and one whose bytes
are already stored is found by its SHA-256 in the pipeline.  A configured
server action (move it to a folder, add a keyword) is recorded as pending
in the message's own transaction and done only after the commit, or retried
on a later cycle (``actions``).  Nothing is ever deleted.

What to fetch is decided in ``plan``, from values only; settings, TLS,
login and timeouts live in ``connect``; logins in
``auth``; server actions in ``actions``; the IDLE watcher in ``idle`` (all
in crumail/sources/imap/).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Iterator
from urllib.parse import quote

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from crumail import clock
from crumail.errors import SourceError, TransientSourceError
from crumail.limits import DEFAULT as DEFAULT_LIMITS
from crumail.model import Outcome, RawMessage, ServerAction
from crumail.sources.imap import plan
from crumail.sources.imap.actions import ServerActions
from crumail.sources.imap.auth import Login, login_for
from crumail.sources.imap.connect import (NETWORK_ERRORS, ImapSettings, as_source_error, connect,
                                          drop, logout, server_refused, server_text)
from crumail.store import actions, ledger, quarantine
from crumail.store.db import transaction

__all__ = ["ImapSource", "message_id_of"]

log = logging.getLogger("crumail.source.imap")

MAX_ATTEMPTS = 3
WATERMARK_EVERY = 100          # acks between watermark writes during a long sync
CHUNK_BYTES = 16 * 1024 * 1024
SIZE_QUERY = 1000              # UIDs per RFC822.SIZE query (command lines have a length limit)


# -- one folder's sync -------------------------------------------------------

@dataclass
class FolderSync:
    """What this cycle is taking from one folder."""

    folder: str
    uidvalidity: int
    target: int                          # the watermark once every pending UID is acked
    pending: set[int] = field(default_factory=set)
    resync: bool = False
    acked: int = 0
    action: ServerAction | None = None   # what each message asks for once committed

    def watermark(self) -> int:
        return min(self.pending) if self.pending else self.target


class ImapSource:
    """One account, one or more folders; ``fetch``, ``ack``, ``close``.

    ``session`` is an already connected client lent by an IDLE watcher; the
    source then leaves it open at ``close``.
    """

    def __init__(self, config: ImapSettings, db, *, folders: tuple[str, ...] | None = None,
                 session: IMAPClient | None = None, login: Login | None = None,
                 max_bytes: int = DEFAULT_LIMITS.max_message_bytes):
        self.config = config
        self.max_bytes = max_bytes
        self.settings = config
        self.name = config.name
        self.db = db
        self.folders = folders or self.settings.folders
        self._client = session
        self._owns_client = session is None
        self._login = login
        self._syncs: dict[str, FolderSync] = {}
        self._failing: set[str] = set()
        self._selected: str | None = None
        self.server_actions = ServerActions(self.name, db, self.settings)
        self.errors: list[SourceError] = []
        self.bytes_fetched = 0
        self.looked_past_select = False      # a command after SELECT may have carried news

    @property
    def quiet(self) -> bool:
        """True when, after each SELECT, nothing new was there and no command was sent.

        News the server sends in the middle of a command (an EXISTS in the
        answer to our own UID MOVE) is dropped by imapclient, and IDLE does
        not repeat it: only after a quiet cycle does IDLE hear of everything."""
        return not self.looked_past_select and self.server_actions.carried == 0

    # -- Source protocol ---------------------------------------------------
    def fetch(self) -> Iterator[RawMessage]:
        try:
            client = self.client()
            self._failing = ledger.failing_keys(self.db, self.name)
            for folder in self.folders:
                yield from self._fetch_folder(client, folder)
        except SourceError as exc:
            self._fail(exc)
        except (*NETWORK_ERRORS, IMAPClientError) as exc:
            self._fail(as_source_error(exc, f"{self.settings.host}:{self.settings.port}"))

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        sync = self._syncs.get(raw.folder or "")
        if sync is None or raw.uid not in sync.pending:
            return
        sync.pending.discard(raw.uid)
        sync.acked += 1
        if raw.key in self._failing:
            ledger.clear_failure(self.db, self.name, raw.key)
        if outcome is not Outcome.QUARANTINED:
            self.server_actions.note(raw)
        if not sync.pending or sync.acked % WATERMARK_EVERY == 0:
            self._save_watermark(sync)

    def close(self) -> None:
        self._act_on_all()
        for sync in self._syncs.values():
            self._save_watermark(sync)
        if self._owns_client:
            logout(self._client)
            self._client = None
        if self.errors:
            first = self.errors[0]
            raise type(first)("; ".join(str(e) for e in self.errors))

    # -- connection ----------------------------------------------------------
    def client(self) -> IMAPClient:
        if self._client is None:
            if self._login is None:
                self._login = login_for(self.config)
            self._client = connect(self.settings, self._login)
        return self._client

    def _fail(self, error: SourceError) -> None:
        """Remember a failure; the messages already yielded are still committed."""
        log.error("%s", error, extra={"event": "source_error", "source": self.name})
        self.errors.append(error)
        if self._owns_client:
            drop(self._client)
            self._client = None
            self._selected = None

    # -- a folder ------------------------------------------------------------
    def _fetch_folder(self, client: IMAPClient, folder: str) -> Iterator[RawMessage]:
        self._act_on_selected()        # while its folder is still selected
        self._selected = None          # a failed SELECT leaves no folder selected
        try:
            selected = client.select_folder(folder, readonly=not self.settings.acts)
        except IMAPClientError as exc:
            if isinstance(exc, IMAPClientAbortError):
                raise
            error = TransientSourceError(f"folder {folder} cannot be opened: {server_text(exc)}")
            log.error("%s", error, extra={"event": "folder_error", "source": self.name, "folder": folder})
            self._record_error(folder, str(error))
            self.errors.append(error)
            return
        self._selected = folder
        self.server_actions.retry(client, folder, int(selected[b"UIDVALIDITY"]))
        sync = self._plan(client, folder, selected)
        if sync is None:
            return
        self._syncs[folder] = sync
        # Messages that failed before go first, one per FETCH, so that a
        # message the server cannot deliver is found and counted alone.
        suspects = sorted(u for u in sync.pending if self._key(sync, u) in self._failing)
        for uid, _size in self._sized(client, sync, suspects):
            yield from self._fetch_chunk(client, sync, [uid])
        for chunk in self._chunks(self._sized(client, sync, sorted(sync.pending - set(suspects)))):
            yield from self._fetch_chunk(client, sync, chunk)

    def _sized(self, client: IMAPClient, sync: FolderSync, uids: list[int]) -> Iterator[tuple[int, int]]:
        """Each UID with its RFC822.SIZE; one over ``max_bytes`` is quarantined
        with a note instead of being fetched."""
        for start in range(0, len(uids), SIZE_QUERY):
            part = uids[start:start + SIZE_QUERY]
            sizes = client.fetch(part, ["RFC822.SIZE"])
            for uid in part:
                size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                if size > self.max_bytes:
                    self._quarantine_oversized(sync, uid, size)
                    continue
                yield uid, size

    def _chunks(self, sized: Iterator[tuple[int, int]]) -> Iterator[list[int]]:
        """UIDs in FETCH chunks of at most ``fetch_chunk`` messages and CHUNK_BYTES
        bytes (by RFC822.SIZE), so a run of large mail never sits in memory at once."""
        chunk: list[int] = []
        total = 0
        for uid, size in sized:
            if chunk and (len(chunk) >= self.settings.fetch_chunk or total + size > CHUNK_BYTES):
                yield chunk
                chunk, total = [], 0
            chunk.append(uid)
            total += size
        if chunk:
            yield chunk

    def _plan(self, client: IMAPClient, folder: str, selected: dict) -> FolderSync | None:
        """Which UIDs to fetch (decided in crumail/sources/imap/plan.py); None when
        nothing is new (and nothing was fetched)."""
        uidvalidity = int(selected[b"UIDVALIDITY"])
        uidnext = selected.get(b"UIDNEXT")
        state = ledger.state(self.db, self.name, folder)
        seen = plan.look(uidvalidity, uidnext, plan.Known(state.get("uidvalidity"), state.get("uidnext")))
        if seen.changed:
            self._uidvalidity_changed(folder, state.get("uidvalidity"), uidvalidity)
        stamp = clock.stamp()
        if seen.search_from is None:
            with transaction(self.db):
                ledger.update_state(self.db, self.name, folder, last_poll=stamp, last_success=stamp,
                                    backlog=0, last_error=None)
            return None
        self.looked_past_select = True
        found = client.search(["UID", f"{seen.search_from}:*"])
        todo = plan.plan(uidnext, seen.watermark, found,
                         ledger.uids_since(self.db, self.name, folder, uidvalidity, seen.watermark),
                         ledger.has_other_uidvalidity(self.db, self.name, folder, uidvalidity))
        sync = FolderSync(folder, uidvalidity, todo.target, set(todo.pending), todo.resync,
                          action=self.server_actions.wanted(folder))
        with transaction(self.db):
            ledger.update_state(self.db, self.name, folder, uidvalidity=uidvalidity, last_poll=stamp,
                                backlog=len(todo.pending))
        if todo.pending:
            log.info("%d new message(s) in %s", len(todo.pending), folder,
                     extra={"event": "new_mail", "source": self.name, "folder": folder,
                            "uidvalidity": uidvalidity})
        return sync

    def _uidvalidity_changed(self, folder: str, known: int | None, uidvalidity: int) -> None:
        log.warning("UIDVALIDITY of %s changed from %s to %s: taking the folder again; mail "
                    "already stored is recognised by Message-ID and content hash",
                    folder, known, uidvalidity,
                    extra={"event": "uidvalidity_changed", "source": self.name, "folder": folder,
                           "uidvalidity": uidvalidity})
        with transaction(self.db):
            ledger.update_state(self.db, self.name, folder, uidvalidity=uidvalidity, uidnext=1)

    def _fetch_chunk(self, client: IMAPClient, sync: FolderSync, uids: list[int]) -> Iterator[RawMessage]:
        self._act_on_selected()        # what the last batch committed, before fetching more
        try:
            found = client.fetch(uids, ["BODY.PEEK[]"])
        except IMAPClientAbortError as exc:
            if server_refused(exc):
                # The server hung up on this FETCH (Dovecot does so for a
                # message it cannot read): count it against these UIDs.
                for uid in uids:
                    self._fetch_failed(sync, uid, server_text(exc))
            raise
        except IMAPClientError as exc:
            if len(uids) == 1:
                self._fetch_failed(sync, uids[0], server_text(exc))
                return
            # A NO for the chunk: fetch one by one to find the message at fault.
            for uid in uids:
                yield from self._fetch_chunk(client, sync, [uid])
            return
        for uid in uids:
            body = found.get(uid, {}).get(b"BODY[]")
            if body is None:
                self._missing(client, sync, uid)
                continue
            raw = self._raw(sync, uid, bytes(body))
            if not self._known_after_resync(sync, raw):
                yield raw

    def _missing(self, client: IMAPClient, sync: FolderSync, uid: int) -> None:
        """No body came back: expunged meanwhile (gone, nothing to take) or a failure."""
        if client.search(["UID", str(uid)]) == [uid]:
            self._fetch_failed(sync, uid, "the server sent no body")
            return
        sync.pending.discard(uid)
        log.info("UID %d was removed from %s before it could be fetched", uid, sync.folder,
                 extra={"event": "vanished", "source": self.name, "folder": sync.folder, "uid": uid})

    @staticmethod
    def _key(sync: FolderSync, uid: int) -> str:
        return f"{sync.folder}/{sync.uidvalidity}/{uid}"

    def _raw(self, sync: FolderSync, uid: int, data: bytes) -> RawMessage:
        self.bytes_fetched += len(data)
        key = self._key(sync, uid)
        return RawMessage(data=data, source=self.name, key=key, origin=self._url(sync, uid),
                          folder=sync.folder, uidvalidity=sync.uidvalidity, uid=uid,
                          server_action=sync.action)

    def _url(self, sync: FolderSync, uid: int) -> str:
        user = quote(self.settings.username, safe="")
        return (f"imap://{user}@{self.settings.host}/{quote(sync.folder)}"
                f";UIDVALIDITY={sync.uidvalidity}/;UID={uid}")

    # -- resync and failures -------------------------------------------------
    def _known_after_resync(self, sync: FolderSync, raw: RawMessage) -> bool:
        """True (and ledgered) when a recreated folder hands back mail taken before."""
        if not sync.resync:
            return False
        message_id = message_id_of(raw.data)
        known = message_id and ledger.known_message_id(
            self.db, self.name, sync.folder, sync.uidvalidity, message_id)
        if not known:
            return False
        with transaction(self.db):
            ledger.record_known(self.db, raw, message=known[0], sha256=known[1], message_id=message_id)
            actions.record(self.db, raw)
        log.info("already stored (same Message-ID before UIDVALIDITY changed)",
                 extra={"event": "duplicate", "source": self.name, "folder": sync.folder,
                        "uid": raw.uid, "message_id": message_id, "stored_as": known[0]})
        self.ack(raw, Outcome.DUPLICATE)
        return True

    def _fetch_failed(self, sync: FolderSync, uid: int, reason: str) -> None:
        key = self._key(sync, uid)
        with transaction(self.db):
            attempts = ledger.note_failure(self.db, self.name, key, reason)
        context = {"source": self.name, "folder": sync.folder, "uid": uid, "uidvalidity": sync.uidvalidity}
        if attempts < MAX_ATTEMPTS:
            log.warning("UID %d could not be fetched (attempt %d of %d): %s", uid, attempts,
                        MAX_ATTEMPTS, reason, extra={"event": "fetch_failed", **context})
            return
        self._quarantine_unfetchable(sync, uid, key, reason, attempts)
        log.error("UID %d could not be fetched %d times: quarantined; see `crumail quarantine`",
                  uid, attempts, extra={"event": "quarantined", **context})

    def _quarantine_unfetchable(self, sync: FolderSync, uid: int, key: str, reason: str, attempts: int) -> None:
        # No bytes could be had: the quarantine keeps a note saying where the
        # message is, so an operator can look at it on the server.
        note = f"crumail could not fetch {self._url(sync, uid)} after {attempts} attempts: {reason}\n"
        self._quarantine_note(sync, uid, note, reason)

    def _quarantine_oversized(self, sync: FolderSync, uid: int, size: int) -> None:
        reason = (f"message is {size:,} bytes (RFC822.SIZE), over the {self.max_bytes:,}-byte limit "
                  f"([intake] max_message_bytes): not fetched")
        self._quarantine_note(sync, uid, f"crumail did not fetch {self._url(sync, uid)}: {reason}\n", reason)
        log.warning("UID %d is %d bytes, over the size limit: quarantined without fetching it; see "
                    "`crumail quarantine`", uid, size,
                    extra={"event": "quarantined", "source": self.name, "folder": sync.folder, "uid": uid,
                           "uidvalidity": sync.uidvalidity})

    def _quarantine_note(self, sync: FolderSync, uid: int, note: str, reason: str) -> None:
        key = self._key(sync, uid)
        raw = RawMessage(data=note.encode(), source=self.name, key=key, origin=self._url(sync, uid),
                         folder=sync.folder, uidvalidity=sync.uidvalidity, uid=uid)
        with transaction(self.db):
            entry = quarantine.add(self.db, raw, "fetch", reason)
            ledger.record(self.db, raw, Outcome.QUARANTINED.value, quarantine=entry,
                          entry=ledger.LedgerEntry(sync.folder, sync.uidvalidity, uid))
            ledger.clear_failure(self.db, self.name, key)
        sync.pending.discard(uid)

    # -- after commit ----------------------------------------------------------
    def _act_on_selected(self) -> None:
        """The server actions of messages committed from the selected folder."""
        sync = self._syncs.get(self._selected or "")
        if sync is not None and self._client is not None:
            self.server_actions.flush(self._client, sync.folder, sync.uidvalidity)

    def _act_on_all(self) -> None:
        """At close: every noted action, selecting its folder again where needed.

        Whatever cannot be done now stays pending for the next cycle."""
        for folder, uidvalidity in self.server_actions.noted():
            context = {"source": self.name, "folder": folder}
            if self._client is None:
                log.warning("stored, but the connection is gone: the server actions wait for the next "
                            "cycle", extra={"event": "actions_deferred", **context})
                return
            try:
                if folder != self._selected:
                    selected = self._client.select_folder(folder)
                    self._selected = folder
                    if int(selected[b"UIDVALIDITY"]) != uidvalidity:
                        continue       # recreated meanwhile: the next cycle voids them
                self.server_actions.flush(self._client, folder, uidvalidity)
            except (*NETWORK_ERRORS, IMAPClientError) as exc:
                log.warning("stored, but the server actions wait for the next cycle: %s", server_text(exc),
                            extra={"event": "actions_deferred", **context})
                return

    def _save_watermark(self, sync: FolderSync) -> None:
        values: dict[str, object] = {"uidnext": sync.watermark(), "backlog": len(sync.pending)}
        if not sync.pending:
            values.update(last_success=clock.stamp(), last_error=None)
        with transaction(self.db):
            ledger.update_state(self.db, self.name, sync.folder, **values)

    def _record_error(self, folder: str, error: str) -> None:
        stamp = clock.stamp()
        with transaction(self.db):
            ledger.update_state(self.db, self.name, folder, last_poll=stamp, last_error=error,
                                last_error_at=stamp)


_headers = BytesHeaderParser(policy=compat32)


def message_id_of(data: bytes) -> str | None:
    """The Message-ID header of raw mail bytes, or None."""
    end = data.find(b"\r\n\r\n")
    end = data.find(b"\n\n") if end < 0 else end
    head = data if end < 0 else data[:end + 2]
    value = _headers.parsebytes(head).get("Message-ID")
    return str(value).strip() or None if value is not None else None
