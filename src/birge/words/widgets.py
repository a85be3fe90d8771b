"""The guided text box: a textarea with the language guidance's note under it.

A form opts a field in with its widget: `widget=GuidedTextarea(attrs={"rows": 5})`. As she
pauses typing, htmx posts the text (that field only) to `words:note`, which answers the
note; after a POST the page renders the same note for the text she sent, without
JavaScript. The note is for the writer alone: it is shown only for the text of the
request that posted it (never for a record's saved text, which others open), and nothing
of it is stored. Saving is never blocked."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from birge.words.counting import text_posted
from birge.words.matching import phrases_find

CONTEXT_CHARS = 40  # how much of the text around a phrase the note shows

CATEGORY_LABELS = {
    "blames_victim": _("Blames the victim"),
    "minimises": _("Minimises the violence"),
    "excuses_perpetrator": _("Excuses the perpetrator"),
    "doubts_account": _("Doubts her account"),
    "hides_perpetrator": _("Hides the perpetrator"),
}


@dataclass(frozen=True)
class NoteLine:
    before: str
    phrase: str
    after: str
    category: str
    explanation: str
    suggestion: str


def note_lines(text: str) -> list[NoteLine]:
    """What the note says about `text`: each flagged phrase in its context, why, and how
    else to write it (the explanation in her interface's language, the suggestion in the
    language she wrote the phrase in)."""
    language = (get_language() or "az")[:2]
    lines = []
    for finding in phrases_find(text):
        rule = finding.rule
        before = text[max(0, finding.start - CONTEXT_CHARS) : finding.start]
        after = text[finding.end : finding.end + CONTEXT_CHARS]
        lines.append(
            NoteLine(
                before=("…" if finding.start > CONTEXT_CHARS else "") + before,
                phrase=finding.phrase,
                after=after + ("…" if finding.end + CONTEXT_CHARS < len(text) else ""),
                category=str(CATEGORY_LABELS[rule.category]),
                explanation=rule.explanation.get(language, rule.explanation["en"]),
                suggestion=rule.suggestion[finding.language],
            )
        )
    return lines


class GuidedTextarea(forms.Textarea):
    template_name = "words/guided_textarea.html"
    posted = False

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        # The form is bound to a POST: the text is hers, just sent (the widget is the
        # form's own copy, so this marks this form only).
        self.posted = True
        if isinstance(value, str) and value.strip():
            text_posted(name, value)
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        note_id = f"{widget['attrs'].get('id') or name}_words"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {note_id}".strip()
        widget["attrs"].update(
            {
                "hx-post": f"{reverse('words:note')}?{urlencode({'field': name})}",
                "hx-trigger": "keyup changed delay:800ms",
                "hx-target": f"#{note_id}",
                "hx-swap": "innerHTML",
                "hx-params": name,
                "hx-sync": "this:replace",
            }
        )
        widget["note_id"] = note_id
        widget["note"] = note_lines(value) if self.posted and isinstance(value, str) else []
        return context
