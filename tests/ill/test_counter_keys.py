"""The rate-limit and lockout counters live up to a day: their key names give away no card
number, e-mail address or user name."""

from django.core.cache import caches
from django.test import Client

from tests.conftest import needs_redis
from tests.ill.test_patron import form_data
from tests.world.ill import County

pytestmark = needs_redis


def stored_key_names() -> list[str]:
    counters = caches["counters"]
    client = counters._cache.get_client(write=False)  # type: ignore[attr-defined]
    return [name.decode() for name in client.scan_iter(match=counters.make_key("*"))]


def test_counter_key_names_hold_no_card_number_or_address(client: Client, county: County) -> None:
    response = client.post(f"/fjarrlan/ny/?record={county.cluster.pk}", form_data(county))
    assert response.status_code == 302
    client.post("/staff/login/", {"username": "sara", "password": "wrong"})
    names = stored_key_names()
    assert len(names) >= 4  # address, card and e-mail of the form; the account of the sign-in
    for secret in ("1234567890", "patrik@example.org", "sara", "127.0.0.1"):
        assert not [name for name in names if secret in name]
