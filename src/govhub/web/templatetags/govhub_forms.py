"""Render Django form fields with the GOV.UK Frontend markup (labels, hints, errors)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


def _kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.inclusion_tag("web/includes/field.html")
def govuk_field(field: BoundField, width: str = "", autocomplete: str = "") -> dict[str, Any]:
    kind = _kind(field)
    attrs: dict[str, Any] = {}
    css = _CLASSES.get(kind, "")
    if kind in {"input", "password", "select", "textarea", "file"} and field.errors:
        css += f" {_CLASSES[kind]}--error"
    if width:
        css += f" govuk-input--width-{width}" if width.isdigit() else f" govuk-!-width-{width}"
    if css:
        attrs["class"] = css.strip()
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return {
        "field": field,
        "kind": kind,
        "widget_html": field.as_widget(attrs=attrs) if kind not in {"checkboxes", "radios"} else "",
    }


def _error_href(field: BoundField) -> str:
    """Where an error summary link takes the user: the field's input, or for radios and
    checkboxes (which have no element with the field's own id) the first option, as the
    GOV.UK error summary pattern asks."""
    if _kind(field) in {"radios", "checkboxes"}:
        options = field.subwidgets
        if options and options[0].id_for_label:
            return f"#{options[0].id_for_label}"
    return f"#{field.auto_id}"


@register.inclusion_tag("web/includes/error_summary.html")
def govuk_error_summary(*forms_: forms.BaseForm) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "text": message})
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            href = _error_href(form[name])
            for message in field_errors:
                errors.append({"href": href, "text": message})
    return {"errors": errors}
