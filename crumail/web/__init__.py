"""The review desk: a small server-rendered web UI over the store and review.

``crumail serve`` runs it alone; ``crumail run`` serves it beside the
scheduler::

    server = start_in_thread(config) if enabled(config) else None
    try:
        daemon.run_forever()
    finally:
        if server is not None:
            server.close()
"""

from crumail.web.server import DeskServer, make_server, start_in_thread


def enabled(config) -> bool:
    """False when ``[web] enabled = false``: ``crumail run`` then serves no desk."""
    return config.settings.web.enabled


__all__ = ["DeskServer", "enabled", "make_server", "start_in_thread"]
