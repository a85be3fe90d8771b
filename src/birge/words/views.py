"""The note as she types (htmx), and the counts page for the coordinating body.

The note's text is read, matched and forgotten: not stored, not logged, not audited."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from birge.agencies.selectors import user_has_capability
from birge.web.forms import TextField
from birge.words import selectors
from birge.words.matching import LONGEST_TEXT
from birge.words.rules import rules_in_force
from birge.words.widgets import CATEGORY_LABELS, note_lines

# Like the risk validation report: analysts and the coordinating body.
COUNT_CAPABILITIES = ("stats.view", "case.coordinate")
NOTES_PER_MINUTE = 60  # a pause every second of a minute's typing; more is not a person


class NoteForm(forms.Form):
    text = TextField(max_length=LONGEST_TEXT, required=False)


@login_required
@require_POST
def note(request: HttpRequest) -> HttpResponse:
    if _too_often(request.user.pk):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    field = request.GET.get("field", "")[:100]
    form = NoteForm({"text": request.POST.get(field, "")})
    lines = note_lines(form.cleaned_data["text"]) if form.is_valid() else []
    return render(request, "words/_note.html", {"note": lines})


def _too_often(user_id: int) -> bool:
    key = f"words:note:{user_id}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) > NOTES_PER_MINUTE
    except ValueError:  # the key expired between add and incr
        return False


@login_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    if not any(user_has_capability(request.user, c) for c in COUNT_CAPABILITIES):
        raise Http404
    table = selectors.phrase_count_table()
    rows = [(row, CATEGORY_LABELS.get(row.category, row.category)) for row in table.rows]
    context = {"table": table, "rows": rows, "rules": rules_in_force()}
    return render(request, "words/counts.html", context)
