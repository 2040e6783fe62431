"""Nothing outside mac/notify sends mail (or SMS) by hand: every message goes
through `mac.notify.actions.send`, so it is logged, translated and retried."""

from __future__ import annotations

import re
from pathlib import Path

import mac

MAC = Path(mac.__file__).parent
FORBIDDEN = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives"
    r"|get_connection)\b|\bmail\.send\b|\bsms\.get_backend\b"
)


def offenders(root: Path) -> list[str]:
    """Lines of the Python files under `root`, outside `root/notify`, that
    send mail or SMS themselves."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if (root / "notify") in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


class TestNoHandSentMail:
    def test_it_finds_no_mail_sent_outside_notify(self):
        # when
        found = offenders(MAC)

        # then
        assert found == [], "send through mac.notify.actions.send instead:\n" + "\n".join(found)

    def test_it_would_catch_a_hand_written_send_mail(self, tmp_path):
        # given
        module = tmp_path / "views.py"
        module.write_text("from django.core.mail import send_mail\n")

        # when
        found = offenders(tmp_path)

        # then
        assert found == ["views.py:1: from django.core.mail import send_mail"]

    def test_it_allows_the_notify_app_itself(self, tmp_path):
        # given
        (tmp_path / "notify").mkdir()
        (tmp_path / "notify" / "delivery.py").write_text("EmailMultiAlternatives(subject)\n")

        # when
        found = offenders(tmp_path)

        # then
        assert found == []
