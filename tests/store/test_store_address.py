"""Addresses are shown and stored without their password, whatever form they take."""

from __future__ import annotations

import pytest

from db.sharing.store.connect import is_store_address, reason, redact


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://ana:s3cret@db.example.org:5433/desk", "postgresql://ana@db.example.org:5433/desk"),
        ("postgres://ana@db/desk?sslmode=verify-full", "postgres://ana@db/desk?sslmode=verify-full"),
        ("postgresql://ana@db/desk?password=s3cret&sslmode=require", "postgresql://ana@db/desk?sslmode=require"),
        ("host=db dbname=desk user=ana password=s3cret", "host=db dbname=desk user=ana"),
        ("host=db password='s3 cret' dbname=desk", "host=db dbname=desk"),
        ("service=desk", "service=desk"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown and "s3" not in redact(url)
    assert is_store_address(url)


def test_not_an_address() -> None:
    assert not is_store_address("http://example.org/") and not is_store_address("desk.sqlite")


def test_reason_is_one_clause_without_secrets() -> None:
    exc = Exception('connection to server at "db" (10.0.0.1), port 5432 failed: FATAL:  password s3cret is wrong\nmore')
    assert reason(exc, ("s3cret",)) == "password *** is wrong"
