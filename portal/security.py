"""Response headers Django's SecurityMiddleware does not set: the Content-Security-Policy and friends,
and no-store on pages with patron data."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# No inline script or style anywhere: every asset is a file served by the project itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """Adds CSP and Permissions-Policy unless a view set its own (e.g. a stricter one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


# Staff pages, the admin and the patron's fjärrlån pages (form answers, confirmation, status) show
# patron data: no shared cache or browser history may keep a copy.
PRIVATE_PATH_PREFIXES = ("/staff/", "/admin/", "/fjarrlan/")


class PrivatePagesMiddleware:
    """Cache-Control: no-store, private on every response under PRIVATE_PATH_PREFIXES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PATH_PREFIXES):
            patch_cache_control(response, no_store=True, private=True)
        return response
