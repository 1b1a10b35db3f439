"""Run the periodic work in-process: the embedded default's scheduler (no Celery beat there).

The work is exactly CELERY_BEAT_SCHEDULE (harvests that are due, fjärrlån deadlines, the mail
outbox, anonymization), each task called in this process, plus the background jobs that web
requests recorded (`portal.jobs`: "run now" harvests, patron e-mail, re-indexing). Once for cron,
or `--every N` to keep going and look for new jobs every N seconds (make serve runs it beside the
web server).
"""

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from portal import jobs
from portal.celery import app
from portal.commands import EnglishCommand
from portal.heartbeat import Pulse

logger = logging.getLogger(__name__)


def run_due(last_run: dict[str, float], now: float) -> tuple[list[str], list[str]]:
    """Run every schedule entry whose interval has passed since it last ran; (ran, failed)."""
    app.loader.import_default_modules()
    ran, failed = [], []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        interval = float(entry["schedule"])  # type: ignore[arg-type]
        if name in last_run and now - last_run[name] < interval:
            continue
        last_run[name] = now
        try:
            app.tasks[str(entry["task"])]()
            ran.append(name)
        except Exception:  # one failing job must not stop the others; it is logged in full
            logger.exception("scheduled job %s failed", name)
            failed.append(name)
    return ran, failed


class Command(EnglishCommand):
    help = (
        "Run the scheduled jobs (CELERY_BEAT_SCHEDULE) and the waiting background jobs in this "
        "process, once or every N seconds."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="keep going, looking for work every N seconds (default: once)",
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        last_run: dict[str, float] = {}
        pulse = Pulse()  # /healthz reports a scheduler that stopped (portal.heartbeat)
        with jobs.in_this_process():
            while True:
                pulse()
                done, jobs_failed = jobs.run_pending()  # asked for by someone: before the routine
                ran, failed = run_due(last_run, time.monotonic())
                summary = f"run_scheduled: ran {', '.join(ran) or 'nothing'}"
                summary += (
                    f"; background jobs: {done} done, {jobs_failed} failed" if done or jobs_failed else ""
                )
                if not every or ran or done or jobs_failed:  # a quiet loop writes nothing
                    self.stdout.write(summary + (f"; failed {', '.join(failed)}" if failed else ""))
                if not every:
                    break
                time.sleep(every)
        if failed:
            raise CommandError(f"scheduled jobs failed: {', '.join(failed)} (see the log)")
