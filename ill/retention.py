"""GDPR retention: final requests lose their patron data after ILL_RETENTION_DAYS; statistics stay."""

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ill.models import Event, OutboxMessage, Request
from ill.states import FINAL_STATES

PATRON_FIELDS = {
    **{"patron_name": "", "card_number": "", "email": "", "phone": "", "message": ""},
    "language": "",  # the language the patron asked in
}


def anonymize_closed(now: datetime | None = None) -> int:
    """Blank patron fields of requests final before the retention cutoff; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ILL_RETENTION_DAYS)
    with transaction.atomic():
        due = Request.objects.filter(state__in=FINAL_STATES, closed_at__lt=cutoff, anonymized_at__isnull=True)
        ids = list(due.values_list("pk", flat=True))
        Request.objects.filter(pk__in=ids).update(**PATRON_FIELDS, anonymized_at=now)
        # Mail copies carry name and address too: sent ones go, unsent ones can no longer be sent.
        OutboxMessage.objects.filter(request_id__in=ids).delete()
        # Staff notes are free text and may name the patron; the refusal reason stays in the rota.
        Event.objects.filter(request_id__in=ids).exclude(note="").update(note="")
    delete_old_mail_copies(cutoff)
    return len(ids)


def delete_old_mail_copies(cutoff: datetime) -> int:
    """The embedded default writes sent mail to files (EMAIL_FILE_PATH): those go on the same schedule."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return 0
    folder = Path(settings.EMAIL_FILE_PATH)
    old = [path for path in folder.glob("*.log") if path.stat().st_mtime < cutoff.timestamp()]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)
