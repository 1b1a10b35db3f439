"""The ``__any`` lookup: the same rows as ``__in``, with one array parameter on PostgreSQL."""

import pytest
from django.db import connection

from catalog.models import Library

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_any_finds_what_in_finds() -> None:
    libraries = [Library.objects.create(code=code, name=f"Bibliotek {code}") for code in ("Sods", "Li", "G")]
    ids = [libraries[0].pk, libraries[2].pk, 10**12]
    for values, field in (
        (ids, "id"),
        (["Sods", "G", "Ö'; --"], "code"),
        ([], "code"),
        ([None, "Li"], "code"),
    ):
        found = set(Library.objects.filter(**{f"{field}__any": values}).values_list("code", flat=True))
        assert found == set(Library.objects.filter(**{f"{field}__in": values}).values_list("code", flat=True))
    assert set(Library.objects.exclude(code__any=["Li"]).values_list("code", flat=True)) == {"Sods", "G"}


def test_any_is_one_array_parameter_on_postgresql() -> None:
    sql, params = Library.objects.filter(code__any=["Sods", "G"]).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql and params == (["Sods", "G"],)
    else:
        assert " IN (%s, %s)" in sql and params == ("Sods", "G")
