"""A socket server on 127.0.0.1 running on a daemon thread for the length of a `with` block."""

import socketserver
import threading
from typing import Self


class Served:
    """Base of the tests' local servers: call `_serve(server)` in `__init__`; `port` once built."""

    server: socketserver.TCPServer

    def _serve(self, server: socketserver.TCPServer) -> None:
        self.server = server
        server.daemon_threads = True  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
