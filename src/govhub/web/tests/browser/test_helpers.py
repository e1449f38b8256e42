"""The browser checks themselves: they must fail on the faults they exist to catch."""

from __future__ import annotations

import pytest

from govhub.web.tests.fixtures import assert_accessible, assert_no_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_FAULTY = """<!DOCTYPE html><html><head><title>Faulty</title></head><body>
<main><h1>Faulty</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q"></form>
<script>window.inlineRan = true;</script></main></body></html>"""


def _serve(page, html, csp="script-src 'self'"):
    # A page the live server does not have, answered by the browser itself, with a real
    # response header so the browser enforces the policy as it does for the site.
    page.route(
        "**/__probe__/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp},
            body=html,
        ),
    )
    page.goto("/__probe__/")


def test_assert_accessible_lists_each_violation(page):
    _serve(page, _FAULTY)

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "faulty probe")

    message = str(failure.value)
    assert "faulty probe" in message
    for rule in ("html-has-lang", "image-alt", "label"):
        assert f"- {rule} (" in message
    assert 'target ["img"]' in message


def test_assert_no_console_errors_reports_a_csp_refusal(page):
    _serve(page, _FAULTY)

    assert page.evaluate("() => window.inlineRan === undefined")
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_no_console_errors(page)


def test_a_clean_page_passes_both(page):
    _serve(
        page,
        '<!DOCTYPE html><html lang="en"><head><title>Clean</title></head>'
        "<body><main><h1>Clean</h1><p>Nothing to see.</p></main></body></html>",
    )

    assert_accessible(page, "clean probe")
    assert_no_console_errors(page)
