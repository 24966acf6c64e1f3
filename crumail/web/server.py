"""Serving the desk: waitress, a fixed pool of threads, loopback by default.

``start_in_thread(config)`` is how ``crumail run`` serves the desk beside the
scheduler: it returns the server at once, listening, and ``server.close()``
stops it.
"""

from __future__ import annotations

import logging
import threading

from waitress.server import create_server

from crumail.config import Config
from crumail.web.app import Desk

log = logging.getLogger("crumail.web")


class DeskServer:
    """A listening desk: ``url``, ``serve_forever()``, ``close()``."""

    def __init__(self, config: Config, host: str | None = None, port: int | None = None):
        self.desk = Desk(config)
        settings = self.desk.settings
        options = {"threads": settings.threads, "ident": "crumail", "clear_untrusted_proxy_headers": True}
        if settings.trusted_proxy:
            options.update(trusted_proxy=settings.trusted_proxy,
                           trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"})
        self._server = create_server(self.desk, host=host or settings.host,
                                     port=settings.port if port is None else port, **options)
        self.thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._server.effective_host

    @property
    def port(self) -> int:
        return self._server.effective_port

    @property
    def url(self) -> str:
        host = self.host if ":" not in str(self.host) else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        log.info("review desk on %s", self.url, extra={"event": "web_start", "url": self.url})
        try:
            self._server.run()
        except OSError:
            # close() from another thread ends run() with a closed socket.
            if self.thread is None:
                raise

    def close(self) -> None:
        """Stop listening, close open connections, stop the worker threads."""
        server = self._server
        server.task_dispatcher.shutdown(timeout=5)   # let requests in hand finish first
        while server._map:
            for dispatcher in list(server._map.values()):
                dispatcher.close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def make_server(config: Config, host: str | None = None, port: int | None = None) -> DeskServer:
    return DeskServer(config, host, port)


def start_in_thread(config: Config, host: str | None = None, port: int | None = None) -> DeskServer:
    """Serve the desk from a daemon thread; returns once it is listening."""
    server = DeskServer(config, host, port)
    server.thread = threading.Thread(target=server.serve_forever, name="crumail-web", daemon=True)
    server.thread.start()
    return server
