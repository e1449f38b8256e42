"""The CPV suggester, its storage, the suggestion endpoint and the benchmark on a slice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhub.matching import bench
from govhub.matching.models import TrainedModel
from govhub.matching.store import current_suggester, forget_cached, suggester_train
from govhub.matching.suggester import CpvSuggester, Example

EXAMPLES = [
    Example("Construction work for hospital facilities", "45215140"),
    Example("Bauarbeiten für Krankenhäuser", "45215140"),
    Example("Travaux de construction d'hôpitaux", "45215140"),
    Example("Catering services", "55520000"),
    Example("Services de traiteur", "55520000"),
    Example("Verpflegungsdienste", "55520000"),
    Example("Software package and information systems", "48000000"),
]


def test_suggests_across_languages_and_levels() -> None:
    model = CpvSuggester.fit(EXAMPLES)
    top = model.suggest("construção do novo hospital central")
    assert top[0].code == "45215140"
    assert 0 < top[0].confidence <= 1
    assert model.suggest("Traiteur pour la cantine", level=2)[0].code == "55000000"
    assert model.suggest("   ") == []


def test_round_trip_keeps_the_answers() -> None:
    model = CpvSuggester.fit(EXAMPLES)
    again = CpvSuggester.from_bytes(model.to_bytes())
    assert again.suggest("Krankenhaus Neubau") == model.suggest("Krankenhaus Neubau")


@pytest.mark.django_db
def test_train_stores_the_model_for_other_processes(reference_data: None) -> None:
    row = suggester_train()
    assert TrainedModel.objects.count() == 1
    assert row.examples > 9000
    forget_cached()  # as another process would: it loads from the database
    suggester = current_suggester()
    assert suggester is not None
    assert suggester.suggest("Catering services")[0].code.startswith("555")


@pytest.mark.django_db
def test_cpv_suggest_endpoint_gives_five_labelled_codes(client, reference_data: None) -> None:
    suggester_train()
    response = client.post(reverse("matching:cpv-suggest"), {"text": "Catering services"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-cpv-code=") == 5
    assert "55520000-1" in body
    assert "confidence" in body


@pytest.mark.django_db
def test_cpv_suggest_endpoint_without_a_model(client) -> None:
    response = client.post(reverse("matching:cpv-suggest"), {"text": "anything"})
    assert response.status_code == 200
    assert "govhub matching train" in response.content.decode()


@pytest.mark.shared_data
@pytest.mark.django_db
def test_benchmark_on_a_slice_has_the_documented_shape(ted_slice, reference_data) -> None:
    train, test = bench.temporal_split(ted_slice, 0.2)
    result = bench.run(train, test, log=lambda _: None)
    assert set(result["cpv"]) >= {"division", "group", "class", "full", "latency_ms"}
    for level in ("division", "group", "class", "full"):
        ours = result["cpv"][level]
        assert 0 <= ours["top1"] <= ours["top5"] <= 1
    assert result["cpv"]["latency_ms"]["p50"] <= result["cpv"]["latency_ms"]["p95"]
    for values in result["crosslingual"].values():
        assert 0 <= values["ndcg10"] <= 1
        assert values["n"] > 0
    assert "n" in result["winner"]
    assert set(result["baselines"]) == {"majority", "tfidf"}
    # Better than always answering the most frequent division.
    assert (
        result["cpv"]["division"]["top5"]
        >= result["baselines"]["majority"]["cpv"]["division"]["top5"]
    )
    assert "CPV division" in bench.table(result)
