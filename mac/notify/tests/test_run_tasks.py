"""The test helper runs due tasks in-process and fails loudly when one raises."""

from __future__ import annotations

import pytest

from mac.notify.tasks import deliver
from mac.notify.testing import run_tasks, scheduled_tasks


@pytest.mark.django_db
class TestRunTasks:
    def test_it_raises_the_error_of_a_failing_task(self):
        # given: an argument the task cannot take
        deliver.enqueue("not-a-message-id")  # type: ignore[arg-type]

        # when
        with pytest.raises(AssertionError, match=r"^task mac\.notify\.tasks\.deliver failed"):
            run_tasks()

        # then
        assert scheduled_tasks().count() == 0

    def test_it_runs_nothing_when_nothing_is_due(self):
        assert run_tasks() == 0
