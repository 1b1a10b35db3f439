"""A tiny real SMTP server on 127.0.0.1 for outbox tests: refuses the first N messages, then accepts."""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    refuse_first: int = 0
    refused: int = 0
    received: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class SMTPHandler(socketserver.StreamRequestHandler):
    server: "SMTPServer"

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        box = self.server.mailbox
        self.reply("220 test.invalid ESMTP")
        while raw := self.rfile.readline():
            command = raw.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test.invalid")
            elif verb == "MAIL":
                with box.lock:
                    refuse = box.refused < box.refuse_first
                    if refuse:
                        box.refused += 1
                self.reply("451 4.3.0 Try again later" if refuse else "250 OK")
            elif verb in ("RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line.decode("utf-8", "replace"))
                with box.lock:
                    box.received.append("".join(lines))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


@contextmanager
def smtp_server(refuse_first: int = 0) -> Iterator[tuple[int, Mailbox]]:
    server = SMTPServer(("127.0.0.1", 0), SMTPHandler)
    server.mailbox = Mailbox(refuse_first=refuse_first)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.mailbox
    finally:
        server.shutdown()
        server.server_close()
