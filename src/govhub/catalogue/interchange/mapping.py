"""Vocabulary mappings shared by the importers and exporters.

Documented rules (also in the module docstrings of ``publiccode`` and ``dpg``):

* developmentStatus → technology readiness level (TRL, EU Horizon scale 1–9):
  concept → 2 (technology concept formulated), development → 5 (validated in a relevant
  environment), beta → 7 (prototype demonstrated in an operational environment),
  stable → 9 (actual system proven in operational use), obsolete → 9 (it was proven; the
  status is reported as a note). The export maps back by bands: 1–3 concept, 4–5
  development, 6–7 beta, 8–9 stable, so every imported value round-trips.
* publiccode categories and intendedAudience.scope → catalogue categories: the tables below;
  a value without a catalogue category is reported ("categories: 'seo' has no catalogue
  category") and kept as a keyword. An entry with no mapped category is filed under "other".
* Licences: SPDX ids through ``govhub.catalogue.spdx``; the deprecated short ids
  (``GPL-3.0``…) read as their ``-only`` form; a few further real SPDX ids are known here.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from govhub.catalogue import spdx
from govhub.catalogue.models import SolutionCategory as C

DEVELOPMENT_STATUS_TRL: dict[str, int] = {
    "concept": 2,
    "development": 5,
    "beta": 7,
    "stable": 9,
    "obsolete": 9,
}


def trl_to_development_status(trl: int | None) -> str:
    if trl is None:
        return "development"
    if trl <= 3:
        return "concept"
    if trl <= 5:
        return "development"
    if trl <= 7:
        return "beta"
    return "stable"


# publiccode.yml 0.4 category list (https://yml.publiccode.tools/categories-list.html).
PUBLICCODE_CATEGORIES: dict[str, str] = {
    "accounting": C.FINANCE,
    "agile-project-management": C.COLLABORATION,
    "applicant-tracking": C.SOCIAL,
    "application-development": C.INFRASTRUCTURE,
    "appointment-scheduling": C.CITIZEN_SERVICES,
    "backup": C.INFRASTRUCTURE,
    "billing-and-invoicing": C.FINANCE,
    "blog": C.COLLABORATION,
    "budgeting": C.FINANCE,
    "business-intelligence": C.DATA,
    "business-process-management": C.CITIZEN_SERVICES,
    "cad": C.URBAN,
    "call-center-management": C.CITIZEN_SERVICES,
    "cloud-management": C.INFRASTRUCTURE,
    "collaboration": C.COLLABORATION,
    "communications": C.COLLABORATION,
    "compliance-management": C.JUSTICE,
    "contact-management": C.CITIZEN_SERVICES,
    "content-management": C.COLLABORATION,
    "crm": C.CITIZEN_SERVICES,
    "customer-service-and-support": C.CITIZEN_SERVICES,
    "data-analytics": C.DATA,
    "data-collection": C.DATA,
    "data-visualization": C.DATA,
    "design": C.COLLABORATION,
    "digital-asset-management": C.DATA,
    "digital-citizenship": C.CITIZEN_SERVICES,
    "document-management": C.COLLABORATION,
    "donor-management": C.FINANCE,
    "e-commerce": C.FINANCE,
    "e-signature": C.IDENTITY,
    "educational-content": C.EDUCATION,
    "email-management": C.COLLABORATION,
    "email-marketing": C.COLLABORATION,
    "employee-management": C.SOCIAL,
    "enterprise-project-management": C.COLLABORATION,
    "enterprise-social-networking": C.COLLABORATION,
    "erp": C.FINANCE,
    "event-management": C.CULTURE,
    "facility-management": C.URBAN,
    "feedback-and-reviews-management": C.CITIZEN_SERVICES,
    "financial-reporting": C.FINANCE,
    "fleet-management": C.MOBILITY,
    "fund-accounting": C.FINANCE,
    "fundraising": C.FINANCE,
    "geographic-information-systems": C.URBAN,
    "grant-management": C.FINANCE,
    "graphic-design": C.COLLABORATION,
    "help-desk": C.CITIZEN_SERVICES,
    "hr": C.SOCIAL,
    "ide": C.INFRASTRUCTURE,
    "identity-management": C.IDENTITY,
    "instant-messaging": C.COLLABORATION,
    "integrated-library-system": C.CULTURE,
    "inventory-management": C.FINANCE,
    "it-asset-management": C.INFRASTRUCTURE,
    "it-development": C.INFRASTRUCTURE,
    "it-management": C.INFRASTRUCTURE,
    "it-security": C.SECURITY,
    "it-service-management": C.INFRASTRUCTURE,
    "knowledge-management": C.COLLABORATION,
    "learning-management-system": C.EDUCATION,
    "marketing": C.CITIZEN_SERVICES,
    "mind-mapping": C.COLLABORATION,
    "mobile-marketing": C.CITIZEN_SERVICES,
    "mobile-payment": C.FINANCE,
    "network-management": C.INFRASTRUCTURE,
    "office": C.COLLABORATION,
    "online-booking": C.CITIZEN_SERVICES,
    "online-community": C.COLLABORATION,
    "payment-gateway": C.FINANCE,
    "payroll": C.FINANCE,
    "predictive-analysis": C.DATA,
    "procurement": C.FINANCE,
    "productivity-suite": C.COLLABORATION,
    "project-collaboration": C.COLLABORATION,
    "project-management": C.COLLABORATION,
    "property-management": C.URBAN,
    "real-estate-management": C.URBAN,
    "remote-support": C.INFRASTRUCTURE,
    "resource-management": C.COLLABORATION,
    "sales-management": C.FINANCE,
    "seo": C.CITIZEN_SERVICES,
    "serverless": C.INFRASTRUCTURE,
    "social-media-management": C.CITIZEN_SERVICES,
    "survey": C.DATA,
    "talent-management": C.SOCIAL,
    "task-management": C.COLLABORATION,
    "taxes-management": C.FINANCE,
    "test-management": C.INFRASTRUCTURE,
    "time-management": C.COLLABORATION,
    "time-tracking": C.COLLABORATION,
    "translation": C.COLLABORATION,
    "video-conferencing": C.COLLABORATION,
    "video-editing": C.COLLABORATION,
    "visitor-management": C.CITIZEN_SERVICES,
    "voip": C.COLLABORATION,
    "warehouse-management": C.FINANCE,
    "web-collaboration": C.COLLABORATION,
    "web-conferencing": C.COLLABORATION,
    "website-builder": C.CITIZEN_SERVICES,
    "whistleblowing": C.JUSTICE,
    "workflow-management": C.CITIZEN_SERVICES,
    # Seen in real files though not in the list.
    "government": C.CITIZEN_SERVICES,
    "healthcare": C.HEALTH,
    "medical-specialties": C.HEALTH,
    "emergency-response": C.SECURITY,
    "regulations-and-directives": C.JUSTICE,
    "compliance": C.JUSTICE,
    "accessibility": C.CITIZEN_SERVICES,
    "natural-language-processing": C.DATA,
    "text-processing": C.COLLABORATION,
}

# intendedAudience.scope (publiccode.yml scope list) → catalogue category.
PUBLICCODE_SCOPES: dict[str, str] = {
    "agriculture": C.AGRICULTURE,
    "culture": C.CULTURE,
    "defence": C.SECURITY,
    "education": C.EDUCATION,
    "emergency-services": C.SECURITY,
    "employment": C.SOCIAL,
    "energy": C.ENERGY,
    "environment": C.ENVIRONMENT,
    "finance-and-economic-development": C.FINANCE,
    "foreign-affairs": C.CITIZEN_SERVICES,
    "government": C.CITIZEN_SERVICES,
    "healthcare": C.HEALTH,
    "infrastructures": C.INFRASTRUCTURE,
    "justice": C.JUSTICE,
    "local-authorities": C.CITIZEN_SERVICES,
    "manufacturing": C.OTHER,
    "research": C.EDUCATION,
    "science-and-technology": C.EDUCATION,
    "security": C.SECURITY,
    "society": C.SOCIAL,
    "sport": C.CULTURE,
    "tourism": C.CULTURE,
    "transportation": C.MOBILITY,
    "welfare": C.SOCIAL,
}

# The export's category for each catalogue category: mapping it forward gives the same
# catalogue category back (tested), so categories survive an export/import round trip.
CATEGORY_TO_PUBLICCODE: dict[str, str] = {
    C.CITIZEN_SERVICES: "digital-citizenship",
    C.HEALTH: "healthcare",
    C.MOBILITY: "fleet-management",
    C.FINANCE: "accounting",
    C.URBAN: "geographic-information-systems",
    C.DATA: "data-analytics",
    C.INFRASTRUCTURE: "it-development",
    C.IDENTITY: "identity-management",
    C.COLLABORATION: "collaboration",
    C.SOCIAL: "employee-management",
    C.JUSTICE: "compliance-management",
    C.CULTURE: "event-management",
    C.EDUCATION: "learning-management-system",
    C.SECURITY: "it-security",
}
# Categories without a publiccode category: exported as an intendedAudience scope.
CATEGORY_TO_SCOPE: dict[str, str] = {
    C.ENERGY: "energy",
    C.ENVIRONMENT: "environment",
    C.AGRICULTURE: "agriculture",
}

# Sustainable Development Goals (DPG registry) → catalogue category.
SDG_CATEGORIES: dict[int, str] = {
    1: C.SOCIAL,
    2: C.AGRICULTURE,
    3: C.HEALTH,
    4: C.EDUCATION,
    5: C.SOCIAL,
    6: C.ENVIRONMENT,
    7: C.ENERGY,
    8: C.SOCIAL,
    9: C.INFRASTRUCTURE,
    10: C.SOCIAL,
    11: C.URBAN,
    12: C.ENVIRONMENT,
    13: C.ENERGY,
    14: C.ENVIRONMENT,
    15: C.ENVIRONMENT,
    16: C.JUSTICE,
    17: C.DATA,
}

SDG_NAMES: dict[int, str] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}

# Deprecated SPDX short ids and their current reading.
DEPRECATED_SPDX: dict[str, str] = {
    "gpl-2.0": "GPL-2.0-only",
    "gpl-2.0+": "GPL-2.0-or-later",
    "gpl-3.0": "GPL-3.0-only",
    "gpl-3.0+": "GPL-3.0-or-later",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "agpl-1.0": "AGPL-1.0-only",
}
# Real SPDX ids met in the shared data that the catalogue's compact list lacks:
# id → open source (OSI-approved or FSF free).
EXTRA_SPDX: dict[str, bool] = {
    "AGPL-1.0-only": True,
    "AGPL-1.0-or-later": True,
    "BSD-3-Clause-Clear": True,
    "CAL-1.0": True,
    "CC-BY-3.0": True,
    "CC-BY-SA-3.0": True,
    "CC-BY-NC-SA-3.0": False,
    "CPL-1.0": True,
    "NPOSL-3.0": True,
    "OGL-UK-3.0": True,
    "OSL-2.0": True,
    "OSL-2.1": True,
}
_EXTRA_LOWER = {key.lower(): key for key in EXTRA_SPDX}


def licence_normalise(value: str) -> tuple[str, bool, str]:
    """(canonical SPDX expression or "", open source?, problem or "") for a licence text."""
    text = " ".join(str(value or "").split())
    if not text:
        return "", False, "missing"
    canonical = spdx.normalise(text)
    if canonical is not None:
        return canonical, spdx.is_open_source(canonical), ""
    lower = text.lower()
    if lower in DEPRECATED_SPDX:
        new = DEPRECATED_SPDX[lower]
        if spdx.is_valid(new):
            return new, spdx.is_open_source(new), ""
        return new, True, ""
    if lower in _EXTRA_LOWER:
        key = _EXTRA_LOWER[lower]
        return key, EXTRA_SPDX[key], ""
    return "", False, f"'{text}' is not an SPDX licence identifier"


_TLD_COUNTRY = {"uk": "GB", "eu": ""}
# Country-code domains used as generic ones (github.io sites, start-ups' .io/.ai/.sh).
_GENERIC_TLDS = {"io", "ai", "sh", "co", "me", "tv", "ly", "to", "gg", "cc", "ws", "fm", "so"}
_GENERIC_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "github.io"}

# Language → the country whose administrations write in it, for the last-resort rule.
LANGUAGE_COUNTRY: dict[str, str] = {
    "it": "IT",
    "nl": "NL",
    "de": "DE",
    "fr": "FR",
    "sv": "SE",
    "lt": "LT",
    "es": "ES",
    "da": "DK",
    "fi": "FI",
    "pl": "PL",
    "cs": "CZ",
    "et": "EE",
    "lv": "LV",
    "sl": "SI",
    "sk": "SK",
    "hu": "HU",
    "ro": "RO",
    "bg": "BG",
    "el": "GR",
    "pt": "PT",
    "hr": "HR",
    "no": "NO",
    "nb": "NO",
    "zh": "TW",
}


def url_country(url: str) -> str:
    """The ISO alpha-2 country of a URL's country-code top-level domain, or ""."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    if not host or any(host == h or host.endswith("." + h) for h in _GENERIC_HOSTS):
        return ""
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_TLDS:
        return ""
    return _TLD_COUNTRY.get(tld, tld.upper())


def email_country(email: str) -> str:
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    return url_country(f"https://{domain}") if domain else ""


def repository_key(url: str) -> str:
    """The identity of a repository URL: lower-case host and path, no scheme, no ``.git``."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text.lower()
    path = re.sub(r"(\.git)?/*$", "", parts.path)
    return f"{(parts.hostname or '').lower()}{path.lower()}"


def language_code(value: object) -> str:
    """``it-IT`` → ``it``; ``zh-Hant`` → ``zh``; "" when not a language tag."""
    text = str(value or "").strip().replace("_", "-")
    match = re.match(r"^([A-Za-z]{2,3})(-[A-Za-z0-9]{2,8})*$", text)
    return match.group(1).lower() if match else ""
