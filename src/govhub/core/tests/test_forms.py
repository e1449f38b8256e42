"""Shared form helpers: a service's refusal on the form, and the GOV.UK error summary's links."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

from govhub.core.errors import Conflict, InvalidInput
from govhub.core.forms import show_domain_error


class _Form(forms.Form):
    name = forms.CharField(required=False)
    price = forms.DecimalField(required=False)
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a kind"},
    )
    roles = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose a role"},
    )
    email = forms.EmailField(error_messages={"required": "Enter an email address"})


def _bound(**data: str) -> _Form:
    form = _Form(data={"kind": "a", "roles": ["x"], "email": "a@example.eu", **data})
    assert form.is_valid(), form.errors
    return form


def test_field_errors_go_on_the_fields_they_name():
    form = _bound()
    show_domain_error(
        form, InvalidInput("Not valid", field_errors={"name": ["Too long", "Taken"], "price": []})
    )
    assert form.errors["name"] == ["Too long", "Taken"]
    # A field named without its own message gets the error's message.
    assert form.errors["price"] == ["Not valid"]
    assert not form.non_field_errors()


def test_errors_naming_no_field_of_the_form_go_on_top():
    form = _bound()
    show_domain_error(form, InvalidInput("Not valid", field_errors={"elsewhere": ["Nope"]}))
    assert form.non_field_errors() == ["Not valid"]
    assert "elsewhere" not in form.errors


def test_other_refusals_go_on_top():
    form = _bound()
    show_domain_error(form, Conflict("Someone else changed it"))
    assert form.non_field_errors() == ["Someone else changed it"]


def test_aliases_map_a_service_argument_to_its_form_field():
    form = _bound()
    error = InvalidInput("Not valid", field_errors={"declared_price": ["Too high"]})
    show_domain_error(form, error, aliases={"declared_price": "price"})
    assert form.errors["price"] == ["Too high"]
    assert not form.non_field_errors()


_PAGE = Template(
    "{% load govhub_forms %}{% govuk_error_summary form %}"
    "{% for field in form %}{% govuk_field field %}{% endfor %}"
)


def _summary_links(form: forms.Form) -> tuple[dict[str, str], set[str]]:
    """The error summary's links (message → href) and every id on the page."""
    html = _PAGE.render(Context({"form": form}))
    links = {
        text: href for href, text in re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', html)
    }
    return links, set(re.findall(r'\sid="([^"]+)"', html))


def test_error_summary_links_radios_and_checkboxes_to_their_first_option():
    form = _Form(data={"name": "x"})
    assert not form.is_valid()
    links, ids = _summary_links(form)
    assert links == {
        "Choose a kind": "#id_kind_0",
        "Choose a role": "#id_roles_0",
        "Enter an email address": "#id_email",
    }
    # Every link leads to an element on the page.
    assert {href.removeprefix("#") for href in links.values()} <= ids
    assert "id_kind" not in ids
