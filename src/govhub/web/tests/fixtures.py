"""Fixtures for web tests (shared with other apps via the root conftest).

Browser fixtures drive Debian's chromium through Playwright against pytest-django's
`live_server`; `assert_accessible` runs axe-core on the page as the browser renders it.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine's first page, short enough that a missing element fails
# the test quickly instead of hanging it.
DEFAULT_TIMEOUT_MS = 10_000
# The bar: WCAG 2.1 at levels A and AA (EN 301 549 points to the same criteria).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Console errors per page, filled by listeners the `page` fixtures attach; a weak mapping so
# closed pages do not pile up over a session.
_console_errors: WeakKeyDictionary[Any, list[str]] = WeakKeyDictionary()


def _axe_path() -> Path:
    return Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole session: starting it costs more than any page."""
    executable = CHROMIUM if CHROMIUM.exists() else None
    if executable is None:
        found = shutil.which("chromium")
        executable = Path(found) if found else None
    if executable is None:
        pytest.skip(
            "Browser tests need Debian's chromium at /usr/bin/chromium "
            "(`make chromium` or `apt-get install chromium`)."
        )
    from playwright.sync_api import expect, sync_playwright

    # `expect` retries on its own clock (5 s by default): give it the pages' allowance.
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def make_page(browser, live_server) -> Iterator[Callable[[], Any]]:
    """Opens a page in a fresh browser context (its own cookies: a separate person).

    The site's Content-Security-Policy stays on (no `bypass_csp`): a page that breaks its own
    policy must show up as a console error, and axe does not need the bypass (see
    `assert_accessible`).
    """
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        _console_errors[page] = errors

        def on_console(message: Any) -> None:
            if message.type == "error":
                location = message.location or {}
                errors.append(f"{message.text} ({location.get('url', page.url)})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"Uncaught: {error} ({page.url})"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page) -> Any:
    return make_page()


def console_errors(page: Any) -> list[str]:
    return _console_errors.get(page, [])


def assert_no_console_errors(page: Any) -> None:
    """No console errors since the page opened: script errors, failed loads, CSP refusals."""
    errors = console_errors(page)
    assert not errors, "Console errors:\n" + "\n".join(f"  - {e}" for e in errors)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # Injected with `page.evaluate`, which runs through the DevTools protocol and so is not
    # subject to the page's script-src; `add_script_tag` would add a <script> without the
    # nonce, which the policy rightly refuses. This keeps CSP enforced for the site's own code.
    source = _axe_source_cached()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target,
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )
    return result


@functools.cache
def _axe_source_cached() -> str:
    path = _axe_path()
    if not path.exists():
        # Not a skip: CI installs the npm dev dependencies, so a missing axe is a broken build.
        pytest.fail(f"axe-core is missing at {path}: run `npm ci`.")
    return path.read_text(encoding="utf-8")


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  - {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"      target {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("summary"):
                summary = " ".join(node["summary"].split())
                lines.append(f"        {summary[:400]}")
    return "\n".join(lines)


def assert_accessible(page: Any, context_label: str) -> None:
    """axe-core with the WCAG 2.1 A and AA rules finds nothing on the page as rendered now."""
    violations = axe_violations(page)
    assert not violations, (
        f"{context_label} ({page.url}): {len(violations)} accessibility violation(s):\n"
        + format_violations(violations)
    )


def assert_page_ok(page: Any, context_label: str) -> None:
    """What every page a journey visits must pass: axe clean and a silent console."""
    assert_accessible(page, context_label)
    assert_no_console_errors(page)
