"""GovHub's open data described as a DCAT-AP 3.0 catalogue (rdflib).

One dataset per public table, each with its CSV and JSON bulk files as distributions (size,
checksum, media type, file type); the REST API as a data service; the OCDS packages and the
catalogue's ADMS-AP description when those apps serve them. Licence: CC BY 4.0 for all of
GovHub's own data; the TED records keep their source's terms (reuse with attribution,
© European Union), stated in the dataset's rights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from .models import BulkFile, BulkFormat
from .tables import Table, tables

DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
FREQUENCY = Namespace(EU + "frequency/")
LANGUAGE = Namespace(EU + "language/")
PLACE = Namespace(EU + "continent/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
# The SPDX individual as DCAT-AP 3 names it (https, unlike the SPDX class namespace).
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA: dict[str, str] = {BulkFormat.CSV: "text/csv", BulkFormat.JSON: "application/json"}
FILE_TYPES: dict[str, str] = {BulkFormat.CSV: "CSV", BulkFormat.JSON: "JSON"}
LANGUAGES = {"en": "ENG", "fr": "FRA", "de": "DEU", "it": "ITA", "lt": "LIT"}
TED_TABLES = {"opportunities", "awards"}
TED_RIGHTS = "TED notices © European Union, https://ted.europa.eu; reuse with attribution."


def site_url() -> str:
    return str(getattr(settings, "GOVHUB_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _abs(path: str) -> URIRef:
    return URIRef(site_url() + path)


def _reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# English labels of the EU vocabularies' concepts used here (as the EU Vocabularies list them).
LABELS = {
    "data-theme/ECON": "Economy and finance",
    "data-theme/GOVE": "Government and public sector",
    "data-theme/TECH": "Science and technology",
    "file-type/CSV": "CSV",
    "file-type/JSON": "JSON",
    "file-type/JSON_LD": "JSON-LD",
    "file-type/RDF_TURTLE": "RDF Turtle",
    "frequency/DAILY": "daily",
    "continent/EUROPE": "Europe",
    "language/ENG": "English",
    "language/FRA": "French",
    "language/DEU": "German",
    "language/ITA": "Italian",
    "language/LIT": "Lithuanian",
}
SCHEME_TITLES = {
    "data-theme": "Data theme",
    "file-type": "File type",
    "frequency": "Frequency",
    "continent": "Continent",
    "language": "Language",
    "http://purl.org/adms/publishertype/1.0": "Publisher type",
}
# The class each property's range asks for (DCAT-AP range shapes, without inference).
RANGE_CLASS = {
    "frequency": DCTERMS.Frequency,
    "language": DCTERMS.LinguisticSystem,
    "continent": DCTERMS.Location,
    "file-type": DCTERMS.MediaTypeOrExtent,
}


def _concept(graph: Graph, uri: URIRef, scheme: str) -> URIRef:
    scheme_uri = URIRef(EU + scheme if "://" not in scheme else scheme)
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.inScheme, scheme_uri))
    key = str(uri).removeprefix(EU)
    label = LABELS.get(key, key.rsplit("/", 1)[-1])
    graph.add((uri, SKOS.prefLabel, Literal(label, lang="en")))
    if scheme in RANGE_CLASS:
        graph.add((uri, RDF.type, RANGE_CLASS[scheme]))
    graph.add((scheme_uri, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme_uri, DCTERMS.title, Literal(SCHEME_TITLES.get(scheme, scheme), lang="en")))
    return uri


def _date(value: dt.datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _texts(graph: Graph, subject: URIRef | BNode, predicate: URIRef, text: object) -> None:
    """The text in every site language (the titles are translated like the pages)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            graph.add((subject, predicate, Literal(str(text), lang=code)))


def _publisher(graph: Graph) -> URIRef:
    agent = _abs("/#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal("GovHub", lang="en")))
    graph.add(
        (
            agent,
            DCTERMS.type,
            _concept(
                graph, PUBLISHER_TYPE.NationalAuthority, "http://purl.org/adms/publishertype/1.0"
            ),
        )
    )
    return agent


def _contact(graph: Graph) -> BNode:
    contact = BNode("govhub-contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal("GovHub open data")))
    email = getattr(settings, "GOVHUB_OPEN_DATA_EMAIL", "") or "opendata@govhub.localhost"
    graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + email)))
    return contact


