"""The display board fits its TV: at 1920x1080 and 1280x720 nothing scrolls
(a TV cannot scroll), the call on screen is whole, every entity's waiting
count is on screen, and no acronym runs into its count."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from mac.core.testing import make_entity
from mac.core.tests.browser import screenshot
from mac.queueing import actions
from mac.queueing.testing import make_counter, queue_service

from .test_board_browser import open_board
from .test_live_state_stream import Screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Acronyms of a large Centro MAC (Lima Norte has 24 entities), the longest ones included.
ACRONYMS = [
    "BN", "CONADIS", "DP", "ESSALUD", "INDECOPI", "INPE", "MD-COMAS", "MIDIS",
    "MIGRACIONES", "MININTER", "MML", "MTC", "MTPE", "ONP", "OSCE", "PJ", "PNP",
    "SAT", "SERVIR", "SIS", "SUCAMEC", "SUNARP", "SUNEDU", "GORE-CAJAMARCA",
]  # fmt: skip
LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
    && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const now = box(document.querySelector('.board-now'));
  const call = [...document.querySelectorAll('#llamada-actual p')];
  const rows = [...document.querySelectorAll('#espera [data-entity]')];
  const calls = [...document.querySelectorAll('#llamados tr')];
  const panel = box(document.querySelector('.board-calls'));
  return {
    scroll: [document.documentElement.scrollWidth > innerWidth,
             document.documentElement.scrollHeight > innerHeight],
    call: call.map((p) => [p.textContent.trim(), inside(box(p), now) && inside(box(p), screen)]),
    waiting_off_screen: rows.filter((r) => !inside(box(r), screen)).length,
    waiting_clashes: rows.filter((r) => {
      const name = box(r.querySelector('.board-waiting__name'));
      const count = box(r.querySelector('.board-waiting__count'));
      return name.right > count.left || !inside(count, box(r));
    }).map((r) => r.textContent.trim()),
    calls_shown: calls.filter((tr) => inside(box(tr), panel)).length,
    notices_on_screen: inside(box(document.querySelector('.board-notices')), screen),
  };
}"""


class TestBoardLayout:
    @pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
    def test_a_large_center_fits_the_screen(
        self, page: Page, base: str, screen: Screen, size: tuple[int, int]
    ) -> None:
        # given a center with 26 entities and six calls by counter 12
        for acronym in ACRONYMS:
            queue_service(make_entity(acronym), f"Trámite de {acronym}", screen.center)
        counter = make_counter(screen.center, screen.reniec, 12, [screen.dni])
        actions.sign_in(counter, by=screen.bob)
        counter.refresh_from_db()
        for _ in range(6):
            screen.issue()
            ticket = actions.call_next(counter, by=screen.bob)
            assert ticket is not None
            actions.start(ticket, by=screen.bob)
            actions.finish(ticket, by=screen.bob)
        screen.issue(screen.ruc)

        # when the board is shown on a TV of that size
        open_board(page, base)
        page.set_viewport_size({"width": size[0], "height": size[1]})
        layout: dict[str, Any] = page.evaluate(LAYOUT)
        screenshot(page, f"board-{size[1]}p.png", full_page=False)

        # then
        assert layout["scroll"] == [False, False]
        assert layout["call"] == [["R-006", True], ["Módulo 12", True]]
        assert layout["waiting_off_screen"] == 0
        assert page.locator("#espera [data-entity]").count() == 26
        assert layout["waiting_clashes"] == []
        assert layout["calls_shown"] >= 3  # the newest; older ones give up their room
        assert layout["notices_on_screen"] is True
