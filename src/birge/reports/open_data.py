"""The open data: national totals of cases opened by year and region, suppressed as the
statistics are (the same protected publication), for anyone and any cache — in the
language of the path (`/open-data/az/`), without session or cookie."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from birge.privacy.disclosure import Figure
from birge.reports.statistics import (
    ALL,
    TOTAL,
    Period,
    Publication,
    figure,
    publication_for,
    region_names,
)
from birge.web.exports import ExportHeader, ExportTable, csv_response, suppression_rule
from birge.web.replica import reads_from_replica

LANGUAGES = ("az", "ru", "en")
MAX_AGE = 3600


def totals(publication: Publication) -> tuple[list[int], list[tuple[int, list[Figure]]], list]:
    """(years, [(region, figure per year)], national figure per year): cases opened."""
    years = sorted({quarter // 10 for quarter in publication.quarters}, reverse=True)

    def per_year(region: int) -> list[Figure]:
        return [figure(publication, "status", Period(year), region, TOTAL) for year in years]

    return years, [(r, per_year(r)) for r in publication.regions], per_year(ALL)


def _totals_named() -> tuple[Publication, list[int], list, list[Figure]]:
    """The national publication's totals by year, with the regions' names."""
    publication = reads_from_replica(publication_for)()
    years, rows, national = totals(publication)
    names = region_names(publication)
    return publication, years, [(names[region], figures) for region, figures in rows], national


def _public(response: HttpResponse, language: str) -> HttpResponse:
    response["Cache-Control"] = ""
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["Content-Language"] = language
    return response


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


@require_GET
def open_data(request: HttpRequest, language: str) -> HttpResponse:
    # Rendered without the request: no context processor reads the session, no form
    # sets a CSRF cookie, so any cache may keep the page.
    with translation.override(_language(language)):
        publication, years, rows, national = _totals_named()
        html = render_to_string(
            "reports/open_data.html",
            {
                "language": language,
                "languages": LANGUAGES,
                "years": years,
                "rows": rows,
                "national": national,
                "min_cell": publication.min_cell,
                "as_of": publication.as_of,
            },
        )
    return _public(HttpResponse(html), language)


@require_GET
def open_data_csv(request: HttpRequest, language: str) -> HttpResponse:
    with translation.override(_language(language)):
        publication, years, rows, national = _totals_named()
        response = csv_response(
            filename=f"birge-open-data-{language}",
            header=ExportHeader(
                title=gettext("Cases of violence against women opened, by year and region"),
                period=f"{years[-1]}–{years[0]}" if years else "—",
                filters=[],
                suppression=suppression_rule(publication.min_cell),
                extracted_at=publication.as_of or timezone.now(),
            ),
            tables=[
                ExportTable(
                    title=gettext("Cases opened"),
                    columns=[gettext("Region"), *[str(year) for year in years]],
                    rows=[
                        *[(name, *figures) for name, figures in rows],
                        (gettext("The whole country"), *national),
                    ],
                )
            ],
        )
    return _public(response, language)
