"""Child processes that end with the daemon, even after a SIGKILL.

Large batches are parsed in a process pool started through multiprocessing's
forkserver (crumail/intake/workers.py).  A SIGKILL of ``crumail run`` runs no
clean-up, and each of those processes keeps the others alive: the pool
workers hold the forkserver's "alive" pipe and the resource tracker's pipe
open, so without help all of them live on, re-parented to init.  So:

* the **forkserver**, a child of the daemon, watches the daemon's pid
  through a pidfd and exits the moment it ends.  It cannot use the kernel's
  parent-death signal: that fires when the *thread* that started the child
  ends, and the forkserver is started by whichever scheduler thread first
  needs a pool;
* each **pool worker**, a child of the forkserver (whose one thread lives as
  long as it does), asks for SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``) and watches the daemon's pid as well;
* the **resource tracker** is left to itself: it exits once the last of
  them has closed its pipe, after removing any semaphore they left behind.

The daemon names itself to its forkserver in ``PARENT_ENV``, so that the
forkserver's preload module (crumail/intake/forkserver.py) binds only a process
started by a crumail that asked for it.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import threading
import time
from pathlib import Path

PARENT_ENV = "CRUMAIL_PARSER_PARENT"
PR_SET_PDEATHSIG = 1               # from <linux/prctl.h>
POLL_SECONDS = 1.0                 # only where pidfds are missing (Linux before 5.3)
EXIT_STATUS = 70                   # EX_SOFTWARE: ended because the daemon did


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends; False where it cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch(pid: int) -> None:
    """End this process as soon as process ``pid`` ends; returns at once.

    The wait runs in a daemon thread, blocked on a pidfd (readable when
    ``pid`` exits), so it costs nothing while the daemon lives."""
    try:
        handle: int | None = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(EXIT_STATUS)
    except (AttributeError, OSError):
        handle = None
    threading.Thread(target=_wait_for_end, args=(pid, handle), name="crumail-lifeline",
                     daemon=True).start()


def follow_starter() -> None:
    """In a forkserver: end with the daemon that started it (named in ``PARENT_ENV``)."""
    starter = int(os.environ.get(PARENT_ENV, "0") or 0)
    if starter <= 0 or starter == os.getpid():
        return
    if os.getppid() != starter:        # it ended before we got here
        os._exit(EXIT_STATUS)
    watch(starter)


def _wait_for_end(pid: int, handle: int | None) -> None:
    if handle is not None:
        poller = select.poll()         # not select(): it cannot take descriptors above 1023
        poller.register(handle, select.POLLIN)
        while not poller.poll():
            pass
    else:
        while _alive(pid):
            time.sleep(POLL_SECONDS)
    os._exit(EXIT_STATUS)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has ended: nothing reaps it under some inits)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
