"""A series' figures when the read replica does not answer: read from the primary, no
error (birge.web.replica)."""

from django.urls import reverse

from birge.web import replica


def test_the_figures_answer_with_an_unreachable_replica(replica_at, browse, chair, series):
    replica_at("closed")

    response = browse(chair).get(reverse("conferences:figures", args=[series.pk]))

    assert response.status_code == 200
    assert response.context["figures"].meetings_held == 0
    assert replica.verdict().reason == "unreachable"


def test_the_figures_api_answers_with_an_unreachable_replica(replica_at, api, chair, series):
    replica_at("closed")

    response = api(chair).get(reverse("api-conference-series-figures", args=[series.pk]))

    assert response.status_code == 200
    assert replica.verdict().reason == "unreachable"
