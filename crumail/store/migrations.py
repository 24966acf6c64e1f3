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


# The casebook.  ``contributions`` and ``log_messages`` are the facts: what
# each stored message (or message nested in it, at ``path``) said, keyed by
# message id.  ``logs``, ``questions``, ``advice`` and ``log_links`` are
# derived from them, one log at a time (crumail.store.casebook.rebuild), so
# forgetting a message and extracting it again never leaves duplicates.
# Derived tables carry no foreign keys: they are a cache the store rewrites.
CASEBOOK_SCHEMA = (
    """CREATE TABLE contributions (
        id INTEGER PRIMARY KEY,
        message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        path TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        primary_log TEXT,
        seen_at TEXT NOT NULL,
        extraction TEXT NOT NULL,
        UNIQUE (message, path)
    )""",
    "CREATE INDEX contributions_primary_log ON contributions(primary_log)",
    """CREATE TABLE log_messages (
        message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        path TEXT NOT NULL DEFAULT '',
        log TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('primary', 'related', 'nested')),
        seen_at TEXT NOT NULL,
        PRIMARY KEY (message, path, log)
    )""",
    "CREATE INDEX log_messages_log ON log_messages(log)",
    """CREATE TABLE logs (
        log TEXT PRIMARY KEY,
        number INTEGER NOT NULL,
        year INTEGER NOT NULL,
        kind TEXT,
        circulation_date TEXT,
        case_worker TEXT,
        logged_with TEXT,
        sent_from TEXT,
        protective_marking TEXT,
        handling_caveats TEXT NOT NULL DEFAULT '[]',
        exemptions TEXT NOT NULL DEFAULT '[]',
        first_seen TEXT,
        last_seen TEXT,
        message_count INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX logs_year_number ON logs(year, number)",
    "CREATE INDEX logs_logged_with ON logs(logged_with COLLATE NOCASE)",
    """CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        log TEXT NOT NULL,
        number INTEGER NOT NULL,
        label TEXT,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX questions_log ON questions(log, number)",
    """CREATE TABLE advice (
        id INTEGER PRIMARY KEY,
        log TEXT NOT NULL,
        position INTEGER NOT NULL,
        questions TEXT NOT NULL DEFAULT '[]',
        heading TEXT,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX advice_log ON advice(log, position)",
    """CREATE TABLE log_links (
        from_log TEXT NOT NULL,
        to_log TEXT NOT NULL,
        their_questions TEXT NOT NULL DEFAULT '[]',
        our_questions TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (from_log, to_log)
    )""",
    "CREATE INDEX log_links_to ON log_links(to_log)",
    # External-content FTS5 indexes over questions and advice, kept in step
    # by triggers; porter stemming so "offender" finds "offenders".
    """CREATE VIRTUAL TABLE questions_fts USING fts5(
        text, content='questions', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE VIRTUAL TABLE advice_fts USING fts5(
        text, content='advice', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
        INSERT INTO questions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
        INSERT INTO questions_fts(questions_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER questions_fts_update AFTER UPDATE ON questions BEGIN
        INSERT INTO questions_fts(questions_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO questions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER advice_fts_insert AFTER INSERT ON advice BEGIN
        INSERT INTO advice_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER advice_fts_delete AFTER DELETE ON advice BEGIN
        INSERT INTO advice_fts(advice_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER advice_fts_update AFTER UPDATE ON advice BEGIN
        INSERT INTO advice_fts(advice_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO advice_fts(rowid, text) VALUES (new.id, new.text);
    END""",
)


@migrations()
def m010_casebook(db: Database) -> None:
    # Triggers hold ";" inside BEGIN ... END, so statements run one by one
    # rather than through run_sql.
    for statement in CASEBOOK_SCHEMA:
        db.execute(statement)


@migrations()
def m030_users_sessions(db: Database) -> None:
    # The review desk's accounts and sessions.  Sessions are keyed by the
    # SHA-256 of their token; login_failures slows down password guessing
    # per account name and per client address.
    run_sql(
        db,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('operator', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            password_changed_at TEXT,
            disabled_at TEXT
        );
        CREATE TABLE sessions (
            token_sha256 TEXT PRIMARY KEY,
            user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            client TEXT
        );
        CREATE INDEX sessions_user ON sessions(user);
        CREATE INDEX sessions_expires ON sessions(expires_at);
        CREATE TABLE login_failures (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure TEXT NOT NULL
        )
        """,
    )


# Outbound drafts (crumail.store.drafts), their append-only audit trail
# (crumail.store.audit), the per-year log number counter and the queue of
# stored messages waiting to be drafted.  Drafts are never deleted and audit
# rows never change: triggers refuse both, so a bug or a hand-typed statement
# cannot rewrite history.
DRAFTS_SCHEMA = (
    """CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        message INTEGER REFERENCES messages(id),
        template TEXT NOT NULL,
        log TEXT,
        state TEXT NOT NULL CHECK (state IN ('drafted', 'edited', 'approved', 'sending',
            'sent', 'rejected', 'failed', 'unconfirmed')),
        from_address TEXT NOT NULL,
        to_json TEXT NOT NULL DEFAULT '[]',
        cc_json TEXT NOT NULL DEFAULT '[]',
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        in_reply_to TEXT,
        references_json TEXT NOT NULL DEFAULT '[]',
        marking TEXT,
        caveats_json TEXT NOT NULL DEFAULT '[]',
        force TEXT,
        nation TEXT,
        received_date TEXT,
        due_date TEXT,
        message_id TEXT UNIQUE,
        date_header TEXT,
        approved_sha256 TEXT,
        approved_by TEXT,
        approved_at TEXT,
        overrides_json TEXT NOT NULL DEFAULT '[]',
        transport TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        sending_token TEXT,
        sending_at TEXT,
        sent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (message, template)
    )""",
    "CREATE INDEX drafts_state ON drafts(state, next_attempt)",
    "CREATE INDEX drafts_log ON drafts(log)",
    """CREATE TRIGGER drafts_never_deleted BEFORE DELETE ON drafts BEGIN
        SELECT RAISE(ABORT, 'drafts are never deleted: reject the draft instead');
    END""",
    """CREATE TABLE draft_audit (
        id INTEGER PRIMARY KEY,
        draft INTEGER NOT NULL REFERENCES drafts(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        comment TEXT,
        body_sha256 TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX draft_audit_draft ON draft_audit(draft, id)",
    """CREATE TRIGGER draft_audit_no_update BEFORE UPDATE ON draft_audit BEGIN
        SELECT RAISE(ABORT, 'draft_audit is append-only: its rows cannot be changed');
    END""",
    """CREATE TRIGGER draft_audit_no_delete BEFORE DELETE ON draft_audit BEGIN
        SELECT RAISE(ABORT, 'draft_audit is append-only: its rows cannot be deleted');
    END""",
    """CREATE TABLE log_counters (
        year INTEGER PRIMARY KEY,
        last INTEGER NOT NULL
    )""",
    """CREATE TABLE drafting_queue (
        message INTEGER PRIMARY KEY REFERENCES messages(id),
        queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        done_at TEXT
    )""",
    "CREATE INDEX drafting_queue_open ON drafting_queue(done_at)",
)


@migrations()
def m020_drafts(db: Database) -> None:
    for statement in DRAFTS_SCHEMA:
        db.execute(statement)


@migrations()
def m031_desk_queue_index(db: Database) -> None:
    # The review desk lists drafts by deadline, those without one last
    # (crumail.store.desk.queue): this index serves that ORDER BY, so a page
    # of the queue reads about one page of rows whatever the table's size.
    db.execute("CREATE INDEX desk_drafts_queue ON drafts(due_date IS NULL, due_date, id)")


@migrations()
def m040_drafting_queue_kind(db: Database) -> None:
    # The kind of message is known when it is stored; kept in the queue so
    # the drafting stage can pass over kinds that get no drafts (most mail:
    # circulations, auto-replies) without parsing them again.
    db.execute("ALTER TABLE drafting_queue ADD COLUMN kind TEXT")


@migrations()
def m041_source_poll_duration(db: Database) -> None:
    # How long each source's last poll took, in seconds: /metrics exports it
    # as crumail_source_poll_latency_seconds once the daemon records it
    # (ledger.update_state(..., last_duration=seconds)).
    db.execute("ALTER TABLE source_state ADD COLUMN last_duration REAL")


@migrations()
def m042_gazetteer(db: Database) -> None:
    db.execute(
        """CREATE TABLE gazetteer (
            name TEXT PRIMARY KEY,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )"""
    )


@migrations()
def m080_drafting_failures(db: Database) -> None:
    # A message drafting gave up on stays in the queue, shown in `crumail
    # status` and on the desk; when and by which crumail it last failed, so
    # that a newer crumail tries it again by itself (crumail.drafts.stage).
    db.execute("ALTER TABLE drafting_queue ADD COLUMN failed_at TEXT")
    db.execute("ALTER TABLE drafting_queue ADD COLUMN failed_version TEXT")


@migrations()
def m060_server_actions(db: Database) -> None:
    # What a source must still do to a committed message on its server (IMAP:
    # add a keyword, move it), written in the message's own transaction, so
    # that a crash between the commit and the UID MOVE strands nothing: the
    # next cycle finds the row pending and does it.  A row is pending until
    # done; void when the folder's UIDVALIDITY changed (its UID names nothing
    # any more) or the source no longer acts.  Done and void rows are
    # forgotten after a month (crumail.daemon's housekeeping).
    run_sql(
        db,
        """
        CREATE TABLE server_actions (
            source TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            add_keyword TEXT,
            move_to TEXT,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'void')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_attempt TEXT,
            created_at TEXT NOT NULL,
            settled_at TEXT,
            PRIMARY KEY (source, folder, uidvalidity, uid)
        );
        CREATE INDEX server_actions_state ON server_actions(state, source, folder, uid)
        """,
    )


@migrations()
def m070_quarantine_refused_files(db: Database) -> None:
    # Each stored message settles the note of a file once refused unread with
    # the same key (quarantine.settle_refused): found through this small index,
    # never by scanning every open quarantine entry per message.
    db.execute(
        """CREATE INDEX quarantine_refused ON quarantine(source, source_key)
           WHERE stage = 'file' AND released_at IS NULL"""
    )


@migrations()
def m055_backups(db: Database) -> None:
    # Every backup crumail made (`crumail backup`, the daemon's daily one)
    # and every one that failed, for `crumail status` and the daily job's
    # "is one due?".  A backup cannot hold its own row: it is written after.
    db.execute(
        """CREATE TABLE backups (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            path TEXT NOT NULL,
            bytes INTEGER,
            messages INTEGER,
            schema TEXT,
            error TEXT
        )"""
    )


@migrations()
def m100_draft_attachments(db: Database) -> None:
    # Files an operator attaches to a draft (issue 10): kept with the draft,
    # sent with it, and inspected whole at approval and at send.  The bytes
    # are in the row so that a backup holds them and the approval hash, taken
    # over the built message, covers them.
    run_sql(
        db,
        """
        CREATE TABLE draft_attachments (
            id INTEGER PRIMARY KEY,
            draft INTEGER NOT NULL REFERENCES drafts(id),
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX draft_attachments_draft ON draft_attachments(draft, id)
        """,
    )


@migrations()
def m110_forces(db: Database) -> None:
    # The force register (crumail.store.forces), loaded from CSV and edited on
    # the desk: a table rather than the config, because the unit changes it
    # while crumail runs and every change must be in the audit.  Mailboxes
    # and domains are JSON lists (a few each; the register is ~50 rows and is
    # matched whole, crumail.register.match).  force_audit is append-only
    # like draft_audit: who, when, the row before and after.
    statements = (
        """CREATE TABLE forces (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            short_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            nation TEXT NOT NULL,
            region TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            foi_mailboxes_json TEXT NOT NULL DEFAULT '[]',
            domains_json TEXT NOT NULL DEFAULT '[]',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE force_audit (
            id INTEGER PRIMARY KEY,
            force INTEGER NOT NULL REFERENCES forces(id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT,
            comment TEXT
        )""",
        "CREATE INDEX force_audit_force ON force_audit(force, id)",
        """CREATE TRIGGER force_audit_no_update BEFORE UPDATE ON force_audit BEGIN
            SELECT RAISE(ABORT, 'force_audit is append-only: its rows cannot be changed');
        END""",
        """CREATE TRIGGER force_audit_no_delete BEFORE DELETE ON force_audit BEGIN
            SELECT RAISE(ABORT, 'force_audit is append-only: its rows cannot be deleted');
        END""",
    )
    for statement in statements:
        db.execute(statement)


@migrations()
def m120_drafting_skipped(db: Database) -> None:
    # Why a queued message was passed over without drafts: 'age' (older than
    # [drafts] max_age_days) or 'no_drafts' (taken in by an archive import or
    # with drafts off); `crumail status` and the desk count them.
    db.execute("ALTER TABLE drafting_queue ADD COLUMN skipped TEXT")


@migrations()
def m135_access_trail(db: Database) -> None:
    # Who saw what, from the desk and the command line: logins (and failed
    # ones, with the name tried), logouts, password changes, every view of a
    # message, draft, raw download or quarantine item, every search, every
    # export and every admin change (crumail/store/access.py).  Append-only:
    # no row is ever changed, and a row can be deleted only once it is older
    # than a horizon written in access_trail_horizon, itself append-only and
    # only ever moving forward; so the audit's own retention period
    # ([retention] audit_days) can forget old rows while no bug and no desk
    # user can quietly remove a recent one.
    for statement in M135_STATEMENTS:
        db.execute(statement)


M135_STATEMENTS = (
    """CREATE TABLE access_trail (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('desk', 'cli', 'daemon')),
        action TEXT NOT NULL,
        target TEXT,
        client TEXT,
        detail TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX access_trail_at ON access_trail(at)",
    "CREATE INDEX access_trail_actor ON access_trail(actor, at)",
    "CREATE INDEX access_trail_action ON access_trail(action, at)",
    """CREATE TABLE access_trail_horizon (
        id INTEGER PRIMARY KEY,
        before TEXT NOT NULL,
        set_at TEXT NOT NULL,
        actor TEXT NOT NULL
    )""",
    """CREATE TRIGGER access_trail_no_update BEFORE UPDATE ON access_trail BEGIN
        SELECT RAISE(ABORT, 'access_trail is append-only: its rows cannot be changed');
    END""",
    """CREATE TRIGGER access_trail_no_delete BEFORE DELETE ON access_trail
    WHEN old.at >= (SELECT COALESCE(MAX(before), '') FROM access_trail_horizon) BEGIN
        SELECT RAISE(ABORT, 'access_trail is append-only: only rows older than its horizon can be deleted');
    END""",
    """CREATE TRIGGER access_trail_horizon_no_update BEFORE UPDATE ON access_trail_horizon BEGIN
        SELECT RAISE(ABORT, 'access_trail_horizon is append-only');
    END""",
    """CREATE TRIGGER access_trail_horizon_no_delete BEFORE DELETE ON access_trail_horizon BEGIN
        SELECT RAISE(ABORT, 'access_trail_horizon is append-only');
    END""",
    """CREATE TRIGGER access_trail_horizon_forward BEFORE INSERT ON access_trail_horizon
    WHEN new.before < (SELECT COALESCE(MAX(before), '') FROM access_trail_horizon) BEGIN
        SELECT RAISE(ABORT, 'the access trail horizon only moves forward');
    END""",
)


@migrations()
def m130_retention(db: Database) -> None:
    # Retention and erasure (crumail.privacy): an erased message, quarantine
    # entry or draft keeps its row as a tombstone (hash, dates, log, kind),
    # marked by erased_at, so the same bytes taken in again are known and not
    # stored; ``erasures`` is the record of every run (what, how many, why).
    run_sql(
        db,
        """
        ALTER TABLE messages ADD COLUMN erased_at TEXT;
        ALTER TABLE quarantine ADD COLUMN erased_at TEXT;
        ALTER TABLE drafts ADD COLUMN erased_at TEXT;
        CREATE TABLE erasures (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            counts_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX messages_erased ON messages(erased_at, received_at)
        """,
    )


@migrations()
def m131_person_index(db: Database) -> None:
    # Subject access (crumail.privacy.person): the text of every stored
    # message, header, nested message and attachment, one row a part, with
    # the phones and emails in it written one way (``keys``), so a search by
    # person reads candidates from the index instead of every raw message.
    # A row's id is message * 1000 + part, so a message's rows are one range
    # (erasure deletes them with the message's bytes).  Filled lazily.
    db.execute(
        """CREATE VIRTUAL TABLE person_text USING fts5(
               part UNINDEXED, path UNINDEXED, text, keys,
               tokenize='unicode61 remove_diacritics 2')""")
    db.execute("CREATE TABLE person_indexed (message INTEGER PRIMARY KEY, at TEXT NOT NULL)")


@migrations()
def m132_erasure_proposals(db: Database) -> None:
    # Four eyes for an erasure on request (`[web] second_approver`): one admin
    # proposes (who, which person, why), another approves and it runs.  Once
    # done, the person's details are masked here like everywhere else.
    db.execute(
        """CREATE TABLE erasure_proposals (
               id INTEGER PRIMARY KEY,
               proposed_at TEXT NOT NULL,
               proposed_by TEXT NOT NULL,
               person_json TEXT NOT NULL,
               reason TEXT NOT NULL,
               state TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'done')),
               approved_by TEXT,
               approved_at TEXT
           )""")


@migrations()
def m125_imports(db: Database) -> None:
    # `crumail import`: one row per archive (a PST/OST, an mbox file, a
    # Maildir, a folder of .eml/.msg), with its resume position (a byte
    # offset, a file name, an item number) and its counts, for a restart
    # and the desk's sources page.  Messages an import stores are never
    # queued for drafting: the drafting queue marks them skipped 'no_drafts'
    # (m120_drafting_skipped).
    run_sql(
        db,
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
            position TEXT,
            files INTEGER NOT NULL DEFAULT 0,
            stored INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            quarantined INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        )
        """,
    )
