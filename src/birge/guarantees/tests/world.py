"""Every route of the URL resolver, and one world in which each of its parameters names a
real object, so that a route answers with something to show rather than a 404."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
# Routes that are not Birge's pages or API (Django's static and the API's documentation).
SKIPPED = ("api/v1/docs/", "api/v1/schema/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def all_routes() -> list[str]:
    """Every route Birge answers, as "cases/<id:case_id>/print/", in a stable order."""
    return sorted({r for r in _walk(get_resolver().url_patterns) if not r.startswith(SKIPPED)})


def parameters(route: str) -> list[str]:
    return PARAMETER.findall(route)


def fill(route: str, ids: dict[str, int]) -> str:
    return "/" + PARAMETER.sub(lambda m: str(ids[m.group(1)]), route)
