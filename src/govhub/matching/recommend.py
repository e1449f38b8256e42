"""Recommendations with reasons: who could answer a challenge, what a company could win,
which needs elsewhere are alike (to pool demand) and which solutions could be reused.

Scores combine three signals, each of which also writes the reason shown to people:
shared CPV codes (class > group > division), past awards imported from TED (count, region),
and text similarity of the CPV suggester's vectors (any language). Only public items are
recommended: the candidates come from the search index, whose providers admit only
published needs, challenges and solutions, imported notices and organisations' public facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .store import current_suggester
from .training import notice_text

LIMIT = 5


@dataclass
class Recommendation:
    kind: str
    title: str
    url: str
    score: float
    reasons: list[str] = field(default_factory=list)
    public_id: str = ""


def cpv_overlap(mine: Sequence[str], theirs: Sequence[str]) -> tuple[float, str]:
    """(score, reason) of the closest pair of codes: class 1.0, group 0.6, division 0.3."""
    best, reason = 0.0, ""
    for a in mine:
        for b in theirs:
            for digits, score, text in (
                (4, 1.0, _("same CPV class %(code)s")),
                (3, 0.6, _("same CPV group %(code)s")),
                (2, 0.3, _("same CPV division %(code)s")),
            ):
                if a[:digits] == b[:digits]:
                    if score > best:
                        best, reason = score, text % {"code": a[:digits]}
                    break
    return best, reason


def _text_similarity(text: str, others: list[str]) -> list[float]:
    suggester = current_suggester()
    if suggester is None or not others or not text.strip():
        return [0.0] * len(others)
    sims = suggester.vectors([text]) @ suggester.vectors(others).T
    return [float(x) for x in sims.toarray().ravel()]


def similar_documents(
    *,
    kind: str,
    title: str,
    body: str,
    cpv_codes: Sequence[str],
    nuts: str = "",
    exclude_public_id: str = "",
    status: str = "",
    limit: int = LIMIT,
) -> list[Recommendation]:
    """Public items of ``kind`` alike to the given one, best first, each with its reasons."""
    from govhub.search.models import SearchDocument

    pool = SearchDocument.objects.filter(kind=kind).exclude(public_id=exclude_public_id)
    if status:
        pool = pool.filter(status=status)
    candidates: list[Any] = []
    if cpv_codes:
        divisions = {c[:2] for c in cpv_codes}
        candidates = list(
            pool.filter(cpv_division__in=divisions).order_by("-published", "-id")[:400]
        )
    if len(candidates) < limit:
        seen = {c.id for c in candidates}
        candidates += [d for d in pool.order_by("-published", "-id")[:400] if d.id not in seen]
    sims = _text_similarity(
        notice_text(title, body), [notice_text(d.title, d.body) for d in candidates]
    )
    out = []
    for doc, sim in zip(candidates, sims, strict=True):
        cpv_score, cpv_reason = cpv_overlap(cpv_codes, doc.cpv_codes)
        reasons = [cpv_reason] if cpv_reason else []
        score = cpv_score + sim
        if sim >= 0.2:
            reasons.append(_("similar wording"))
        if nuts and doc.nuts and doc.nuts[:4] == nuts[:4]:
            score += 0.2
            reasons.append(_("same region %(nuts)s") % {"nuts": doc.nuts[:4]})
        if score >= 0.3 and reasons:
            out.append(
                Recommendation(
                    doc.kind, doc.title, doc.url, round(score, 3), reasons, doc.public_id
                )
            )
    out.sort(key=lambda r: (-r.score, r.title))
    return out[:limit]


def companies_for(
    *, title: str, body: str, cpv_codes: Sequence[str], nuts: str = "", limit: int = LIMIT
) -> list[Recommendation]:
    """Companies likely to answer: declared capabilities, past TED awards, catalogue entries."""
    from django.urls import reverse

    from govhub.opportunities.models import ExternalAwardWinner
    from govhub.organisations.models import Organisation

    if not cpv_codes:
        suggester = current_suggester()
        if suggester is not None:
            cpv_codes = [s.code for s in suggester.suggest(notice_text(title, body), limit=3)]
    groups = {c[:3] for c in cpv_codes}
    if not groups:
        return []
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    wins = (
        ExternalAwardWinner.objects.exclude(organisation=None)
        .filter(award__notice__cpv_main__digits__regex=r"^(" + "|".join(sorted(groups)) + ")")
        .values("organisation_id", "award__notice__cpv_main__digits", "nuts_code")
        .annotate(n=Count("id"))
    )
    per_org: dict[int, dict[str, Any]] = defaultdict(lambda: {"n": 0, "group": "", "nuts": set()})
    for row in wins[:2000]:
        entry = per_org[row["organisation_id"]]
        entry["n"] += row["n"]
        entry["group"] = entry["group"] or row["award__notice__cpv_main__digits"][:3]
        if row["nuts_code"]:
            entry["nuts"].add(row["nuts_code"])
    for org_id, entry in per_org.items():
        scores[org_id] += 0.5 + 0.2 * min(entry["n"], 5)
        where = sorted(entry["nuts"])[0] if entry["nuts"] else ""
        text = ngettext(
            "same CPV group %(group)s, won %(n)d similar contract",
            "same CPV group %(group)s, won %(n)d similar contracts",
            entry["n"],
        ) % {"group": entry["group"], "n": entry["n"]}
        if where:
            text += " " + _("in %(nuts)s") % {"nuts": where}
        reasons[org_id].append(text)
        if nuts and any(n[:4] == nuts[:4] for n in entry["nuts"]):
            scores[org_id] += 0.3
    capable = Organisation.objects.filter(
        kind="company", cpv_capabilities__digits__regex=r"^(" + "|".join(sorted(groups)) + ")"
    ).values_list("id", "cpv_capabilities__digits")
    declared: set[int] = set()
    for org_id, digits in capable[:2000]:
        if org_id not in declared:
            declared.add(org_id)
            scores[org_id] += 0.8
            reasons[org_id].append(_("declares CPV capability %(code)s") % {"code": digits})
    top = sorted(scores, key=lambda i: (-scores[i], i))[: limit * 2]
    organisations = Organisation.objects.in_bulk(top)
    out = []
    for org_id in top:
        org = organisations.get(org_id)
        if org is None or org.status == "suspended" or org.kind == "authority":
            continue
        out.append(
            Recommendation(
                "organisation",
                org.name,
                reverse("organisations:detail", args=[org.public_id]),
                round(scores[org_id], 3),
                reasons[org_id],
                str(org.public_id),
            )
        )
    return out[:limit]


def opportunities_for_company(organisation: Any, limit: int = LIMIT) -> list[Recommendation]:
    """Open imported opportunities a company is likely to win, from capabilities and awards."""
    from govhub.opportunities.models import ExternalAwardWinner

    codes = [c.digits for c in organisation.cpv_capabilities.all()]
    codes += list(
        ExternalAwardWinner.objects.filter(organisation=organisation)
        .exclude(award__notice__cpv_main=None)
        .values_list("award__notice__cpv_main__digits", flat=True)[:50]
    )
    codes = list(dict.fromkeys(codes))
    if not codes and not organisation.description:
        return []
    nuts = organisation.nuts_region.code if organisation.nuts_region_id else ""
    recs = similar_documents(
        kind="opportunity",
        title=organisation.name,
        body=organisation.description,
        cpv_codes=codes,
        nuts=nuts,
        status="open",
        limit=limit * 3,
    )
    return recs[:limit]
