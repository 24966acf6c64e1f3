"""Preloaded by the parser processes' forkserver, and by nothing else.

The forkserver imports the modules named by ``set_forkserver_preload``
(crumail/intake/workers.py) once, before it forks any worker: importing the
parser and the extractor here (through crumail/intake/prepare.py) makes each
worker a cheap fork of a warm process, and binding the forkserver to the
daemon here makes it end with the daemon (crumail/intake/lifeline.py).
"""

from __future__ import annotations

import crumail.intake.prepare  # noqa: F401  (preloaded: every worker starts with it imported)
from crumail.intake import lifeline

lifeline.follow_starter()
