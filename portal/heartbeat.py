"""The scheduler's heartbeat: celery beat and `run_scheduled` write it, `/healthz` reads it.

A dead scheduler is silent: no harvest, deadline, mail sweep or anonymization happens, yet every
request is answered. So the scheduler's loop writes a `Heartbeat` row, and a row older than
STALE_AFTER (five periods of the most frequent schedule entry, the minutely mail sweep) is a
finding of the health check.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from portal.models import Heartbeat

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"
# Written at most this often: a loop that wakes every 2 seconds need not write every 2 seconds.
INTERVAL = 30.0
STALE_AFTER = timedelta(minutes=5)
ASK = "is celery beat (or run_scheduled) running?"


def record(name: str = SCHEDULER, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


def problem(name: str = SCHEDULER, now: datetime | None = None) -> str | None:
    """None while the heartbeat is fresh, else what is wrong ("stale since …", "never …")."""
    beat = Heartbeat.objects.filter(name=name).first()
    if beat is None:
        return f"no heartbeat yet: {ASK}"
    if (now or timezone.now()) - beat.at > STALE_AFTER:
        return f"stale since {beat.at.isoformat(timespec='seconds')}: {ASK}"
    return None


class Pulse:
    """Writes the heartbeat from a loop, at most every INTERVAL seconds; never raises.

    The database being down is the database check's finding; the scheduler keeps going.
    """

    def __init__(self, name: str = SCHEDULER) -> None:
        self.name = name
        self.last = -INTERVAL

    def __call__(self) -> None:
        now = time.monotonic()
        if now - self.last < INTERVAL:
            return
        try:
            record(self.name)
            self.last = now
        except Exception as error:  # logged, retried on the next call
            log.warning("could not write the %s heartbeat: %s", self.name, error)
            # A long-lived process outlives a database restart: connect afresh next time.
            connection.close()
