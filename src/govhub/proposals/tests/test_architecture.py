"""The seal is architectural: only the proposals selectors and services touch content.

These tests read the code base. If one fails, something outside ``proposals/selectors/`` and
``proposals/services/`` reads proposal content (answers' text, attachments' files, the
declared price, receipts' snapshots) directly — for a page, an export, a search index, the
API or the admin — and so bypasses the seal and its audit trail. Read it through
``govhub.proposals.selectors`` instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from govhub.proposals.models import Proposal

PACKAGE = Path(__file__).resolve().parents[2]  # src/govhub
PROPOSALS = PACKAGE / "proposals"

# Where content may be touched: the seal itself, the writes, the schema.
ALLOWED = (
    PROPOSALS / "selectors",
    PROPOSALS / "services",
    PROPOSALS / "models.py",
    PROPOSALS / "storage.py",
    PROPOSALS / "migrations",
)

PYTHON_RULES = {
    "a content model (ProposalAnswer, ProposalAttachment, ProposalReceipt)": re.compile(
        r"\bProposal(Answer|Attachment|Receipt)\b"
    ),
    "the declared price": re.compile(r"\.declared_price\b|\bdeclared_price__"),
    "a lookup through a proposal's content relations": re.compile(
        r"\b(answers|attachments|receipts)__\w+"
    ),
    "a proposal's content relation": re.compile(r"\.(answers|attachments|receipts)\b"),
    "an ORM call naming a content relation": re.compile(
        r"(prefetch_related|select_related|values|values_list|only|defer|Prefetch)\("
        r"[^)]*[\"'](answers|attachments|receipts|declared_price)\b"
    ),
    "a content table in raw SQL": re.compile(r"proposals_proposal(answer|attachment|receipt)"),
    "a receipt's snapshot": re.compile(r"\.snapshot\b|[\"']snapshot[\"']"),
    "the private proposal storage": re.compile(r"\b(PROPOSAL_STORAGE|proposal_storage)\b"),
}

TEMPLATE_RULES = {
    "the declared price": re.compile(r"\.declared_price\b"),
    "a proposal's content relation": re.compile(r"\.(answers|attachments|receipts)\b"),
    "a receipt's snapshot": re.compile(r"\.snapshot\b"),
    "an attachment's file": re.compile(r"\.file\.(url|path|name|open|read)\b"),
}


def _allowed(path: Path) -> bool:
    return any(path == allowed or allowed in path.parents for allowed in ALLOWED)


def _sources(pattern: str) -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob(pattern)
        if "tests" not in path.relative_to(PACKAGE).parts
        and "node_modules" not in path.parts
        and not _allowed(path)
    ]


# "answers" and "attachments" are common words: other domains have their own (an idea's
# attachments, an assessment's answers). The rules on these relation names apply to files
# that deal with proposals at all; the rules naming proposal models, the price, the tables
# and the storage apply everywhere.
RELATION_RULES = {
    "a lookup through a proposal's content relations",
    "a proposal's content relation",
    "an ORM call naming a content relation",
}
MENTIONS_PROPOSALS = re.compile(r"proposal", re.IGNORECASE)


def _violations(paths: list[Path], rules: dict[str, re.Pattern[str]]) -> list[str]:
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        applicable = {
            what: rule
            for what, rule in rules.items()
            if what not in RELATION_RULES or MENTIONS_PROPOSALS.search(text)
        }
        name = path.relative_to(PACKAGE) if PACKAGE in path.parents else path
        for number, line in enumerate(text.splitlines(), 1):
            for what, rule in applicable.items():
                if rule.search(line):
                    found.append(f"{name}:{number}: {what}: {line.strip()}")
    return found


def test_the_scan_sees_the_code_base():
    python = _sources("*.py")
    assert PACKAGE / "proposals" / "views.py" in python
    assert not any(_allowed(p) for p in python)
    assert len(python) > 50


def test_no_python_outside_the_seal_touches_proposal_content():
    assert _violations(_sources("*.py"), PYTHON_RULES) == []


def test_no_template_touches_proposal_content():
    assert _violations(_sources("*.html"), TEMPLATE_RULES) == []


@pytest.mark.parametrize(
    "line",
    [
        "ProposalAnswer.objects.filter(proposal__phase=phase)",
        "rows = Proposal.objects.values('answers__text')",
        "qs.prefetch_related('attachments')",
        "for a in proposal.answers.all():",
        "price = proposal.declared_price",
        "Proposal.objects.values_list('declared_price', flat=True)",
        "Proposal.objects.filter(declared_price__gt=0)",
        "cursor.execute('SELECT text FROM proposals_proposalanswer')",
        "data = receipt.snapshot",
        "PROPOSAL_STORAGE.open(name)",
    ],
)
def test_the_rules_catch_what_they_are_meant_to(line):
    assert any(rule.search(line) for rule in PYTHON_RULES.values())


@pytest.mark.parametrize(
    "line",
    [
        "{{ proposal.declared_price }}",
        "{% for a in proposal.answers.all %}",
        "{{ receipt.snapshot }}",
        "{{ attachment.file.url }}",
    ],
)
def test_the_template_rules_catch_what_they_are_meant_to(line):
    assert any(rule.search(line) for rule in TEMPLATE_RULES.values())


def test_relation_names_count_only_where_proposals_are_dealt_with(tmp_path):
    ideas = tmp_path / "ideas.py"
    ideas.write_text("for file in idea.attachments.all():\n    pass\n")
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from govhub.proposals.models import Proposal\nx = p.attachments.all()\n")
    price = tmp_path / "price.py"
    price.write_text("total = thing.declared_price\n")

    assert _violations([ideas], PYTHON_RULES) == []
    assert len(_violations([leaky], PYTHON_RULES)) == 1
    assert len(_violations([price], PYTHON_RULES)) == 1


# --- The admin -----------------------------------------------------------------------------


def test_the_admin_registers_no_proposal_content():
    content = {"proposalanswer", "proposalattachment", "proposalreceipt"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "proposals":
            continue
        assert model._meta.model_name not in content
        if model is Proposal:
            # If it ever is registered, status and timestamps only, read-only.
            shown = set(model_admin.get_fields(RequestFactory().get("/"))) | set(
                model_admin.list_display
            )
            assert shown <= {"status", "created_at", "updated_at", "submitted_at", "withdrawn_at"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["proposal", "proposalanswer", "proposalattachment", "proposalreceipt"]
)
def test_a_superuser_finds_no_proposal_content_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    assert client.get(f"/admin/proposals/{model}/").status_code == 404
    assert client.get("/admin/proposals/").status_code == 404


# --- Every endpoint is known (a new one, e.g. an API, must join the seal tests) ------------

KNOWN_ENDPOINTS = {
    "proposals:list",
    "proposals:edit",
    "proposals:phase",
    "proposals:open",
    "proposals:detail",
    "proposals:withdraw",
    "proposals:history",
    "proposals:receipt",
    "proposals:receipt_json",
    "proposals:attachment",
}


def _endpoints(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _endpoints(entry, namespace)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if module.startswith("govhub.proposals"):
                names.add(f"{prefix}{entry.name}")
    return names


def test_every_proposals_endpoint_is_one_the_seal_tests_know():
    # There is no API yet: when one is added, its endpoints appear here and must be added
    # to KNOWN_ENDPOINTS and to the Annex IV tests (test_annex_iv.py) for each guarantee.
    assert _endpoints(get_resolver()) == KNOWN_ENDPOINTS
    assert reverse("proposals:list") == "/proposals/"
