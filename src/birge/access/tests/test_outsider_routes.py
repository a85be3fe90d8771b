"""Outside the circle a case does not exist: every case route answers 404, as for a case
that was never there, and lists, search and counts find nothing.

The routes come from the URL resolver (birge.cases.tests.routes), with every parameter
filled with a real object of a case in agency A, so a 404 means "hidden", not "missing".
"""

import pytest

from birge.access.cases import cases_visible_to
from birge.audit.models import AuditEvent
from birge.cases import services
from birge.cases.models import Case, CircleMember, EmergencyAccess
from birge.cases.tests.factories import consent_for, register_case
from birge.cases.tests.routes import case_routes, fill, parameters

ROUTES = case_routes()
# Pages of one's own, not of a case: the list (empty for her), registering, her relations.
OWN_PAGES = {"cases/", "cases/new/", "cases/relations/"}
AUDITOR_PAGES = {"cases/emergency/review/", "cases/emergency/review/<id:grant_id>/"}
NEVER = 999999


def test_the_route_list_holds_every_case_route():
    assert "cases/<id:case_id>/" in ROUTES
    assert "cases/<id:case_id>/consents/<id:consent_id>/withdraw/" in ROUTES
    assert "cases/<id:case_id>/circle/<id:member_id>/remove/" in ROUTES
    assert "cases/emergency/<id:grant_id>/end/" in ROUTES
    assert len(ROUTES) >= 24
    assert set(ROUTES) >= OWN_PAGES
    assert set(ROUTES) >= AUDITOR_PAGES


@pytest.fixture
def target(officer, coordinator, shelter, shelter_worker, police):
    """A case of agency A with a consent, a shared agency, an emergency grant and a
    declaration: every kind of id a case route takes."""
    case = register_case(officer, consent=consent_for(shelter, location=True))
    grant = services.emergency_access_start(
        user=shelter_worker,
        reference=case.reference,
        reason="She called the shelter at night and needs a bed now.",
    )
    member = services.case_share(actor=officer, case=case, agency=shelter)
    declaration = services.conflict_declare(
        user=officer, first_name="Nigar", last_name="Abbasova", birth_date=None
    )
    case.refresh_from_db()
    return {
        "case": case,
        "ids": {
            "case_id": case.pk,
            "consent_id": case.consents.get().pk,
            "member_id": member.pk,
            "grant_id": grant.pk,
            "declaration_id": declaration.pk,
        },
    }


def _post_data(case, user):
    """What a determined person would post: enough for any form behind these routes."""
    return {
        "reason": "Because I want to see it, for a long enough reason.",
        "note": "Looked at it.",
        "agency": user.agency_id,
        "level": "critical",
        "reference": case.reference,
        "users": [user.pk],
        "given": "on",
        "agencies": [user.agency_id],
        "given_on": "2026-01-01",
        "valid_until": "2030-01-01",
        "first_name": "Aysel",
        "last_name": "Əliyeva",
    }


def _state(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.version,
        case.status,
        case.sealed,
        case.risk_level,
        CircleMember.objects.filter(case=case, removed_at__isnull=True).count(),
        EmergencyAccess.objects.filter(case=case, ended_at__isnull=True).count(),
        case.consents.filter(withdrawn_at__isnull=True).count(),
    )


def _never_existing(route):
    return fill(route, dict.fromkeys(parameters(route), NEVER))


