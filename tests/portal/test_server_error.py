"""The 500 page: in the reader's language and direction, with nothing it could fail on."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from portal.languages import is_right_to_left


@pytest.mark.sqlite
@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_the_error_page_speaks_the_readers_language(code: str) -> None:
    with translation.override(code):
        response = server_error(RequestFactory().get("/sok/"))
        heading = translation.gettext("Something went wrong")
    html = response.content.decode()
    direction = "rtl" if is_right_to_left(code) else "ltr"
    assert response.status_code == 500
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert (heading == "Something went wrong") == (code == "en")  # translated everywhere else
    if code == "sv":
        assert heading == "Något gick fel"