def _licence(graph: Graph) -> URIRef:
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    graph.add((LICENCE, RDFS.label, Literal(LICENCE_NAME, lang="en")))
    return LICENCE


def _distribution(graph: Graph, bulk: BulkFile, licence: URIRef) -> URIRef:
    url = _abs(reverse("opendata-data:bulk", args=[bulk.name, bulk.format]))
    node = URIRef(f"{url}#distribution")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCTERMS.title, Literal(f"{bulk.name}.{bulk.format}")))
    graph.add(
        (node, DCTERMS.format, _concept(graph, FILE_TYPE[FILE_TYPES[bulk.format]], "file-type"))
    )
    media = URIRef(IANA + MEDIA[bulk.format])
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((node, DCAT.mediaType, media))
    graph.add((node, DCAT.byteSize, Literal(bulk.size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.issued, _date(bulk.generated_at)))
    graph.add((node, DCTERMS.modified, _date(bulk.generated_at)))
    graph.add((node, DCTERMS.license, licence))
    checksum = BNode(f"checksum-{bulk.name}-{bulk.format}")
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    graph.add((checksum, SPDX.algorithm, SHA256))
    graph.add((checksum, SPDX.checksumValue, Literal(bulk.sha256, datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
    return node


def _dataset(
    graph: Graph,
    table: Table,
    files: Iterable[BulkFile],
    *,
    publisher: URIRef,
    contact: BNode,
    licence: URIRef,
    now: dt.datetime,
) -> URIRef:
    dataset = _abs(f"/data/dataset/{table.name}")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    _texts(graph, dataset, DCTERMS.title, table.title)
    _texts(graph, dataset, DCTERMS.description, table.description)
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.contactPoint, contact))
    for theme in table.themes:
        graph.add((dataset, DCAT.theme, _concept(graph, THEME[theme], "data-theme")))
    graph.add((dataset, DCTERMS.spatial, _concept(graph, PLACE.EUROPE, "continent")))
    graph.add((dataset, DCTERMS.accrualPeriodicity, _concept(graph, FREQUENCY.DAILY, "frequency")))
    for code in LANGUAGES.values():
        graph.add((dataset, DCTERMS.language, _concept(graph, LANGUAGE[code], "language")))
    graph.add((dataset, DCAT.keyword, Literal("public procurement", lang="en")))
    graph.add((dataset, DCAT.keyword, Literal("innovation", lang="en")))
    if table.name in TED_TABLES:
        rights = BNode(f"rights-{table.name}")
        graph.add((rights, RDF.type, DCTERMS.RightsStatement))
        graph.add((rights, RDFS.label, Literal(TED_RIGHTS, lang="en")))
        graph.add((dataset, DCTERMS.rights, rights))
    modified = None
    for bulk in files:
        graph.add((dataset, DCAT.distribution, _distribution(graph, bulk, licence)))
        modified = max(modified or bulk.generated_at, bulk.generated_at)
    graph.add((dataset, DCTERMS.modified, _date(modified or now)))
    graph.add((dataset, DCAT.landingPage, _landing(graph)))
    return dataset


def _landing(graph: Graph) -> URIRef:
    page = _abs(reverse("opendata:index"))
    graph.add((page, RDF.type, FOAF.Document))
    return page


def _api_service(graph: Graph, *, publisher: URIRef, contact: BNode, licence: URIRef) -> URIRef:
    service = _abs("/api/v1/")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("GovHub REST API v1", lang="en")))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Every public table of GovHub, listed with filters, pagination and sorting, and "
                "read one by one (JSON; OpenAPI 3.1 description).",
                lang="en",
            ),
        )
    )
    graph.add((service, DCAT.endpointURL, service))
    description = _abs("/api/v1/openapi.json")
    graph.add((description, RDF.type, RDFS.Resource))
    graph.add((service, DCAT.endpointDescription, description))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.contactPoint, contact))
    graph.add((service, DCTERMS.license, licence))
    return service


