"""Every write of appointments: open a day's slots, hold, confirm, book,
reschedule, cancel (by the citizen, or by the center when it cannot attend
the booking), check in, waitlist, no-shows.

Race safety (ADR 0005). A place is taken or given back only under the slot's
row lock (SELECT ... FOR UPDATE), and the slot's check constraint refuses
`taken > capacity` even if code were wrong. Locks are taken in one order:
the person's advisory lock (limits per document), then slots by id, then
bookings, then waitlist entries; an action that finds its booking first
reads it unlocked, locks the slot, then locks the booking and checks it
again. On SQLite every transaction is IMMEDIATE, which serialises writers.

Holding and confirming are the hot path (`mac bench booking`): their locks
and reads, the limits' counts and the new booking are plain SQL (the ORM's
query building cost more than the queries), and each one's last writes (the
row updates, the audit row, the event) go to the database in one statement
(`publish_on_commit(..., along=...)`, mac.core.rows).

A refused action changes nothing: it raises inside the transaction, which
rolls back; limit hits are audited afterwards in their own transaction.

The actions live in modules by kind; callers import them from here
(`from mac.appointments import actions`, `actions.hold`):

- `opening`: the agenda and a day's slots (`agenda_for`, `open_day`), and
  the checks that a center gives appointments for a service;
- `holding`: holding and booking (`hold`, `confirm`, `release`, `book`);
- `managing`: a booking made (`get_booking`, `reschedule`, `cancel`,
  `cancel_by_center`);
- `checking_in`: `check_in`, `check_in_from`;
- `waitlist`: `join_waitlist`, `offer_to_waitlist`;
- `background`: what the tasks do (`expire_hold`, `mark_no_show`);
- `limits`: the no-hoarding limits (`restricted_until`);
- `_shared`: the helpers several of them use (locks, places, a new booking,
  the document and contact, the event and audit row).
"""

from mac.appointments.actions._shared import CODE_ALPHABET, CODE_LENGTH, TOKEN_BYTES
from mac.appointments.actions.background import expire_hold, mark_no_show
from mac.appointments.actions.checking_in import check_in, check_in_from
from mac.appointments.actions.holding import book, confirm, hold, release
from mac.appointments.actions.limits import restricted_until
from mac.appointments.actions.managing import cancel, cancel_by_center, get_booking, reschedule
from mac.appointments.actions.opening import agenda_for, open_day
from mac.appointments.actions.waitlist import join_waitlist, offer_to_waitlist
from mac.core.calendar import LIMA

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "LIMA",
    "TOKEN_BYTES",
    "agenda_for",
    "book",
    "cancel",
    "cancel_by_center",
    "check_in",
    "check_in_from",
    "confirm",
    "expire_hold",
    "get_booking",
    "hold",
    "join_waitlist",
    "mark_no_show",
    "offer_to_waitlist",
    "open_day",
    "release",
    "reschedule",
    "restricted_until",
]
