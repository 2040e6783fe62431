"""Events reach subscribers only after the transaction commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from mac.core.events import publish, publish_on_commit, subscribe


@pytest.fixture
def received():
    got: list[tuple[str, dict[str, Any]]] = []
    unsubscribe = subscribe("test.", lambda topic, payload: got.append((topic, payload)))
    yield got
    unsubscribe()


@pytest.mark.django_db
class TestPublishOnCommit:
    def test_it_delivers_after_commit(self, received, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            publish_on_commit("test.ticket.called", {"id": 1})
            assert received == []

        assert len(callbacks) == 1
        assert received == [("test.ticket.called", {"id": 1})]

    def test_it_delivers_nothing_when_the_transaction_rolls_back(
        self, received, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            publish_on_commit("test.ticket.called", {"id": 1})
            raise RuntimeError("rollback")

        assert callbacks == []
        assert received == []

    def test_it_delivers_only_to_matching_prefixes(self, received):
        publish("other.topic", {"id": 2})
        publish("test.other", {"id": 3})

        assert received == [("test.other", {"id": 3})]

    def test_it_keeps_delivering_when_a_handler_fails(self, received):
        def broken(topic: str, payload: dict[str, Any]) -> None:
            raise ValueError("boom")

        unsubscribe = subscribe("test.", broken)
        try:
            publish("test.x", {"n": 1})
        finally:
            unsubscribe()

        assert received == [("test.x", {"n": 1})]

    def test_it_stops_delivering_after_unsubscribe(self):
        got: list[str] = []
        unsubscribe = subscribe("test.", lambda topic, payload: got.append(topic))
        unsubscribe()

        publish("test.x", {})

        assert got == []
