"""The DCAT-AP catalogue conforms to the DCAT-AP 3.0.1 SHACL shapes (zero violations)."""

from __future__ import annotations

import json

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, SH

from govhub.opendata import dcat
from govhub.opendata.services import bulk_files_regenerate

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


def conforms(graph: Graph, shapes: Graph) -> tuple[bool, str]:
    """No result of severity Violation. (The shapes' Warnings remain: GovHub is not in the
    EU's corporate-body list, which the shapes suggest for publishers.)"""
    _ok, results, text = validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    top = set(results.objects(None, SH.result))  # not the nested sh:detail results
    violations = [r for r in top if (r, SH.resultSeverity, SH.Violation) in results]
    return not violations, str(text)


def test_the_catalogue_without_files_conforms(dcat_shapes, reference_data):
    ok, report = conforms(dcat.catalogue_graph(), dcat_shapes)
    assert ok, report


def test_the_catalogue_describes_each_bulk_file_and_conforms(
    client, dcat_shapes, opendata_storage, published_need, published_challenge
):
    written = bulk_files_regenerate(only=["needs", "challenges", "organisations"])
    assert len(written) == 6
    response = client.get("/data/dcat.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    ok, report = conforms(graph, dcat_shapes)
    assert ok, report
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    urls = {str(u) for d in distributions for u in graph.objects(d, DCAT.downloadURL)}
    assert any(u.endswith("/data/bulk/needs.csv") for u in urls)
    assert any(u.endswith("/data/bulk/challenges.json") for u in urls)
    assert "sha256" in response.content.decode()
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) >= 10
    assert set(graph.subjects(RDF.type, DCAT.DataService))


def test_the_json_ld_catalogue_is_the_same_graph_and_conforms(
    client, dcat_shapes, opendata_storage, published_need
):
    bulk_files_regenerate(only=["needs"])
    response = client.get("/data/dcat.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    json.loads(response.content)
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    ok, report = conforms(graph, dcat_shapes)
    assert ok, report
    turtle = Graph().parse(data=client.get("/data/dcat.ttl").content.decode(), format="turtle")
    assert len(graph) == len(turtle)
