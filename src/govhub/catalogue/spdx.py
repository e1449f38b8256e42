"""A compact subset of the SPDX License List, enough to validate a catalogue entry's licence.

Source: SPDX License List 3.25 (https://spdx.org/licenses/, data licensed CC0-1.0). Each id
carries whether the licence is approved by the OSI or listed as free by the FSF: the catalogue
derives "open source" from it. Proprietary software uses the SPDX-style ``LicenseRef-``
prefix (``LicenseRef-Proprietary``), which is accepted but is not open source. Expressions
with ``OR``/``AND``/``WITH`` are accepted when every licence in them is known; the entry is
open source when at least one alternative of an ``OR`` is (each part of an ``AND`` must be).
"""

from __future__ import annotations

import re

# id: open source (OSI-approved or FSF free/libre)
LICENCES: dict[str, bool] = {
    "0BSD": True,
    "AFL-3.0": True,
    "AGPL-3.0-only": True,
    "AGPL-3.0-or-later": True,
    "Apache-1.1": True,
    "Apache-2.0": True,
    "APSL-2.0": True,
    "Artistic-2.0": True,
    "BlueOak-1.0.0": True,
    "BSD-1-Clause": True,
    "BSD-2-Clause": True,
    "BSD-2-Clause-Patent": True,
    "BSD-3-Clause": True,
    "BSD-4-Clause": True,
    "BSL-1.0": True,
    "CC-BY-4.0": True,
    "CC-BY-SA-4.0": True,
    "CC0-1.0": True,
    "CDDL-1.0": True,
    "CECILL-2.1": True,
    "CECILL-B": True,
    "CECILL-C": True,
    "EPL-1.0": True,
    "EPL-2.0": True,
    "EUPL-1.1": True,
    "EUPL-1.2": True,
    "GPL-2.0-only": True,
    "GPL-2.0-or-later": True,
    "GPL-3.0-only": True,
    "GPL-3.0-or-later": True,
    "ISC": True,
    "LGPL-2.1-only": True,
    "LGPL-2.1-or-later": True,
    "LGPL-3.0-only": True,
    "LGPL-3.0-or-later": True,
    "LiLiQ-P-1.1": True,
    "LiLiQ-R-1.1": True,
    "LiLiQ-Rplus-1.1": True,
    "MIT": True,
    "MIT-0": True,
    "MPL-1.1": True,
    "MPL-2.0": True,
    "MS-PL": True,
    "MS-RL": True,
    "MulanPSL-2.0": True,
    "NCSA": True,
    "ODbL-1.0": True,
    "OFL-1.1": True,
    "OSL-3.0": True,
    "PostgreSQL": True,
    "Python-2.0": True,
    "UPL-1.0": True,
    "Unlicense": True,
    "W3C": True,
    "Zlib": True,
    "ZPL-2.1": True,
    # Known SPDX ids that are neither OSI-approved nor FSF-free.
    "BUSL-1.1": False,
    "CC-BY-NC-4.0": False,
    "CC-BY-NC-SA-4.0": False,
    "CC-BY-ND-4.0": False,
    "Elastic-2.0": False,
    "SSPL-1.0": False,
    "PolyForm-Noncommercial-1.0.0": False,
}

_BY_LOWER = {key.lower(): key for key in LICENCES}
_LICENSE_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")
_SPLIT = re.compile(r"\s+(OR|AND)\s+")
_WITH = re.compile(r"\s+WITH\s+\S+$")


def _parts(expression: str) -> list[str]:
    return [p for p in _SPLIT.split(expression.replace("(", " ").replace(")", " ").strip()) if p]


def _single(term: str) -> str | None:
    """The canonical spelling of one licence id (a trailing ``+`` or ``WITH`` allowed)."""
    term = _WITH.sub("", term.strip()).rstrip("+")
    if _LICENSE_REF.match(term):
        return term
    return _BY_LOWER.get(term.lower())


def _canonical_term(term: str) -> str | None:
    exception = _WITH.search(term)
    base = _WITH.sub("", term.strip())
    canonical = _single(base)
    if canonical is None:
        return None
    return (
        canonical + ("+" if base.endswith("+") else "") + (exception.group(0) if exception else "")
    )


def normalise(expression: str) -> str | None:
    """The expression with each id in its canonical spelling, or None if any is unknown."""
    expression = " ".join((expression or "").split())
    if not expression:
        return None
    out: list[str] = []
    for part in _parts(expression):
        if part in ("OR", "AND"):
            out.append(part)
            continue
        canonical = _canonical_term(part)
        if canonical is None:
            return None
        out.append(canonical)
    return " ".join(out)


def is_valid(expression: str) -> bool:
    return normalise(expression) is not None


def is_open_source(expression: str) -> bool:
    """Open source when one ``OR`` alternative is entirely (every ``AND`` part) open source."""
    canonical = normalise(expression)
    if canonical is None:
        return False
    for alternative in canonical.split(" OR "):
        terms = [_single(t) for t in alternative.split(" AND ")]
        if terms and all(t is not None and LICENCES.get(t, False) for t in terms):
            return True
    return False
