"""`mac bench --scratch`: two runs at once (two versions compared in one run,
docs/performance.md) each need their own scratch database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mac.core import bench
from mac.core.management.commands import bench as command

used: list[str] = []


def fake_benchmark(*, log: Any, **options: Any) -> dict[str, Any]:
    return {"table": "tabla", "rounds": options["rounds"]}


@contextlib.contextmanager
def recording_scratch(*, keep: bool, log: Any, name: str) -> Iterator[None]:
    used.append(name)
    yield


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    used.clear()
    monkeypatch.setattr(bench, "scratch_database", recording_scratch)
    monkeypatch.setitem(command.BENCHMARKS, "search", f"{__name__}:fake_benchmark")
    return used


def test_the_scratch_database_is_named_after_the_benchmark_by_default(scratch: list[str]) -> None:
    call_command("bench", "search", "--json")
    assert scratch == ["search"]


def test_scratch_names_the_database_of_this_run(scratch: list[str]) -> None:
    call_command("bench", "search", "--scratch", "search_old", "--json")
    assert scratch == ["search_old"]


@pytest.mark.parametrize("bad", ["old-one", "a b", "x;drop", "ñandú"])
def test_a_scratch_name_that_is_not_a_plain_word_is_refused_before_any_database(
    scratch: list[str], bad: str
) -> None:
    with pytest.raises(CommandError, match="--scratch lleva letras, cifras y _"):
        call_command("bench", "search", "--scratch", bad)
    assert scratch == []
