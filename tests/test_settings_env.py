import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import env

pytestmark = pytest.mark.sqlite


def test_bool_accepts_common_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, expected in [("1", True), ("yes", True), ("False", False), ("off", False)]:
        monkeypatch.setenv("SAMSOK_FLAG", word)
        assert env.env_bool("SAMSOK_FLAG") is expected


def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMSOK_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SAMSOK_FLAG='perhaps'"):
        env.env_bool("SAMSOK_FLAG")
    monkeypatch.setenv("SAMSOK_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SAMSOK_NUMBER"):
        env.env_int("SAMSOK_NUMBER", 1)
    monkeypatch.setenv("SAMSOK_NUMBER", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("SAMSOK_NUMBER", 1, minimum=0)
    monkeypatch.setenv("SAMSOK_NUMBER", "5000")
    with pytest.raises(ImproperlyConfigured, match="at most 4000"):
        env.env_int("SAMSOK_NUMBER", 1, maximum=4000)
    monkeypatch.setenv("SEARCH_BACKEND", "solr")
    with pytest.raises(ImproperlyConfigured, match="tantivy, elasticsearch"):
        env.env_choice("SEARCH_BACKEND", ["tantivy", "elasticsearch"], "tantivy")


def test_database_urls() -> None:
    pg = env.database_from_url("postgres://lib:s%40cret@db.example:5433/samsok?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "lib",
        "s@cret",
        "db.example",
        "5433",
        "samsok",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    lite = env.database_from_url("sqlite:////tmp/x.sqlite3")
    assert lite["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme 'mysql'"):
        env.database_from_url("mysql://x/y")


def test_secret_key_required_without_debug(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env.secret_key(tmp_path, debug=False)
    key = env.secret_key(tmp_path, debug=True)
    assert len(key) >= 50
    assert env.secret_key(tmp_path, debug=True) == key  # generated once, then reused
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
