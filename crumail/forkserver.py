"""Preloaded by the parser processes' forkserver, and by nothing else.

The forkserver imports the modules named by ``set_forkserver_preload``
(crumail/workers.py) once, before it forks any worker: importing the
pipeline here makes each worker a cheap fork of a warm process, and binding
the forkserver to the daemon here makes it end with the daemon
(crumail/lifeline.py).
"""

from __future__ import annotations

import crumail.pipeline  # noqa: F401  (preloaded: every worker starts with it imported)
from crumail import lifeline

lifeline.follow_starter()
