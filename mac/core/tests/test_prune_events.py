import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from mac.core.models import Event


@pytest.mark.django_db
class TestPruneEvents:
    def test_it_deletes_only_events_older_than_the_limit(self) -> None:
        with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
            Event.objects.create(topic="queue.center.1", payload={"type": "ticket.issued"})
        with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)):
            recent = Event.objects.create(topic="queue.center.1", payload={"type": "ticket.done"})
        out = StringIO()
        with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)):
            call_command("prune_events", "--days", "3", stdout=out)
        assert list(Event.objects.values_list("pk", flat=True)) == [recent.pk]
        assert out.getvalue().startswith("Eventos eliminados: 1 ")
