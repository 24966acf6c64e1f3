"""The daemon's daily backup: when one is due, where it goes, how many are kept.

```toml
[backup]
dir = "/var/backups/crumail"   # where the daily backups go; no dir, no daily backup
keep = 7                       # how many to keep (the oldest beyond that are removed)
time = "02:30"                 # local time of day after which the day's backup is due
enabled = true
```

The copy itself is crumail.store.backup's (SQLite's online backup, verified,
0600).  A backup is due when none that succeeded was started since the latest ``time``,
so a daemon that was down at that time takes it when it starts.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic

from sqlite_utils import Database

from crumail import clock
from crumail.config import Config
from crumail.errors import BackupError
from crumail.store import backup as store_backup
from crumail.store.db import database_path

log = logging.getLogger("crumail.backup")

CHECK_SECONDS = 60               # how often the daemon asks "is a backup due?"
RETRY_SECONDS = 3600             # after a failed backup, the next try
PARTIAL = re.compile(r"^\..+\.partial-(\d+)$")


@dataclass(frozen=True)
class Schedule:
    folder: Path
    keep: int
    at: time

    @classmethod
    def from_config(cls, config: Config) -> "Schedule | None":
        """The ``[backup]`` table, or None when no daily backup is asked for."""
        table = config.settings.backup
        if not table.enabled or table.dir is None:
            return None
        return cls(table.dir, table.keep, table.at())


def due(last: datetime | None, now: datetime, at: time) -> bool:
    """True when no backup has been taken since the latest ``at`` (local time) up to ``now``."""
    local = now.astimezone()
    slot = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    return last is None or last < slot


def backup_files(folder: Path, database: Path) -> list[Path]:
    """crumail's dated backups of ``database`` in ``folder``, oldest first (regular files only)."""
    pattern = re.compile(rf"^{re.escape(database.stem)}-\d{{8}}T\d{{6}}Z\.db$")
    found = []
    for entry in os.scandir(folder):
        if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
            found.append(Path(entry.path))
    return sorted(found)


def prune(folder: Path, database: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups, and copies left half-written by a
    killed process; returns what was removed.  Links are removed, never followed."""
    doomed = backup_files(folder, database)[:-keep]
    doomed += [Path(e.path) for e in os.scandir(folder) if _abandoned(e)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _abandoned(entry: os.DirEntry) -> bool:
    found = PARTIAL.match(entry.name)
    if found is None or not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
        return False
    try:
        os.kill(int(found.group(1)), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def take(db: Database, schedule: Schedule, now: datetime | None = None) -> store_backup.Verified:
    """One backup into the schedule's folder, recorded, then the folder pruned."""
    started = now or clock.now()
    database = database_path(db)
    assert database is not None, "the daemon's database is a file"
    try:
        schedule.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        verified = store_backup.backup(db, schedule.folder, started)
    except (BackupError, OSError) as exc:
        reason = str(exc) if isinstance(exc, BackupError) else f"{schedule.folder}: {exc.strerror or exc}"
        store_backup.record(db, started, schedule.folder, None, reason)
        raise BackupError(reason) from None
    store_backup.record(db, started, verified.path, verified)
    removed = prune(schedule.folder, database, schedule.keep)
    log.info("backup written: %s (%s bytes, %d messages, schema %s); %d old file(s) removed, keeping %d",
             verified.path, f"{verified.bytes:,}", verified.messages, verified.schema, len(removed),
             schedule.keep, extra={"event": "backup", "path": str(verified.path)})
    return verified


class DailyBackup:
    """The daemon's job: a backup when one is due; a failure waits an hour."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self._retry_at = 0.0

    def run(self, db: Database, now: datetime | None = None) -> store_backup.Verified | None:
        now = now or clock.now()
        if monotonic() < self._retry_at:
            return None
        newest = store_backup.last(db)
        if not due(_when(newest["started_at"]) if newest else None, now, self.schedule.at):
            return None
        try:
            return take(db, self.schedule, now)
        except BackupError as exc:
            self._retry_at = monotonic() + RETRY_SECONDS
            log.error("%s; trying again in %d minutes", exc, RETRY_SECONDS // 60,
                      extra={"event": "backup_failed"})
            return None


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
