"""The project's 400 handler (`handler400` in portal/urls.py).

Django answers some bad requests before any view can: more than DATA_UPLOAD_MAX_NUMBER_FIELDS
parameters (TooManyFieldsSent) and other SuspiciousOperations. Under /api/ that answer keeps the
API's convention, `{"error": "..."}` with CORS headers; elsewhere it is Django's own 400 page.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from api.responses import error


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        return error(_("Too many query parameters."), 400)
    return error(_("The request could not be read."), 400)
