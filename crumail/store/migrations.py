"""Versioned schema migrations (sqlite-utils), applied when a store opens.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("crumail")


def run_sql(db: Database, script: str) -> None:
    """Execute ``;``-separated statements inside the caller's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_messages(db: Database) -> None:
    run_sql(
        db,
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            message_id TEXT,
            format TEXT NOT NULL,
            size INTEGER NOT NULL,
            subject TEXT,
            from_name TEXT,
            from_address TEXT,
            to_json TEXT NOT NULL DEFAULT '[]',
            cc_json TEXT NOT NULL DEFAULT '[]',
            date TEXT,
            in_reply_to TEXT,
            text TEXT NOT NULL DEFAULT '',
            text_source TEXT,
            defects_json TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            origin TEXT,
            filename TEXT,
            received_at TEXT NOT NULL,
            parsed_at TEXT NOT NULL,
            raw BLOB NOT NULL
        );
        CREATE INDEX messages_message_id ON messages(message_id);
        CREATE INDEX messages_date ON messages(date);
        CREATE TABLE nested (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            parent INTEGER REFERENCES nested(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            depth INTEGER NOT NULL,
            format TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            message_id TEXT,
            subject TEXT,
            from_name TEXT,
            from_address TEXT,
            date TEXT,
            filename TEXT,
            text TEXT NOT NULL DEFAULT '',
            UNIQUE (message, path)
        );
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            nested INTEGER REFERENCES nested(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            filename TEXT,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        );
        CREATE INDEX attachments_message ON attachments(message);
        CREATE INDEX attachments_sha256 ON attachments(sha256);
        """,
    )


@migrations()
def m002_quarantine(db: Database) -> None:
    run_sql(
        db,
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            origin TEXT,
            filename TEXT,
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            first_attempt TEXT NOT NULL,
            last_attempt TEXT NOT NULL,
            released_at TEXT,
            released_to INTEGER REFERENCES messages(id),
            raw BLOB NOT NULL
        );
        CREATE INDEX quarantine_open ON quarantine(released_at)
        """,
    )


@migrations()
def m003_ledger(db: Database) -> None:
    # The ingest ledger: what each source has already handed over, so that a
    # source never gives the same message twice.  For IMAP the key is
    # FOLDER/UIDVALIDITY/UID and the content hash and Message-ID guard a
    # resync after UIDVALIDITY changes.
    run_sql(
        db,
        """
        CREATE TABLE ledger (
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            folder TEXT,
            uidvalidity INTEGER,
            uid INTEGER,
            sha256 TEXT NOT NULL,
            message_id TEXT,
            outcome TEXT NOT NULL,
            message INTEGER REFERENCES messages(id),
            quarantine INTEGER REFERENCES quarantine(id),
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (source, source_key)
        );
        CREATE INDEX ledger_sha256 ON ledger(sha256);
        CREATE INDEX ledger_message_id ON ledger(message_id);
        CREATE INDEX ledger_folder_uid ON ledger(source, folder, uidvalidity, uid);
        CREATE TABLE source_state (
            source TEXT NOT NULL,
            folder TEXT NOT NULL DEFAULT '',
            uidvalidity INTEGER,
            uidnext INTEGER,
            last_poll TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            backlog INTEGER,
            PRIMARY KEY (source, folder)
        );
        CREATE TABLE failures (
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            last_attempt TEXT NOT NULL,
            PRIMARY KEY (source, source_key)
        )
        """,
    )
