"""How every process logs (Django's LOGGING, gunicorn's logconfig_dict, Celery through Django).

One line per event, stamped in UTC with its offset, whichever process wrote it: gunicorn's master
starts before Django sets the process time zone to Europe/Stockholm, so local time would mix
zones in one log, and a line without an offset cannot be lined up with the proxy's.
"""

import logging
from datetime import UTC, datetime

LINE = "%(asctime)s %(levelname)s %(name)s %(message)s"


class UtcIsoFormatter(logging.Formatter):
    """`2026-12-04T14:49:07.123+00:00 WARNING name message`, a traceback folded into the line."""

    def __init__(self, fmt: str | None = LINE, *args: object, **kwargs: object) -> None:
        super().__init__(fmt, *args, **kwargs)  # type: ignore[arg-type]

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        # A newline would split one event into lines that interleave with other processes' lines.
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


class AsOneLineWarning(logging.Filter):
    """Log a record as a WARNING without its traceback.

    For `django.security.DisallowedHost`: scanners send wrong Host headers all day; each is worth
    one line naming the host, not an ERROR with a traceback of Django's own request handling.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = None
        record.stack_info = None
        return True
