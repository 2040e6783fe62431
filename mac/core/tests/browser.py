"""Browser testing helpers: Debian's Chromium driven by Playwright (sync API)
and axe-core for WCAG 2.1 AA checks. The pytest fixtures that use these live in
mac/conftest.py (`browser`, one per session; `page`, a fresh context per test).

Nothing here touches the network: axe is vendored next to this file and
Chromium runs with its background services off."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_PATH = Path(__file__).parent / "assets" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Pictures of the screens kept with the docs: written by `make screenshots`
# (MAC_SCREENSHOTS=1); a plain test run writes them to a temporary folder, so
# it leaves the committed pictures alone.
SCREENS_DIR = Path(__file__).resolve().parents[3] / "docs" / "screens"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@contextmanager
def launched_browser() -> Iterator[Browser]:
    """A headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # The Playwright sync API keeps an event loop in this thread; Django would
    # then refuse ORM calls from test code unless told it is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_page(browser: Browser, **context_options: Any) -> Iterator[Page]:
    """A page in a new browser context (no cookies or storage shared between tests)."""
    options: dict[str, Any] = {"locale": "es-PE", "viewport": DESKTOP}
    options.update(context_options)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page: Page, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the current document and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    result: dict[str, Any] = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        tags or WCAG_AA_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def format_violations(violations: list[dict[str, Any]], url: str = "") -> str:
    """A readable report: rule, impact, help, and the offending elements."""
    lines = [f"{len(violations)} accessibility violation(s) at {url}:"]
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:10]:
            target = ", ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page, tags: list[str] | None = None) -> None:
    """Fail with a clear report when axe finds WCAG 2.1 A/AA violations."""
    violations = axe_violations(page, tags)
    assert not violations, format_violations(violations, page.url)


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no sideways scroll)."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a picture of `page` as `name` (docs/screens/ under MAC_SCREENSHOTS=1)."""
    if os.environ.get("MAC_SCREENSHOTS") == "1":
        folder = SCREENS_DIR
    else:
        folder = Path(tempfile.gettempdir()) / "mac-screens"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full_page)
    return path
