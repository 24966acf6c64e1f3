"""The review desk: a small server-rendered web UI over the store and review.

``crumail serve`` runs it alone; ``crumail run`` calls :func:`start_in_thread`
to serve it beside the scheduler.
"""

from crumail.web.server import DeskServer, make_server, start_in_thread

__all__ = ["DeskServer", "make_server", "start_in_thread"]
