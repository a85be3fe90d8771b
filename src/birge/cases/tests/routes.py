"""Every route of the `cases` namespace, read from the URL resolver, so that a route added
later is covered by the "outsiders get 404" tests without anyone remembering to add it."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def case_routes() -> list[str]:
    """Routes of the `cases` namespace as "cases/<id:case_id>/print/"."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "cases":
            return list(_walk(entry.url_patterns, str(entry.pattern)))
    raise AssertionError("no `cases` namespace in the URL configuration")


def fill(route: str, values: dict[str, int]) -> str:
    """The route as a URL, its parameters filled from `values` (unknown ones fail loudly)."""

    def value(match):
        name = match.group(1)
        assert name in values, f"teach the cases tests the route parameter {name!r}"
        return str(values[name])

    return "/" + PARAMETER.sub(value, route)


def parameters(route: str) -> set[str]:
    return set(PARAMETER.findall(route))
