"""The building blocks of a questionnaire: options, questions, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    Text: TypeAlias = str | _StrPromise
else:
    Text = Any

SINGLE = "single"
MULTIPLE = "multiple"


@dataclass(frozen=True)
class Option:
    key: str
    label: Text
    score: int | None = 0
    # AI Act: the article, annex point or paragraph this option stands for.
    citation: Text = ""
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    key: str
    title: Text  # short, for summaries and evidence labels
    text: Text  # the question as asked
    options: tuple[Option, ...]
    kind: str = SINGLE
    hint: Text = ""

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    def choices(self) -> list[tuple[str, Text]]:
        return [(option.key, option.label) for option in self.options]


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    intro: Text
    questions: tuple[Question, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    title: Text
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)

    def section_of(self, question_key: str) -> Section | None:
        for section in self.sections:
            if any(q.key == question_key for q in section.questions):
                return section
        return None

    def next_section(self, key: str) -> Section | None:
        keys = [section.key for section in self.sections]
        index = keys.index(key)
        return self.sections[index + 1] if index + 1 < len(keys) else None


def yes_partly_no(yes: Text, partly: Text, no: Text, *, na: Text = "") -> tuple[Option, ...]:
    options = [Option("yes", yes, 100), Option("partly", partly, 50), Option("no", no, 0)]
    if na:
        options.append(Option("not_applicable", na, None))
    return tuple(options)
