"""What an importer reads from one record, before anything is written."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class RecordRejected(Exception):
    """The record lacks a mandatory fact (or is not readable); ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Text:
    name: str
    summary: str
    description: str = ""


@dataclass
class Publisher:
    name: str
    country: str = ""  # ISO alpha-2
    website: str = ""
    email: str = ""
    # How the publisher is recognised again: e.g. {"publiccode_owner": "ARPA-SIM"}.
    external_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class SolutionFacts:
    """The catalogue facts of one imported record (the importer's only output)."""

    source_id: str
    source_url: str
    language: str
    texts: dict[str, Text]  # language → text; ``language`` is the original
    publisher: Publisher
    categories: list[str] = field(default_factory=list)
    problem_domains: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    licence: str = ""
    is_open_source: bool = False
    delivery_model: str = ""
    is_software: bool = True
    repository_url: str = ""
    website: str = ""
    software_version: str = ""
    trl: int | None = None
    supported_countries: list[str] = field(default_factory=list)  # ISO alpha-2
    supported_languages: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    integrations: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # facts with no catalogue field

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class CountryUnknown(RecordRejected):
    """Everything was read but the publisher's country; the importer may assume one."""

    def __init__(self, problems: list[str], facts: SolutionFacts) -> None:
        super().__init__(problems)
        self.facts = facts
