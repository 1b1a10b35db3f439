"""Answers to odd requests and the cookies and addresses behind them: JSON 400 from the API for too
many parameters, the language cookie's flags in production, the client address behind a proxy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from portal.proxy import client_address

pytestmark = pytest.mark.sqlite

ROOT = Path(__file__).resolve().parent.parent.parent
TOO_MANY = "&".join(f"p{i}=1" for i in range(1001))


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/availability", "/api/v1/suggest"])
def test_too_many_parameters_get_the_apis_json_error(client: Client, path: str) -> None:
    response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(json.loads(response.content)) == {"error"}


def test_too_many_parameters_elsewhere_keep_the_html_page(client: Client) -> None:
    response = client.get(f"/sok/?{TOO_MANY}")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_language_cookie_is_secure_same_site_and_http_only_in_production(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SAMSOK_TESTING"}}
    env.update(SECRET_KEY="x" * 50, SITE_URL="https://samsok.example.org", SAMSOK_DATA_DIR=str(tmp_path))
    env.update(DJANGO_SETTINGS_MODULE="portal.settings")
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "Lax", "True"], out.stderr


def test_the_language_cookie_is_set_same_site(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]


def address(settings: object, hops: int, remote: str, forwarded: str | None = None) -> str:
    settings.TRUSTED_PROXY_HOPS = hops  # type: ignore[attr-defined]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_client_address_believes_only_what_trusted_proxies_wrote(settings: object) -> None:
    assert address(settings, 0, "203.0.113.5", "198.51.100.1") == "203.0.113.5"  # no proxy trusted
    assert address(settings, 1, "10.0.0.1", "203.0.113.5") == "203.0.113.5"
    # The client wrote the left-most entry itself; the proxy appended the real address.
    assert address(settings, 1, "10.0.0.1", "198.51.100.1, 203.0.113.5") == "203.0.113.5"
    assert address(settings, 2, "10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.1") == "203.0.113.5"
    # Not through every trusted proxy, or garbage where an address belongs: only the peer is known.
    assert address(settings, 2, "10.0.0.2", "203.0.113.5") == "10.0.0.2"
    assert address(settings, 1, "10.0.0.1") == "10.0.0.1"
    assert address(settings, 1, "10.0.0.1", "not-an-address") == "10.0.0.1"
    assert address(settings, 1, "10.0.0.1", "2001:db8::1") == "2001:db8::1"
