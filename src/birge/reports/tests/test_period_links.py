"""The statistics page leads to the promises kept and the conference figures over the
period chosen (its first and last day in the link), and those pages count over it."""

import re
from html import unescape

import pytest

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.conferences.models import ConferenceSeries
from birge.reports.statistics import Period


def a_series(region, chair, code, *members) -> ConferenceSeries:
    series = ConferenceSeries.objects.create(
        code=code,
        name_az=code,
        name_ru=code,
        name_en=f"Conference {code}",
        region=region,
        chair=chair,
        confidentiality_az="-",
        confidentiality_ru="-",
        confidentiality_en="-",
        legal_basis="-",
    )
    series.members.set(members)
    return series


@pytest.fixture
def two_series(regions, police):
    chair = UserFactory(
        username="chair", agency=AgencyFactory(code="scfwca"), roles=["conference_chair"]
    )
    return (
        a_series(regions[0], chair, "first", police),
        a_series(regions[1], chair, "second"),
    )


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+\?since=[^"]+)"', html)]


def test_a_period_has_its_first_and_last_day():
    assert (Period(2025).first_day.isoformat(), Period(2025).last_day.isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert [
        (Period(2025, q).first_day.day, Period(2025, q).last_day.isoformat()) for q in (1, 2, 3, 4)
    ] == [
        (1, "2025-03-31"),
        (1, "2025-06-30"),
        (1, "2025-09-30"),
        (1, "2025-12-31"),
    ]


def test_the_analyst_is_led_to_the_period_s_promises_kept_and_every_conference(
    facts,
    two_series,
    browse,
    analyst,
):
    client = browse(analyst)
    html = client.get("/reports/?period=2025-Q2").content.decode()
    found = links(html)
    days = "since=2025-04-01&until=2025-06-30"
    assert f"/referrals/compliance/?{days}" in found
    for series in two_series:
        assert f"/conferences/series/{series.pk}/figures/?{days}" in found
        assert f"Conference figures: {series.name_en}" in html
    # The pages behind the links count over that period.
    for href in found:
        page = client.get(href)
        assert page.status_code == 200
        assert 'value="2025-04-01"' in page.content.decode()
        assert 'value="2025-06-30"' in page.content.decode()


def test_a_region_chosen_keeps_its_own_conference(
    facts,
    two_series,
    regions,
    browse,
    analyst,
):
    html = browse(analyst).get(f"/reports/?period=2025&region={regions[1].pk}").content.decode()
    found = links(html)
    assert (
        f"/conferences/series/{two_series[1].pk}/figures/?since=2025-01-01&until=2025-12-31"
        in found
    )
    assert not any(f"/series/{two_series[0].pk}/" in href for href in found)


def test_an_agency_lead_is_led_only_to_the_conferences_her_agency_sits_in(
    facts,
    two_series,
    browse,
    lead,
):
    client = browse(lead)
    found = links(client.get("/reports/?period=2025").content.decode())
    assert any(f"/series/{two_series[0].pk}/figures/" in href for href in found)
    assert not any(f"/series/{two_series[1].pk}/" in href for href in found)
    assert all(client.get(href).status_code == 200 for href in found)