def _linked_files(
    graph: Graph, *, publisher: URIRef, contact: BNode, licence: URIRef, now: dt.datetime
) -> list[URIRef]:
    """Datasets served by other apps: OCDS packages and the ADMS-AP description."""
    found: list[URIRef] = []
    extra = [
        (
            "ocds",
            "Open Contracting (OCDS) packages",
            "OCDS 1.1 release and record packages of every public challenge.",
            [
                ("ocds:bulk-releases", "application/json", "JSON"),
                ("ocds:bulk-records", "application/json", "JSON"),
            ],
            ("GOVE", "ECON"),
        ),
        (
            "adms",
            "Catalogue of solutions (ADMS-AP)",
            "The published catalogue entries described with ADMS-AP, as Joinup reads them.",
            [
                ("catalogue-data:adms-ttl", "text/turtle", "RDF_TURTLE"),
                ("catalogue-data:adms-jsonld", "application/ld+json", "JSON_LD"),
            ],
            ("GOVE", "TECH"),
        ),
    ]
    for name, title, description, links, themes in extra:
        urls = [(p, media, ft) for n, media, ft in links if (p := _reverse(n))]
        if not urls:
            continue
        dataset = _abs(f"/data/dataset/{name}")
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(title, lang="en")))
        graph.add((dataset, DCTERMS.description, Literal(description, lang="en")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((dataset, DCTERMS.modified, _date(now)))
        for theme in themes:
            graph.add((dataset, DCAT.theme, _concept(graph, THEME[theme], "data-theme")))
        graph.add((dataset, DCTERMS.spatial, _concept(graph, PLACE.EUROPE, "continent")))
        for path, media, file_type in urls:
            url = _abs(path)
            node = URIRef(f"{url}#distribution")
            graph.add((node, RDF.type, DCAT.Distribution))
            graph.add((node, DCAT.accessURL, url))
            graph.add((node, DCAT.downloadURL, url))
            graph.add((node, DCTERMS.format, _concept(graph, FILE_TYPE[file_type], "file-type")))
            media_type = URIRef(IANA + media)
            graph.add((media_type, RDF.type, DCTERMS.MediaType))
            graph.add((node, DCAT.mediaType, media_type))
            graph.add((node, DCTERMS.license, licence))
            graph.add((dataset, DCAT.distribution, node))
        found.append(dataset)
    return found


def catalogue_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "skos": SKOS,
        "spdx": SPDX,
        "vcard": VCARD,
        "dcatap": DCATAP,
        "adms": ADMS,
    }.items():
        graph.bind(prefix, namespace)
    now = timezone.now()
    catalogue = _abs("/data/dcat.ttl#catalogue")
    publisher = _publisher(graph)
    contact = _contact(graph)
    licence = _licence(graph)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("GovHub open data", lang="en")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Public procurement and innovation data of GovHub: needs, challenges, outcomes, "
                "the catalogue of reusable solutions, and opportunities imported from TED.",
                lang="en",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, FOAF.homepage, _landing(graph)))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    graph.add((catalogue, DCTERMS.spatial, _concept(graph, PLACE.EUROPE, "continent")))
    for code in LANGUAGES.values():
        graph.add((catalogue, DCTERMS.language, _concept(graph, LANGUAGE[code], "language")))
    graph.add((catalogue, DCTERMS.issued, Literal(dt.date(2026, 1, 1))))
    files: dict[str, list[BulkFile]] = {}
    for bulk in BulkFile.objects.order_by("name", "format"):
        files.setdefault(bulk.name, []).append(bulk)
    latest = max((b.generated_at for bs in files.values() for b in bs), default=now)
    graph.add((catalogue, DCTERMS.modified, _date(latest)))
    datasets = [
        _dataset(
            graph,
            table,
            files.get(table.name, []),
            publisher=publisher,
            contact=contact,
            licence=licence,
            now=latest,
        )
        for table in tables()
    ]
    datasets += _linked_files(
        graph, publisher=publisher, contact=contact, licence=licence, now=latest
    )
    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, dataset))
    service = _api_service(graph, publisher=publisher, contact=contact, licence=licence)
    graph.add((catalogue, DCAT.service, service))
    for dataset in datasets:
        graph.add((service, DCAT.servesDataset, dataset))
    return graph


def catalogue_turtle() -> str:
    return catalogue_graph().serialize(format="turtle")


def catalogue_jsonld() -> str:
    return catalogue_graph().serialize(format="json-ld", auto_compact=True)
