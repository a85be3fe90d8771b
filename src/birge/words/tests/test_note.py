"""The note under an incident's narrative: as she types (htmx) and after a POST, in az, ru
and en; it never stops the save and keeps nothing of the text."""

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.forms import IncidentForm
from birge.cases.models import Incident
from birge.words.models import PhraseCount

NOTE = "/words/note/?field=narrative"

# (interface language, what she types, the phrase marked, a words of the suggestion)
TYPED = [
    (
        "en",
        "Police came. She provoked him by coming home late.",
        "provoked",
        "with him as the subject",
    ),
    (
        "ru",
        "Приехала полиция. Она сама его спровоцировала.",
        "спровоцировала",
        "сделав его подлежащим",
    ),
    ("az", "Polis gəldi. Qadın öz davranışı ilə onu təhrik edib.", "təhrik", "mübtədası"),
]


def incident(narrative: str, **extra) -> dict:
    return {
        "occurred_on": "2026-01-10",
        "weapon": "none",
        "forms": ["physical"],
        "narrative": narrative,
        **extra,
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.mark.parametrize(("language", "text", "phrase", "suggestion"), TYPED)
def test_typing_a_blaming_phrase_shows_the_note_with_its_suggestion(
    browse, officer, language, text, phrase, suggestion
):
    response = browse(officer, language).post(NOTE, {"narrative": text})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<mark>{phrase}</mark>" in page
    assert suggestion in page


def test_the_explanation_is_in_her_language_the_suggestion_in_the_text_s(browse, officer):
    page = browse(officer, "en").post(NOTE, {"narrative": "Её избили во дворе."}).content.decode()
    assert "leaves the perpetrator out" in page  # English explanation
    assert "Назовите того, кто это сделал" in page  # Russian suggestion


def test_a_neutral_text_gets_an_empty_note(browse, officer):
    response = browse(officer).post(NOTE, {"narrative": "Her husband hit her in the kitchen."})
    assert response.status_code == 200
    assert b"<mark>" not in response.content


def test_the_note_keeps_nothing(browse, officer):
    browser = browse(officer)
    events = AuditEvent.objects.count()
    browser.post(NOTE, {"narrative": "She provoked him."})
    assert AuditEvent.objects.count() == events
    assert not PhraseCount.objects.exists()


def test_the_note_is_for_signed_in_people_and_posts_only(client, browse, officer):
    assert client.post(NOTE, {"narrative": "She provoked him."}).status_code == 302
    assert browse(officer).get(NOTE).status_code == 405


def test_a_flood_of_notes_is_turned_away(browse, officer):
    browser = browse(officer)
    # Within one minute of the clock (a slow database must not carry the flood into the
    # next minute, whose count starts afresh).
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        answers = [browser.post(NOTE, {"narrative": "x"}).status_code for _ in range(61)]
    assert answers[-2:] == [200, 429]


def test_odd_input_is_no_server_error(browse, officer):
    browser = browse(officer)
    assert browser.post("/words/note/", {}).status_code == 200
    assert browser.post(NOTE, {"narrative": "a\x00b" * 10}).status_code == 200
    assert browser.post(NOTE, {"narrative": "x" * 30000}).status_code == 200


def test_the_form_page_links_the_note_to_the_field(browse, officer, case):
    page = browse(officer).get(f"/cases/{case.pk}/incidents/new/").content.decode()
    assert 'aria-describedby="id_narrative_words"' in page
    assert 'id="id_narrative_words" aria-live="polite"' in page
    assert 'hx-trigger="keyup changed delay:800ms"' in page
    assert 'hx-params="narrative"' in page


@pytest.mark.parametrize(("language", "text", "phrase", "suggestion"), TYPED)
def test_the_form_shown_again_after_a_post_shows_the_note(
    browse, officer, case, language, text, phrase, suggestion
):
    body = incident(text)
    del body["forms"]  # refused: the form comes back with her text
    response = browse(officer, language).post(f"/cases/{case.pk}/incidents/new/", body)

    assert response.status_code == 400
    page = response.content.decode()
    assert f"<mark>{phrase}</mark>" in page
    assert suggestion in page


@pytest.mark.parametrize(("language", "text", "phrase", "suggestion"), TYPED)
def test_saving_with_the_phrase_in_it_works_and_is_counted(
    browse, officer, case, language, text, phrase, suggestion
):
    response = browse(officer, language).post(f"/cases/{case.pk}/incidents/new/", incident(text))

    assert response.status_code == 302
    assert text in [i.narrative for i in Incident.objects.filter(case=case)]
    [count] = PhraseCount.objects.all()
    assert (count.rule, count.count) == ("provoked", 1)


def test_one_count_per_rule_per_save(browse, officer, case):
    text = "She provoked him. Later she provoked him again. It was a family quarrel."
    browse(officer).post(f"/cases/{case.pk}/incidents/new/", incident(text))
    browse(officer).post(f"/cases/{case.pk}/incidents/new/", incident("She provoked him."))

    counts = dict(PhraseCount.objects.values_list("rule", "count"))
    assert counts == {"provoked": 2, "family_quarrel": 1}


def test_a_refused_form_is_not_counted(browse, officer, case):
    body = incident("She provoked him.")
    del body["forms"]
    browse(officer).post(f"/cases/{case.pk}/incidents/new/", body)
    assert not PhraseCount.objects.exists()


def test_someone_else_s_saved_text_is_shown_without_a_note():
    form = IncidentForm(initial={"narrative": "She provoked him."})
    assert "<mark>" not in form["narrative"].as_widget()
    bound = IncidentForm({"narrative": "She provoked him."})
    assert "<mark>provoked</mark>" in bound["narrative"].as_widget()


def test_an_outsider_gets_404_on_the_form_and_no_note_of_the_case(browse, outsider, case):
    response = browse(outsider).post(
        f"/cases/{case.pk}/incidents/new/", incident("She provoked him.")
    )
    assert response.status_code == 404
    assert not PhraseCount.objects.exists()
