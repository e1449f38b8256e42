"""Forms of the questionnaires: one form per section, built from the question definitions.

Every field is optional so that a half-way section can be saved; the answers are checked by
the service (a wrong option or web address is refused there, with everything typed kept).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Answer
from .questions import MULTIPLE, Section


def evidence_name(key: str) -> str:
    return f"{key}__evidence"


def evidence_url_name(key: str) -> str:
    return f"{key}__evidence_url"


class SectionForm(forms.Form):
    def __init__(
        self, *args: Any, section: Section, current: dict[str, Answer] | None = None, **kwargs: Any
    ) -> None:
        current = current or {}
        initial: dict[str, Any] = {}
        for key, answer in current.items():
            initial[key] = answer.value
            initial[evidence_name(key)] = answer.evidence
            initial[evidence_url_name(key)] = answer.evidence_url
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.section = section
        for question in section.questions:
            field: forms.Field
            if question.kind == MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=question.choices(),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            else:
                field = forms.ChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=question.choices(),
                    widget=forms.RadioSelect,
                    required=False,
                )
            self.fields[question.key] = field
            self.fields[evidence_name(question.key)] = forms.CharField(
                label=_("Evidence for “%(title)s”") % {"title": question.title},
                help_text=_(
                    "What supports your answer: documents, standards, registries, certificates."
                ),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                strip=True,
            )
            self.fields[evidence_url_name(question.key)] = forms.CharField(
                label=_("Link to the evidence for “%(title)s”") % {"title": question.title},
                required=False,
                strip=True,
            )

    def question_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "question": question,
                "answer": self[question.key],
                "evidence": self[evidence_name(question.key)],
                "evidence_url": self[evidence_url_name(question.key)],
            }
            for question in self.section.questions
        ]

    def answers(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            question.key: {
                "value": data.get(question.key) or None,
                "evidence": data.get(evidence_name(question.key), ""),
                "evidence_url": data.get(evidence_url_name(question.key), ""),
            }
            for question in self.section.questions
        }


class CompleteForm(forms.Form):
    """Completing takes no input: the result comes from the answers saved."""
