"""Run fjärrlån's periodic work now, in-process: for the embedded default (no Celery beat) or cron."""

from typing import Any

from ill import outbox, retention, workflow
from portal import jobs
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = "Move overdue requests to the next lender, send due patron e-mail, anonymize old requests."

    def handle(self, *args: Any, **options: Any) -> None:
        with jobs.in_this_process():
            moved = workflow.advance_overdue()
            sent, failed = outbox.send_due()
            anonymized = retention.anonymize_closed()
        self.stdout.write(
            f"fjärrlån: {len(moved)} moved to the next lender, {sent} e-mails sent, {failed} failed "
            f"(kept for retry), {anonymized} anonymized"
        )
