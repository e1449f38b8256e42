from __future__ import annotations

from django import forms
from django.utils import translation

from govhub.reference.forms import (
    CodelistChoiceField,
    CountryChoiceField,
    CpvCodesField,
    NutsRegionField,
)
from govhub.reference.models import CpvCode, NutsRegion


def _choices(field: forms.Field) -> list[tuple[object, str]]:
    assert isinstance(field, forms.ModelChoiceField)
    return list(field.choices)  # type: ignore[arg-type]


class NoticeForm(forms.Form):
    cpv = CpvCodesField(max_codes=3)
    nuts = NutsRegionField()
    country = CountryChoiceField(required=False)
    legal_type = CodelistChoiceField(codelist="buyer-legal-type", required=False)


def test_cpv_codes_with_and_without_check_digit(reference_data):
    form = NoticeForm(data={"cpv": "45215140-0, 03000000\n45000000-7"})
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["cpv"]
    assert all(isinstance(c, CpvCode) for c in cleaned)
    assert [c.code for c in cleaned] == ["45215140-0", "03000000-1", "45000000-7"]


def test_cpv_codes_repeated_count_once(reference_data):
    form = NoticeForm(data={"cpv": "45215140-0 45215140"})
    assert form.is_valid()
    assert [c.code for c in form.cleaned_data["cpv"]] == ["45215140-0"]


def test_no_cpv_code_is_an_empty_list(reference_data):
    form = NoticeForm(data={"cpv": " "})
    assert form.is_valid()
    assert form.cleaned_data["cpv"] == []
    assert form.cleaned_data["nuts"] is None


def test_required_cpv_codes(reference_data):
    class Required(forms.Form):
        cpv = CpvCodesField(required=True)

    form = Required(data={"cpv": ""})
    assert not form.is_valid()
    assert "cpv" in form.errors


def test_unknown_codes_are_named_and_input_kept(reference_data):
    form = NoticeForm(data={"cpv": "45215140-0, 99999999, 45215140-1"})
    assert not form.is_valid()
    message = form.errors["cpv"][0]
    assert "99999999" in message
    assert "45215140-1" in message
    assert "are not CPV codes" in message
    html = str(form["cpv"])
    assert 'value="45215140-0, 99999999, 45215140-1"' in html


def test_one_unknown_code_message(reference_data):
    form = NoticeForm(data={"cpv": "1234"})
    assert not form.is_valid()
    assert form.errors["cpv"] == [
        "1234 is not a CPV code. Enter codes such as 45215140-0, or pick them from the list"
    ]


def test_too_many_cpv_codes(reference_data):
    form = NoticeForm(data={"cpv": "03000000 45000000 45215140 45200000"})
    assert not form.is_valid()
    assert form.errors["cpv"] == ["Enter no more than 3 CPV codes"]


def test_initial_cpv_codes_render_as_codes_with_labels(reference_data):
    initial = list(CpvCode.objects.filter(code__in=["45215140-0", "03000000-1"]))
    form = NoticeForm(initial={"cpv": initial})
    html = str(form["cpv"])
    assert 'value="03000000-1, 45215140-0"' in html
    assert "Hospital facilities construction work" in html
    assert 'data-suggest-url="/reference/cpv/suggest/"' in html
    assert 'type="module"' in html


def test_cpv_field_has_changed(reference_data):
    field = NoticeForm.base_fields["cpv"]
    initial = list(CpvCode.objects.filter(code="45215140-0"))
    assert not field.has_changed(initial, "45215140")
    assert field.has_changed(initial, "45215140, 03000000")


def test_nuts_region(reference_data):
    form = NoticeForm(data={"nuts": "pt1a0"})
    assert form.is_valid(), form.errors
    region = form.cleaned_data["nuts"]
    assert isinstance(region, NutsRegion)
    assert region.code == "PT1A0"


def test_unknown_nuts_region_is_named_and_input_kept(reference_data):
    form = NoticeForm(data={"nuts": "ZZ999"})
    assert not form.is_valid()
    assert "ZZ999" in form.errors["nuts"][0]
    assert 'value="ZZ999"' in str(form["nuts"])


def test_initial_nuts_region_renders_its_code(reference_data):
    form = NoticeForm(initial={"nuts": NutsRegion.objects.get(code="FR101")})
    html = str(form["nuts"])
    assert 'value="FR101"' in html
    assert "Paris" in html


def test_country_choices_are_sorted_by_name_in_the_current_language(reference_data):
    with translation.override("de"):
        choices = [label for _, label in _choices(NoticeForm().fields["country"])]
    assert choices[0] == ""
    assert choices.index("Deutschland") < choices.index("Frankreich")
    with translation.override("en"):
        choices = [label for _, label in _choices(NoticeForm().fields["country"])]
    assert choices.index("France") < choices.index("Germany")


def test_country_submits_its_alpha3_code(reference_data):
    form = NoticeForm(data={"country": "BEL"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"].alpha2 == "BE"
    assert not NoticeForm(data={"country": "XXX"}).is_valid()


def test_codelist_choices_are_one_list_in_the_current_language(reference_data):
    field = NoticeForm().fields["legal_type"]
    with translation.override("fr"):
        labels = {str(value): label for value, label in _choices(field)}
    assert len(labels) == 19 + 1
    assert labels["body-pl"] == "Organisme de droit public"
    form = NoticeForm(data={"legal_type": "body-pl"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["legal_type"].codelist == "buyer-legal-type"
    assert not NoticeForm(data={"legal_type": "large"}).is_valid()  # another list's code


def test_eu_only_countries(reference_data):
    field = CountryChoiceField(eu_only=True)
    assert len(_choices(field)) == 27 + 1
