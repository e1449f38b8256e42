"""Shared form helpers: a service's refusal on the form."""

from __future__ import annotations

from django import forms

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
