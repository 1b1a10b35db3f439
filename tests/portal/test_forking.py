"""Work in a forked child: its result, its errors, its end, its own database connection."""

import os

import pytest
from django.db import connection

from harvest.protocols import HarvestError
from portal.forking import ChildFailed, forked, portable
from tests.processes import children_of

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_the_child_computes_from_the_parents_memory_and_sends_the_result_back() -> None:
    decoded = {n: f"record {n}" for n in range(10_000)}  # made before the fork: not sent over
    with forked(lambda: (os.getpid(), sum(len(text) for text in decoded.values()))) as result:
        pid, total = result()
    assert pid != os.getpid()
    assert total == sum(len(text) for text in decoded.values())
    assert children_of(os.getpid()) == []  # reaped


def test_what_the_child_raises_is_raised_in_the_parent() -> None:
    def fail() -> None:
        raise HarvestError("HTTP 500 from http://example.org")

    with forked(fail) as result, pytest.raises(HarvestError, match="HTTP 500"):
        result()
    assert children_of(os.getpid()) == []


def test_an_error_that_cannot_travel_is_named_and_a_child_that_dies_is_reported() -> None:
    def unpicklable() -> None:
        raise ValueError(lambda: None)

    with forked(unpicklable) as result, pytest.raises(ChildFailed, match="ValueError"):
        result()
    with forked(lambda: os._exit(3)) as result, pytest.raises(ChildFailed, match="exit code 3"):
        result()
    assert children_of(os.getpid()) == []


def test_leaving_the_block_early_ends_the_child() -> None:
    with pytest.raises(RuntimeError), forked(lambda: __import__("time").sleep(60)):
        assert len(children_of(os.getpid())) == 1
        raise RuntimeError("the parent's own work failed")
    assert children_of(os.getpid()) == []


def test_portable_keeps_an_exception_that_travels_and_wraps_one_that_cannot() -> None:
    error = HarvestError("HTTP 500 from http://example.org")
    assert portable(error, HarvestError) is error
    wrapped = portable(ValueError(lambda: None), HarvestError)
    assert isinstance(wrapped, HarvestError) and str(wrapped).startswith("ValueError: <function")


@pytest.mark.skipif(not POSTGRES, reason="a PostgreSQL setting: two sessions")
@pytest.mark.django_db(transaction=True)
def test_the_child_opens_its_own_connection_and_leaves_the_parents_alone() -> None:
    def backend() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return int(cursor.fetchone()[0])

    mine = backend()
    with forked(backend) as result:
        theirs = result()
    assert theirs != mine
    assert backend() == mine  # the parent's session was not closed by the child
