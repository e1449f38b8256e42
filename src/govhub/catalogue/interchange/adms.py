"""ADMS-AP 2.0 (the profile Joinup federates) RDF export of the published catalogue entries.

Each published entry is an Asset (``dcat:Dataset``, as ADMS-AP types it) with, in every
language it has, ``dct:title`` and ``dct:description``; ``dct:publisher`` (a ``foaf:Agent``
with ``foaf:name`` and an ADMS publisher type when the kind says one); ``dcat:contactPoint``
(a ``vcard:Kind``: the entry's contact, else the publisher's email, else the catalogue's own
contact, since ADMS-AP makes a contact point with an email mandatory); ``dct:type`` (an EIRA
building block: application component for software, interoperability specification
otherwise); ``dcat:keyword``; ``dcat:theme`` (the catalogue categories, a concept scheme of
their own); ``dct:spatial`` (EU Publications Office country authority URIs); ``dct:language``
(its language authority URIs); ``adms:status`` (ADMS status: Completed from TRL 8, else
UnderDevelopment); ``dcat:landingPage``; ``owl:versionInfo``; ``dct:identifier``;
``dct:issued`` / ``dct:modified`` (``xsd:dateTime``); and, when it has a licence, one
``dcat:Distribution`` (the source repository or website) with its ``dct:license``
(SPDX licence URI, a ``dct:LicenseDocument`` with its ADMS licence type). The catalogue
itself is an Asset Repository (``dcat:Catalog``) listing them. ``shapes/adms-ap.ttl`` holds
the SHACL shapes the tests validate this export against.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS

from govhub.catalogue.models import Solution, SolutionCategory, SolutionStatus
from govhub.organisations.models import Organisation

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS_STATUS = Namespace("http://purl.org/adms/status/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
EIRA = Namespace("http://data.europa.eu/dr8/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
SPDX_LICENCE = Namespace("http://spdx.org/licenses/")

CONTEXT = {
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}

PUBLISHER_TYPES = {
    "company": "Company",
    "research": "Academia-ScientificOrganisation",
    "civil_society": "NonProfitOrganisation",
}

# ISO 639-1 → the Publications Office language authority code (ISO 639-3 style).
LANGUAGES = {
    "bg": "BUL",
    "ca": "CAT",
    "cs": "CES",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "eu": "EUS",
    "fi": "FIN",
    "fr": "FRA",
    "ga": "GLE",
    "gl": "GLG",
    "hr": "HRV",
    "hu": "HUN",
    "is": "ISL",
    "it": "ITA",
    "lb": "LTZ",
    "lt": "LIT",
    "lv": "LAV",
    "mt": "MLT",
    "nl": "NLD",
    "no": "NOR",
    "nb": "NOB",
    "pl": "POL",
    "pt": "POR",
    "ro": "RON",
    "ru": "RUS",
    "sk": "SLK",
    "sl": "SLV",
    "sq": "SQI",
    "sr": "SRP",
    "sv": "SWE",
    "tr": "TUR",
    "uk": "UKR",
    "zh": "ZHO",
}


def site_url() -> str:
    return str(getattr(settings, "GOVHUB_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def catalogue_contact() -> tuple[str, str]:
    """(name, email) of whoever answers for the catalogue itself."""
    email = (
        getattr(settings, "GOVHUB_CONTACT_EMAIL", "")
        or parseaddr(str(getattr(settings, "DEFAULT_FROM_EMAIL", "")))[1]
    )
    return "GovHub catalogue", email or "catalogue@govhub.localhost"


def published_solutions() -> QuerySet[Solution]:
    return (
        Solution.objects.filter(status=SolutionStatus.PUBLISHED)
        .select_related("provider")
        .prefetch_related("translations", "categories", "supported_countries")
        .order_by("name", "pk")
    )


def entry_uri(solution: Solution) -> URIRef:
    return URIRef(site_url() + reverse("catalogue:detail", args=[solution.public_id]))


def organisation_uri(organisation: Organisation) -> URIRef:
    return URIRef(site_url() + reverse("organisations:detail", args=[organisation.public_id]))


def catalogue_uri() -> URIRef:
    return URIRef(site_url() + reverse("catalogue:list"))


def theme_uri(code: str) -> URIRef:
    return URIRef(f"{site_url()}/data/catalogue/themes#{code}")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, Namespace(namespace))
    return graph


def _datetime(value: dt.datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _licence_type(licence_id: str) -> URIRef:
    upper = licence_id.upper()
    if upper in ("CC0-1.0", "UNLICENSE"):
        return ADMS_LICENCE_TYPE["PublicDomain"]
    if "-NC" in upper:
        return ADMS_LICENCE_TYPE["NonCommercialUseOnly"]
    if re.match(r"^(A?GPL|LGPL|EUPL|MPL|CC-BY-SA|CECILL|OSL|EPL|CDDL|MS-RL|ODBL)", upper):
        return ADMS_LICENCE_TYPE["ViralEffect-ShareAlike"]
    return ADMS_LICENCE_TYPE["Attribution"]


def _add_publisher(graph: Graph, organisation: Organisation) -> URIRef:
    node = organisation_uri(organisation)
    if (node, RDF.type, FOAF.Agent) in graph:
        return node
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(organisation.name)))
    kind = PUBLISHER_TYPES.get(organisation.kind)
    if kind:
        concept = ADMS_PUBLISHER_TYPE[kind]
        graph.add((node, DCTERMS.type, concept))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, URIRef("http://purl.org/adms/publishertype/1.0")))
    return node


def _add_theme(graph: Graph, code: str) -> URIRef:
    node = theme_uri(code)
    if (node, RDF.type, SKOS.Concept) not in graph:
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(str(SolutionCategory(code).label), lang="en")))
        graph.add((node, SKOS.inScheme, URIRef(f"{site_url()}/data/catalogue/themes")))
    return node


def add_solution(graph: Graph, solution: Solution) -> URIRef:
    """The entry's Asset and the nodes it points to."""
    asset = entry_uri(solution)
    graph.add((asset, RDF.type, DCAT.Dataset))
    graph.add((asset, DCTERMS.identifier, Literal(str(solution.public_id))))
    texts = [(solution.language, solution.name, solution.summary, solution.description)]
    texts += [(t.language, t.name, t.summary, t.description) for t in solution.translations.all()]
    for language, name, summary, description in texts:
        graph.add((asset, DCTERMS.title, Literal(name, lang=language)))
        graph.add((asset, DCTERMS.description, Literal(description or summary, lang=language)))

    graph.add((asset, DCTERMS.publisher, _add_publisher(graph, solution.provider)))

    contact = URIRef(f"{asset}#contact")
    name, email = solution.contact_name, solution.contact_email
    if not email:
        name, email = solution.provider.name, solution.provider.email
    if not email:
        name, email = catalogue_contact()
    graph.add((asset, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(name or solution.provider.name)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    kind = EIRA["ApplicationComponent" if solution.is_software else "InteroperabilitySpecification"]
    graph.add((asset, DCTERMS.type, kind))
    graph.add((kind, RDF.type, SKOS.Concept))
    graph.add((kind, SKOS.inScheme, URIRef("http://data.europa.eu/dr8")))
    label = "Application component" if solution.is_software else "Interoperability specification"
    graph.add((kind, SKOS.prefLabel, Literal(label, lang="en")))

    keywords = list((solution.source_data or {}).get("keywords") or [])
    for category in solution.categories.all():
        graph.add((asset, DCAT.theme, _add_theme(graph, category.category)))
        keywords.append(str(SolutionCategory(category.category).label))
    for keyword in dict.fromkeys(k for k in keywords if isinstance(k, str) and k.strip()):
        graph.add((asset, DCAT.keyword, Literal(keyword.strip())))

    for country in solution.supported_countries.all():
        node = EU_COUNTRY[country.code]
        graph.add((asset, DCTERMS.spatial, node))
        graph.add((node, RDF.type, DCTERMS.Location))
    languages = [solution.language, *solution.supported_languages]
    for code in dict.fromkeys(str(c).lower() for c in languages):
        if code in LANGUAGES:
            node = EU_LANGUAGE[LANGUAGES[code]]
            graph.add((asset, DCTERMS.language, node))
            graph.add((node, RDF.type, DCTERMS.LinguisticSystem))

    mature = solution.trl is not None and solution.trl >= 8
    status = ADMS_STATUS["Completed" if mature else "UnderDevelopment"]
    graph.add((asset, ADMS.status, status))
    graph.add((status, RDF.type, SKOS.Concept))
    graph.add((status, SKOS.inScheme, URIRef("http://purl.org/adms/status/1.0")))

    landing = URIRef(solution.website) if solution.website else asset
    graph.add((asset, DCAT.landingPage, landing))
    graph.add((landing, RDF.type, FOAF.Document))
    if solution.software_version:
        graph.add((asset, OWL.versionInfo, Literal(solution.software_version)))
    if solution.published_at:
        graph.add((asset, DCTERMS.issued, _datetime(solution.published_at)))
    graph.add((asset, DCTERMS.modified, _datetime(solution.updated_at)))

    licence = (solution.licence or "").split(" OR ")[0].split(" AND ")[0].strip().rstrip("+")
    access = solution.repository_url or solution.website
    if licence and access:
        distribution = URIRef(f"{asset}#distribution")
        graph.add((asset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.accessURL, URIRef(access)))
        title = "Source code" if solution.repository_url else "Website"
        graph.add((distribution, DCTERMS.title, Literal(title, lang="en")))
        licence_node = SPDX_LICENCE[licence.split(" WITH ")[0]]
        graph.add((distribution, DCTERMS.license, licence_node))
        graph.add((licence_node, RDF.type, DCTERMS.LicenseDocument))
        licence_type = _licence_type(licence)
        graph.add((licence_node, DCTERMS.type, licence_type))
        graph.add((licence_type, RDF.type, SKOS.Concept))
        graph.add((licence_node, SKOS.prefLabel, Literal(licence)))
    return asset


def add_catalogue(graph: Graph, assets: Iterable[URIRef]) -> URIRef:
    catalogue = catalogue_uri()
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("GovHub solutions catalogue", lang="en")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Reusable digital solutions for European public administrations, "
                "with their adoptions and assessments.",
                lang="en",
            ),
        )
    )
    operator = URIRef(f"{site_url()}/#operator")
    graph.add((operator, RDF.type, FOAF.Agent))
    graph.add((operator, FOAF.name, Literal("GovHub")))
    graph.add((catalogue, DCTERMS.publisher, operator))
    homepage = URIRef(site_url() + "/")
    graph.add((catalogue, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    scheme = URIRef(f"{site_url()}/data/catalogue/themes")
    graph.add((catalogue, DCAT.themeTaxonomy, scheme))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal("GovHub catalogue categories", lang="en")))
    name, email = catalogue_contact()
    contact = URIRef(f"{catalogue}#contact")
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(name)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    for asset in assets:
        graph.add((catalogue, DCAT.dataset, asset))
    return catalogue


def catalogue_graph(solutions: Iterable[Solution] | None = None) -> Graph:
    """The catalogue and every published entry (or the ``solutions`` given)."""
    graph = new_graph()
    items = published_solutions() if solutions is None else solutions
    assets = [add_solution(graph, s) for s in items]
    add_catalogue(graph, assets)
    return graph


def solution_graph(solution: Solution) -> Graph:
    graph = new_graph()
    add_solution(graph, solution)
    return graph


def serialise(graph: Graph, fmt: str) -> str:
    """``turtle`` or ``json-ld`` (compacted with the ADMS-AP prefixes)."""
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=CONTEXT, indent=2)
    return graph.serialize(format="turtle")
