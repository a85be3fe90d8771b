"""A facilitator runs a session: participants join with a code, answer released stages on
the real risk form (scored by the real engine), and see only their own answers."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from birge.agencies.tests.factories import UserFactory
from birge.safety.tests.pdftext import pdf_text, squeeze
from birge.training import services
from birge.training.models import Answer, Participant, TrainingSession
from birge.training.tests.conftest import answers_all

STAGE = "/training/{pk}/stages/{stage}/"


def _join(client, session, *, show_name=False):
    data = {"join_code": session.join_code.lower()}
    if show_name:
        data["show_name"] = "on"
    return client.post("/training/join/", data)


def _answer(client, session, stage="first-contact", *, actions="Medical examination", **extra):
    body = {
        **answers_all("no", strangulation="yes", fear="yes"),
        "actions": actions,
        "referral": "consent",
        "conference": "yes",
        **extra,
    }
    return client.post(STAGE.format(pk=session.pk, stage=stage), body)


def test_a_trainer_opens_a_session_and_gets_a_join_code(browse, trainer):
    client = browse(trainer)
    response = client.post(
        "/training/new/",
        {
            "title": "Ganja course",
            "case_study": "older-woman-son",
            "stages": ["older-woman-son:knife", "older-woman-son:first-contact"],
            "language": "ru",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    session = TrainingSession.objects.get(facilitator=trainer)
    assert session.stages == ["first-contact", "knife"]  # the story's order
    assert session.join_code in page
    assert "Пожилая женщина" in page  # the case study in the session's language


def test_each_stage_on_the_form_is_its_own_case_studys(browse, trainer):
    """Every case study has a "first-contact" stage: ticking another study's is a field
    message, not a stage of the chosen one."""
    client = browse(trainer)
    page = client.get("/training/new/").content.decode()
    values = re.findall(r'name="stages" value="([^"]+)"', page)
    assert len(values) == len(set(values)) > 4
    response = client.post(
        "/training/new/",
        {
            "title": "Ganja course",
            "case_study": "older-woman-son",
            "stages": ["coercive-control:first-contact"],
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "Choose at least one stage of this case study." in response.content.decode()
    assert not TrainingSession.objects.filter(facilitator=trainer).exists()


def test_only_a_facilitator_may_open_a_session(browse, officer):
    assert browse(officer).get("/training/new/").status_code == 404


def test_bad_input_gets_field_messages_not_an_error(browse, trainer):
    response = browse(trainer).post("/training/new/", {"case_study": "nonsense", "stages": ["x"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_participant_joins_with_the_code(browse, session, officer):
    client = browse(officer)
    assert _join(client, session).status_code == 302
    assert Participant.objects.get(session=session).user == officer
    assert _join(client, session).status_code == 302  # joining twice keeps one seat
    assert Participant.objects.filter(session=session).count() == 1


def test_a_wrong_code_says_so(browse, session, officer):
    response = browse(officer).post("/training/join/", {"join_code": "ZZZZZZ"})
    assert response.status_code == 400
    assert "No open session has this code." in response.content.decode()


def test_the_stage_release_controls_what_participants_see(browse, session, trainer, officer):
    client = browse(officer)
    _join(client, session)
    first = STAGE.format(pk=session.pk, stage="first-contact")
    assert client.get(first).status_code == 404
    assert "Leyla (29)" not in client.get(f"/training/{session.pk}/").content.decode()

    assert browse(trainer).post(f"/training/{session.pk}/release/").status_code == 302

    page = client.get(first)
    assert page.status_code == 200
    assert "Leyla (29)" in page.content.decode()
    assert "Has he ever strangled or choked you" in page.content.decode()  # the real form
    assert client.get(STAGE.format(pk=session.pk, stage="new-incident")).status_code == 404


def test_only_the_facilitator_releases(browse, session, officer):
    client = browse(officer)
    _join(client, session)
    assert client.post(f"/training/{session.pk}/release/").status_code == 404
    session.refresh_from_db()
    assert session.released == 0


def test_answers_are_scored_by_the_real_engine(browse, session, trainer, officer):
    client = browse(officer)
    _join(client, session)
    services.session_release_next(actor=trainer, session=session)

    assert _answer(client, session).status_code == 302

    answer = Answer.objects.get()
    assert answer.computed_level == "high"  # strangulation is a critical question
    assert answer.level == "high"
    assert answer.answers["strangulation"] == "yes"
    # Her stage page names the level her answers were saved with.
    page = client.get(STAGE.format(pk=session.pk, stage="first-contact")).content.decode()
    assert "(level: High)" in page


def test_a_level_below_what_the_instrument_gives_is_refused(browse, session, trainer, officer):
    client = browse(officer)
    _join(client, session)
    services.session_release_next(actor=trainer, session=session)

    response = _answer(client, session, level="medium")

    assert response.status_code == 400
    assert "cannot be below what the instrument gives" in response.content.decode()
    assert not Answer.objects.exists()


def test_participants_cannot_see_each_others_answers(browse, session, trainer, officer, colleague):
    mine, theirs = browse(officer), browse(colleague)
    _join(mine, session)
    _join(theirs, session)
    services.session_release_next(actor=trainer, session=session)
    _answer(mine, session, actions="Call her sister tonight")

    assert (
        "Call her sister tonight"
        in mine.get(STAGE.format(pk=session.pk, stage="first-contact")).content.decode()
    )
    assert (
        "Call her sister tonight"
        not in theirs.get(STAGE.format(pk=session.pk, stage="first-contact")).content.decode()
    )
    report = theirs.get(f"/training/{session.pk}/report/").content.decode()
    assert "Your answers (only you see them)" not in report
    assert (
        "Your answers (only you see them)"
        in mine.get(f"/training/{session.pk}/report/").content.decode()
    )
    # The spread is the facilitator's page.
    assert theirs.get(f"/training/{session.pk}/stages/first-contact/spread/").status_code == 404


def test_the_facilitator_sees_the_spread_without_names(
    browse, session, trainer, officer, colleague
):
    third = UserFactory(username="third", first_name="Nuray", last_name="Səfərli")
    clients = [browse(u) for u in (officer, colleague, third)]
    for client in clients[:2]:
        _join(client, session)
    _join(clients[2], session, show_name=True)
    services.session_release_next(actor=trainer, session=session)
    _answer(clients[0], session)
    _answer(clients[1], session, **{"item_threat_to_kill": "yes"})
    _answer(clients[2], session, **{"item_threat_to_kill": "unknown", "item_injury": "yes"})

    page = (
        browse(trainer).get(f"/training/{session.pk}/stages/first-contact/spread/").content.decode()
    )

    assert "Participant 1" in page and "Participant 2" in page
    assert officer.last_name not in page and colleague.last_name not in page
    assert "Nuray Səfərli" in page  # she chose to show her name
    assert "3 answers" in page
    rows = re.findall(r'<td data-label="Question">([^<]+)</td>', page)
    # Three different answers to the threat to kill: the most disagreement comes first.
    assert rows[0] == "threats to kill"
    assert "strangulation is a critical question" in page  # the reference's reasoning
    assert "Medical examination" in page  # the actions proposed


def test_the_report_is_a_page_and_a_pdf_in_the_sessions_language(browse, trainer, officer):
    session = services.session_open(
        actor=trainer,
        title="Курс",
        case_study="family-marriage",
        stages=["first-contact"],
        language="ru",
    )
    client = browse(officer)
    _join(client, session)
    services.session_release_next(actor=trainer, session=session)
    services.session_note_points(actor=trainer, session=session, points="Посредничество опасно.")

    page = browse(trainer).get(f"/training/{session.pk}/report/").content.decode()
    assert "Отчёт об учебном занятии" in page
    assert "Айтен (19)" in page  # the case study's facts, in Russian
    assert "Посредничество опасно." in page

    pdf = client.get(f"/training/{session.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = squeeze(pdf_text(pdf.content))
    assert squeeze("Отчёт об учебном занятии") in text
    assert squeeze("Посредничество опасно.") in text


def _training_routes():
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    return [r for r in walk(get_resolver().url_patterns) if r.startswith("training/<")]


@pytest.mark.parametrize("route", _training_routes())
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_every_page_of_a_session(
    browse, session, trainer, officer, outsider, route, method
):
    _join(browse(officer), session)
    services.session_release_next(actor=trainer, session=session)
    url = "/" + route.replace("<id:training_id>", str(session.pk)).replace(
        "<slug:stage_id>", "first-contact"
    )

    assert getattr(browse(outsider), method)(url).status_code == 404
