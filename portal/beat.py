"""Celery beat's scheduler with a heartbeat (settings.CELERY_BEAT_SCHEDULER).

The usual persistent scheduler (`--schedule FILE`), which also writes the scheduler heartbeat on
its loop, so `/healthz` and beat's container health check see a beat that died or hangs.
"""

from typing import Any

from celery.beat import PersistentScheduler

from portal.heartbeat import INTERVAL, Pulse


class HeartbeatScheduler(PersistentScheduler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pulse = Pulse()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        delay = super().tick(*args, **kwargs)
        self.pulse()
        # Wake at least this often, whatever the schedule, so the heartbeat stays fresh.
        return min(delay, INTERVAL)
