import logging
import signal
from dataclasses import asdict
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
        "delivery task (NOTIFY_STUCK_MINUTES) are handed back to it, old live "
        "events and finished tasks are deleted (EVENTS_KEEP_DAYS, TASK_RESULTS_KEEP_DAYS), "
        "and what past days left open in the queues is closed."
    )

    def configure_logging(self, verbosity: int) -> None:
        # One line per task start and end buried the console of `mac demo` and
        # `mac serve` (and an operator's log): by default (-v 1) only warnings
        # and failed tasks are logged; -v 2 logs every task, -v 3 debugs.
        super().configure_logging(verbosity)
        level = {1: logging.WARNING, 2: logging.INFO}.get(verbosity)
        if level is not None:
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(level)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from mac.core import housekeeping
        from mac.core import tasks as core_tasks
        from mac.notify import delivery, tasks
        from mac.queueing import actions as queue_actions
        from mac.queueing import tasks as queue_tasks

        if options["batch"]:
            self.stdout.write("Ejecutando las tareas pendientes...")
            # Run from cron: sweep and prune now (the tasks the sweep enqueues run below).
            handed = delivery.sweep(timezone.now())
            if handed:
                self.stdout.write(f"Mensajes sin tarea devueltos al envío: {len(handed)}")
            deleted = housekeeping.prune(timezone.now())
            if any(deleted.values()):
                others = sum(n for k, n in deleted.items() if k not in ("events", "task_results"))
                self.stdout.write(
                    f"Limpieza: {deleted['events']} eventos, "
                    f"{deleted['task_results']} tareas terminadas y "
                    f"{others} registros de uso único eliminados"
                )
            closed = queue_actions.close_past_days()
            if any(asdict(closed).values()):
                self.stdout.write(
                    f"Días anteriores cerrados: {closed.abandoned} tickets en espera, "
                    f"{closed.no_shows} llamados sin presentarse, {closed.unrecorded} "
                    f"atenciones sin cierre, {closed.signed_out} sesiones de módulo; "
                    f"{closed.left_busy} módulos con un ticket de hoy"
                )
        else:
            # Long-running: the sweep schedules itself every NOTIFY_SWEEP_MINUTES,
            # the housekeeping and the closing of past days every HOUSEKEEPING_MINUTES.
            tasks.schedule_sweep()
            core_tasks.schedule_prune()
            queue_tasks.schedule_close_days(at_once=True)
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
