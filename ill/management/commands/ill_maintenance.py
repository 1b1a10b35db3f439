"""Run fjärrlån's periodic work now, in-process: for the embedded default (no Celery beat) or cron."""

from typing import Any

from ill import outbox, retention, workflow
from portal import jobs
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = (
        "Move overdue requests to the next lender, send due patron e-mail and ISO 18626 messages, "
        "anonymize old requests."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with jobs.in_this_process():
            moved = workflow.advance_overdue()
            sent, failed = outbox.send_due()
            iso_sent, iso_failed = outbox.send_due_iso()
            anonymized = retention.anonymize_closed()
        self.stdout.write(
            f"fjärrlån: {len(moved)} moved to the next lender, {sent} e-mails sent, {failed} failed "
            f"(kept for retry), {anonymized} anonymized, "
            f"{iso_sent} ISO 18626 messages sent, {iso_failed} failed"
        )
