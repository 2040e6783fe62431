import signal
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

_SIGNALS = [signal.SIGINT, signal.SIGTERM] + (
    [signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []
)


class Command(DbWorkerCommand):
    """django-tasks-db's `db_worker` under the project's name, with the
    project's messages. `mac demo` and `mac serve` start one next to the web
    server; in production run one or more (each needs a unique --worker-id
    when given)."""

    help = (
        "Run the background tasks (notifications, reminders) stored in the database; "
        "--batch runs the due ones and exits. Either way, messages that lost their "
        "delivery task (NOTIFY_STUCK_MINUTES) are handed back to it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from mac.notify import delivery, tasks

        if options["batch"]:
            self.stdout.write("Ejecutando las tareas pendientes...")
            # Run from cron: sweep now (the tasks it enqueues run below).
            handed = delivery.sweep(timezone.now())
            if handed:
                self.stdout.write(f"Mensajes sin tarea devueltos al envío: {len(handed)}")
        else:
            # Long-running: the sweep schedules itself every NOTIFY_SWEEP_MINUTES.
            tasks.schedule_sweep()
            self.stdout.write(
                "Procesador de tareas en segundo plano iniciado (Ctrl+C para detener)"
            )
        # The worker installs its own signal handlers; give the caller back its
        # own (a test process, or `mac serve` in the same process).
        previous = {s: signal.getsignal(s) for s in _SIGNALS}
        try:
            super().handle(*args, **options)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        if options["batch"]:
            self.stdout.write("Tareas pendientes ejecutadas.")
