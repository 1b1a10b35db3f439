"""Why a harvest stopped is shown in the reader's language (issue 23): the mass-deletion reason is
stored and logged in English and translated on the staff pages when shown (harvest.reasons)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from harvest.models import HarvestRun, Source
from harvest.reasons import mass_deletion, translated
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill
from tests.world.places import staff

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SWEDISH = "Körningen skulle ta bort 5 av 10 poster (mer än 20 %); bekräfta på källan för att fortsätta."
ENGLISH = "The run would delete 5 of 10 records (more than 20%); confirm on the source to go ahead."


def regional_client(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    user = User.objects.filter(username="regina").first() or staff("regina", regional=True)
    client.force_login(user)
    return client


def test_a_stopped_run_s_reason_reads_swedish_on_swedish_pages(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    fill(oai_server, 10)
    harvest_source(oai_source.pk)
    for number in range(1, 6):  # half the feed gone: the guard stops the run
        oai_server.repository.delete(f"oai:test:{number}")
    run = harvest_source(oai_source.pk)
    oai_source.refresh_from_db()
    assert run.status == HarvestRun.Status.STOPPED
    assert oai_source.attention_reason == mass_deletion(5, 10, 0.2)  # stored (and logged) in English
    assert any(error["message"] == oai_source.attention_reason for error in run.errors)

    swedish = regional_client("sv")
    for page in ("/staff/sources/", f"/staff/sources/{oai_source.pk}/"):
        text = swedish.get(page).content.decode()
        assert SWEDISH in text and "would delete" not in text, page
    detail = swedish.get(f"/staff/sources/{oai_source.pk}/").content.decode()
    assert detail.count(SWEDISH) == 2  # the source's state and the run's messages
    english = regional_client("en").get(f"/staff/sources/{oai_source.pk}/").content.decode()
    assert ENGLISH in english and "Körningen" not in english


def test_only_known_reasons_are_translated() -> None:
    with translation.override("sv"):
        assert translated(mass_deletion(1, 1, 0.2)).startswith("Körningen skulle ta bort 1 av 1 post (")
        assert translated(mass_deletion(300, 1000, 0.25)) == (
            "Körningen skulle ta bort 300 av 1000 poster (mer än 25 %); bekräfta på källan för att fortsätta."
        )
        provider_error = "OAI error badResumptionToken: the token expired"
        assert translated(provider_error) == provider_error
        assert translated("") == ""
