"""Every write of the queue engine. Each action is atomic, validates before it
changes anything, writes an audit row and publishes its event after commit.

Lock order, always: the counter, then the ticket. Counters of a center call
in parallel and claim a ticket with a conditional update, so one ticket is
never called twice. Numbering locks only the (center, day, series) sequence
row, so kiosks never wait for counters.

Issuing, calling, starting and finishing are the hot paths (`mac bench
queue`): their locks, reads and claim are plain SQL (the ORM's query building
cost more than the queries), and each action's last writes (history row, row
updates, audit row, event and NOTIFY) go to the database in one statement
(`publish_on_commit(..., along=...)`).

The actions live in modules by what they act on; callers import them from
here (`from mac.queueing import actions`, `actions.issue_ticket`):

- `issuing`: new tickets, and the checks bookings ask too;
- `waiting`: a waiting ticket, held by no counter (cancel, change service);
- `sessions`: an advisor's session at a counter (sign in and out, pauses);
- `serving`: calling and serving at a counter;
- `closing`: what a day left open (abandoned tickets, past days);
- `configuration`: the back office's counters and queue settings;
- `_shared`: the helpers several of them use (locks, history, audit and
  event, a new ticket, the counter holding a ticket).
"""

from mac.queueing.actions._shared import queue_settings
from mac.queueing.actions.closing import DayClosed, abandon_waiting, close_past_days
from mac.queueing.actions.configuration import check_counter, save_counter, save_queue_settings
from mac.queueing.actions.issuing import (
    add_service,
    add_service_at_counter,
    booking_address,
    check_language,
    check_offered,
    check_staffed,
    check_walk_in,
    issue_ticket,
)
from mac.queueing.actions.serving import (
    call_next,
    finish,
    no_show,
    queue_config,
    recall,
    start,
    transfer,
)
from mac.queueing.actions.sessions import pause, release_advisor, resume, sign_in, sign_out
from mac.queueing.actions.waiting import cancel, change_service

__all__ = [
    "DayClosed",
    "abandon_waiting",
    "add_service",
    "add_service_at_counter",
    "booking_address",
    "call_next",
    "cancel",
    "change_service",
    "check_counter",
    "check_language",
    "check_offered",
    "check_staffed",
    "check_walk_in",
    "close_past_days",
    "finish",
    "issue_ticket",
    "no_show",
    "pause",
    "queue_config",
    "queue_settings",
    "recall",
    "release_advisor",
    "resume",
    "save_counter",
    "save_queue_settings",
    "sign_in",
    "sign_out",
    "start",
    "transfer",
]
