"""Counting what the guidance flagged in a saved form: one count per rule per save.

A guided field (birge.words.widgets.GuidedTextarea) notes the text it was posted; when
the request ends in a redirect — the form was accepted and saved, a page answers a refused
form with the form again — this middleware counts the rules those texts set off. The text
itself is never kept, and the count holds no author, case or agency."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from birge.words.matching import rule_codes
from birge.words.services import phrase_counts_add

log = logging.getLogger(__name__)
_posted: ContextVar[dict[str, str] | None] = ContextVar("birge_words_posted", default=None)
SAVED = (301, 302, 303)


def text_posted(name: str, text: str) -> None:
    """A guided field was posted this text (outside a request: nothing to count)."""
    posted = _posted.get()
    if posted is not None:
        posted[name] = text


class PhraseCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _posted.set({})
        try:
            response = self.get_response(request)
            posted = _posted.get() or {}
            if posted and request.method == "POST" and _saved(response):
                self._count(posted)
        finally:
            _posted.reset(token)
        return response

    @staticmethod
    def _count(posted: dict[str, str]) -> None:
        codes = set().union(*(rule_codes(text) for text in posted.values()))
        if not codes:
            return
        try:
            phrase_counts_add(codes=codes)
        except DatabaseError:  # the save stands; a count lost is no reason to fail it
            log.warning("words: the counts of flagged phrases could not be written")


def _saved(response: HttpResponse) -> bool:
    return response.status_code in SAVED or "HX-Redirect" in response.headers
