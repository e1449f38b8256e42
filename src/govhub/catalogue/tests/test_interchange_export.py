"""ADMS-AP export validated with SHACL, publiccode.yml round trip, the data views."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef, namespace

from govhub.catalogue.interchange import adms
from govhub.catalogue.interchange.importer import (
    CatalogueImporter,
    dpg_import,
    publiccode_import,
)
from govhub.catalogue.interchange.publiccode import parse_publiccode
from govhub.catalogue.interchange.publiccode_export import publiccode_yaml
from govhub.catalogue.models import Solution, SolutionStatus

from .test_interchange_publiccode import GOOD

SHAPES = Path(adms.__file__).parent / "shapes" / "adms-ap.ttl"


@pytest.fixture
def shapes() -> Graph:
    return Graph().parse(SHAPES)


@pytest.fixture
def imported(reference_data, tmp_path) -> Solution:
    (tmp_path / "good.yml").write_text(GOOD)
    bare = GOOD.replace("segnalazioni.git", "bare").replace("name: Segnalazioni", "name: Bare")
    bare = bare.replace("  license: agpl-3.0-or-later\n", "").replace(
        "  contacts:\n    - name: Ufficio SIT\n      email: sit@comune.esempio.it\n", ""
    )
    (tmp_path / "bare.yml").write_text(bare)
    publiccode_import(paths=[tmp_path])
    return Solution.objects.get(name="Segnalazioni")


def test_catalogue_export_conforms_to_adms_ap(imported, shapes):
    graph = adms.catalogue_graph()
    conforms, _, text = validate(graph, shacl_graph=shapes)
    assert conforms, text
    asset = adms.entry_uri(imported)
    assert (asset, RDF.type, namespace.DCAT.Dataset) in graph
    assert (asset, namespace.DCTERMS.title, Literal("Reports", lang="en")) in graph
    assert (asset, namespace.DCTERMS.title, Literal("Segnalazioni", lang="it")) in graph
    assert len(list(graph.subjects(RDF.type, namespace.DCAT.Dataset))) == 2
    assert len(list(graph.objects(adms.catalogue_uri(), namespace.DCAT.dataset))) == 2
    licence = URIRef("http://spdx.org/licenses/AGPL-3.0-or-later")
    assert (None, namespace.DCTERMS.license, licence) in graph
    spatial = URIRef("http://publications.europa.eu/resource/authority/country/ITA")
    assert (asset, namespace.DCTERMS.spatial, spatial) in graph


def test_json_ld_parses_to_the_same_graph(imported):
    graph = adms.catalogue_graph()
    again = Graph().parse(data=adms.serialise(graph, "json-ld"), format="json-ld")
    assert len(again) == len(graph)


def test_broken_graph_does_not_conform(imported, shapes):
    graph = adms.catalogue_graph()
    asset = adms.entry_uri(imported)
    graph.remove((asset, namespace.DCTERMS.publisher, None))
    graph.remove((asset, namespace.DCTERMS.title, None))
    graph.add((asset, namespace.DCTERMS.issued, Literal("yesterday")))
    conforms, report, _ = validate(graph, shacl_graph=shapes)
    assert not conforms
    SH = "http://www.w3.org/ns/shacl#"
    paths = {str(p) for p in report.objects(None, URIRef(SH + "resultPath"))}
    assert {
        str(namespace.DCTERMS.publisher),
        str(namespace.DCTERMS.title),
        str(namespace.DCTERMS.issued),
    } <= paths


def test_shapes_cover_every_mandatory_asset_property_of_the_schema(shapes):
    schema = Path(settings.SHARED_DATA_DIR) / "adms-ap" / "adms-ap_v2.0.2_rdf_schema.ttl"
    if not schema.is_file():
        pytest.skip("ADMS-AP schema not in shared data")
    text = schema.read_text()
    mandatory = set()
    for block in re.split(r"\n[ \t]*\n", text):
        match = re.search(r"^(\w+:\w+)\s*\n\s*a rdf:Property", block.strip(), re.M)
        if match and '"Asset - ' in block and "Mandatory Property" in block:
            mandatory.add(match.group(1))
    assert mandatory == {
        "dcat:contactPoint",
        "dct:description",
        "dct:publisher",
        "dct:title",
        "dct:type",
    }
    prefixes = {"dcat": str(namespace.DCAT), "dct": str(namespace.DCTERMS)}
    SH = "http://www.w3.org/ns/shacl#"
    asset_shape = URIRef("urn:govhub:shapes:adms-ap#AssetShape")
    required = set()
    for prop in shapes.objects(asset_shape, URIRef(SH + "property")):
        if (prop, URIRef(SH + "minCount"), None) in shapes:
            required.add(str(shapes.value(prop, URIRef(SH + "path"))))
    for name in mandatory:
        prefix, local = name.split(":")
        assert prefixes[prefix] + local in required


def test_publiccode_round_trip(imported):
    text = publiccode_yaml(imported)
    document = yaml.safe_load(text)
    assert document["publiccodeYmlVersion"] == "0.4"
    importer = CatalogueImporter("publiccode", parse_publiccode)
    first, _ = parse_publiccode(GOOD.encode(), file_name="good.yml")
    again, _problems = parse_publiccode(text.encode(), file_name="export.yml")
    keep = ("features",)
    for field in (
        "source_id",
        "language",
        "texts",
        "publisher",
        "licence",
        "trl",
        "supported_countries",
        "supported_languages",
        "standards",
        "integrations",
        "contact_name",
        "contact_email",
        "website",
        "software_version",
        "problem_domains",
        "is_open_source",
    ):
        assert getattr(again, field) == getattr(first, field), field
    assert set(again.categories) == set(first.categories)
    assert again.extra["features"] == first.extra["features"]
    assert keep
    # Importing the export over the entry changes none of its facts.
    assert importer.import_bytes(text.encode(), file_name="good.yml").outcome in (
        "updated",
        "unchanged",
    )
    solution = Solution.objects.get(pk=imported.pk)
    assert (solution.name, solution.licence, solution.trl) == (
        imported.name,
        imported.licence,
        imported.trl,
    )


def test_views(client, imported):
    response = client.get("/data/catalogue/adms.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    Graph().parse(data=response.content.decode(), format="turtle")
    response = client.get("/data/catalogue/adms.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    one = client.get(f"/data/catalogue/{imported.public_id}/adms.ttl")
    graph = Graph().parse(data=one.content.decode(), format="turtle")
    assert len(list(graph.subjects(RDF.type, namespace.DCAT.Dataset))) == 1
    assert client.get(f"/data/catalogue/{imported.public_id}/adms.jsonld").status_code == 200
    yml = client.get(f"/data/catalogue/{imported.public_id}/publiccode.yml")
    assert yaml.safe_load(yml.content)["name"] == "Segnalazioni"


def test_unpublished_entries_are_not_exported(client, imported):
    Solution.objects.filter(pk=imported.pk).update(status=SolutionStatus.NEEDS_UPDATE)
    for suffix in ("adms.ttl", "adms.jsonld", "publiccode.yml"):
        assert client.get(f"/data/catalogue/{imported.public_id}/{suffix}").status_code == 404
    graph = Graph().parse(data=client.get("/data/catalogue/adms.ttl").content.decode())
    assert len(list(graph.subjects(RDF.type, namespace.DCAT.Dataset))) == 1


def test_non_software_has_no_publiccode(client, imported):
    Solution.objects.filter(pk=imported.pk).update(is_software=False)
    assert client.get(f"/data/catalogue/{imported.public_id}/publiccode.yml").status_code == 404


@pytest.mark.shared_data
def test_shared_data_export_conforms(reference_data, shapes):
    directory = Path(settings.SHARED_DATA_DIR) / "publiccode"
    if not directory.is_dir():
        pytest.skip("publiccode.yml files not in shared data")
    publiccode_import(paths=[directory])
    dpg_import(paths=[Path(settings.SHARED_DATA_DIR) / "digital-public-goods"])
    assert Solution.objects.filter(source="dpg").exists()
    conforms, _, text = validate(adms.catalogue_graph(), shacl_graph=shapes)
    assert conforms, text[:3000]


def test_catalogue_export_queries_do_not_grow_with_entries(
    client, imported, tmp_path, django_assert_max_num_queries
):
    client.get("/data/catalogue/adms.ttl")  # URL resolvers and caches warmed up
    for index in range(5):
        text = GOOD.replace("segnalazioni.git", f"copy-{index}").replace(
            "name: Segnalazioni", f"name: Copy {index}"
        )
        (tmp_path / f"copy-{index}.yml").write_text(text)
    publiccode_import(paths=[tmp_path])
    assert Solution.objects.count() == 7
    with django_assert_max_num_queries(8):
        response = client.get("/data/catalogue/adms.ttl")
    assert response.status_code == 200