@pytest.mark.parametrize("route", sorted(set(ROUTES) - OWN_PAGES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_every_case_route(browse, outsider, target, route, method):
    client = browse(outsider)
    case = target["case"]
    before = _state(case)

    response = getattr(client, method)(fill(route, target["ids"]), _post_data(case, outsider))
    missing = getattr(client, method)(_never_existing(route), _post_data(case, outsider))

    assert response.status_code == 404
    assert missing.status_code == 404
    assert _state(case) == before
    # Both refusals are recorded, and alike: the log says no more than the 404 did.
    events = AuditEvent.objects.filter(actor=outsider).exclude(action="auth.login")
    refusals = events.order_by("id")
    assert {e.action for e in refusals} <= {"access.denied"}
    assert [(e.object_type, e.data) for e in refusals if e.object_id == str(case.pk)] == [
        (e.object_type, e.data) for e in refusals if e.object_id == str(NEVER)
    ]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_analyst_gets_404_on_every_case_route(browse, analyst, target, route, method):
    client = browse(analyst)
    case = target["case"]
    before = _state(case)

    response = getattr(client, method)(fill(route, target["ids"]), _post_data(case, analyst))

    assert response.status_code == 404
    assert _state(case) == before


@pytest.mark.parametrize("route", sorted(set(ROUTES) - AUDITOR_PAGES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_auditor_gets_404_on_case_pages(browse, auditor, target, route, method):
    client = browse(auditor)
    case = target["case"]
    before = _state(case)

    response = getattr(client, method)(fill(route, target["ids"]), _post_data(case, auditor))

    assert response.status_code == 404
    assert _state(case) == before


@pytest.mark.parametrize("route", sorted(AUDITOR_PAGES))
def test_the_auditor_reaches_the_emergency_review(browse, auditor, target, route):
    response = browse(auditor).get(fill(route, target["ids"]))

    assert response.status_code == 200
    assert target["case"].reference in response.content.decode()


def test_the_outsiders_pages_of_her_own_still_open(browse, outsider, target):
    client = browse(outsider)

    for route in sorted(OWN_PAGES):
        assert client.get(fill(route, target["ids"])).status_code == 200


# --- Lists, search and counts ---------------------------------------------------------


@pytest.fixture
def known(officer, coordinator):
    return register_case(
        officer,
        victim={"first_name": "Aysel", "last_name": "Məmmədova", "phone": "+994 50 111 22 33"},
    )


def _list(client, **query):
    """The rows of the case list (the search box repeats what was typed)."""
    response = client.get("/cases/", query)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"scope": "agency"},
        {"scope": "mine"},
        {"status": "open"},
        {"q": "REFERENCE"},
        {"q": "Məmmədova"},
        {"q": "Aysel Məmmədova"},
        {"q": "Мамедова Айсель"},
    ],
)
def test_the_outsider_finds_nothing_in_lists_or_search(browse, outsider, colleague, known, query):
    query = {k: (known.reference if v == "REFERENCE" else v) for k, v in query.items()}

    page = _list(browse(outsider), **query)

    assert known.reference not in page
    assert "Məmmədova" not in page
    assert "No cases found." in page
    # The same query shows the case to a colleague in agency A (not for "mine": hers only).
    if query.get("scope") != "mine":
        assert known.reference in _list(browse(colleague), **query)


def test_the_outsider_counts_no_cases(outsider, colleague, analyst, auditor, known, case):
    assert cases_visible_to(outsider).count() == 0
    assert cases_visible_to(analyst).count() == 0
    assert cases_visible_to(auditor).count() == 0
    assert cases_visible_to(colleague).count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "/cases/99999999999999999999999999/",
        "/cases/99999999999999999999999999/print/",
        "/api/v1/cases/99999999999999999999999999/",
    ],
)
def test_an_id_too_large_for_the_database_is_a_plain_404(browse, officer, path):
    assert browse(officer).get(path).status_code in (401, 404)


def test_the_circle_does_not_learn_who_probed_its_case(browse, outsider, coordinator, target):
    """Refusals are the auditors' to read: the case's timeline and its access log say
    nothing of who asked for its id."""
    case = target["case"]
    browse(outsider).get(f"/cases/{case.pk}/")
    assert AuditEvent.objects.filter(actor=outsider, action="access.denied").exists()

    client = browse(coordinator)
    for page in (f"/cases/{case.pk}/", f"/cases/{case.pk}/access/"):
        html = client.get(page).content.decode()
        assert outsider.display_name not in html
        assert "Refused" not in html
