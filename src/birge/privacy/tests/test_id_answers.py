"""Error messages never tell an outsider whether an id exists.

Every field that takes the id of an agency, a person, a case, a service, a referral… is
found in the code: the API's in the request bodies of every operation its URL resolver
serves (as the published schema describes them), the pages' in every form class of
Birge. Each is posted twice, with an id that does not exist and with the id of an object
that exists but is not the actor's to choose (another agency's, a closed one, one of the
wrong kind): the two answers must be the same, status and body (for a page, the form's
messages). A third request with an id she may choose must succeed, so that the body
around the id is known to be right and the answers are the field's own.

A new id field fails `test_every_id_field_is_probed` until it gets a probe here (or is
declared one whose every object the actor may choose)."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

import birge
from birge.agencies.models import Role, Service, ServiceKind
from birge.agencies.tests.factories import AgencyFactory, RegionFactory, UserFactory
from birge.cases.tests.factories import consent_for, register_case
from birge.conferences import services as conferences
from birge.conferences.models import ConferenceSeries
from birge.conferences.tests.conftest import (  # noqa: F401 - the cast
    STATEMENT,
    _english,
    _fast_passwords,
    _known_keys,
    api,
    assess,
    browse,
    case,
    chair,
    chair_agency,
    coordinator,
    ganja_coordinator,
    high_risk_case,
    in_session,
    item,
    meeting,
    queued,
    series,
    shelter,
    shelter_worker,
    social,
    social_worker,
)
from birge.justice.models import ProtectionOrder
from birge.justice.tests.factories import (  # noqa: F401 - the justice cast
    court,
    local_authority,
    order_apply,
    order_case,
    perpetrator_of,
)
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the justice cast
    investigator,
    justice_case,
    prosecution,
    prosecutor,
    provider,
    social_coordinator,
)
from birge.referrals.tests.conftest import shelter_place  # noqa: F401 - the cast
from birge.safety import services as safety

NEVER = 987654321  # an id no table holds in a test database
# Integer fields in request bodies that are not ids of anything.
NOT_IDS = {
    "version": "the version the client last read",
    "quorum": "a number of agencies",
    "minutes_per_case": "minutes",
    "minutes": "minutes",
    "position": "a place on the agenda",
    "limit": "a number of cases",
    "adult_women_population": "a population",
    "approximate_age": "years",
    "before": "a paging cursor, not a choice",
    "capacity": "free places",
    "sessions_planned": "a number of a programme's sessions",
    "sessions_attended": "a number of a programme's sessions",
}
# Fields whose every object the actor may choose: nothing to hide.
EVERYONES = {
    "api POST /api/v1/conferences/series/ region": "regions, for administrators",
    "api PUT /api/v1/conferences/series/{series_id}/ region": "regions, for administrators",
    "form birge.agencies.forms.AgencyForm region": "regions, for administrators",
    "form birge.agencies.forms.ServiceForm regions": "regions are public",
    "form birge.cases.forms.CaseFilterForm region": "regions are public",
    "form birge.referrals.forms.DirectoryFilterForm region": "regions are public",
    "form birge.conferences.forms.SeriesForm region": "regions, for administrators",
    "form birge.oversight.forms.EventFilterForm agency": "every agency, for auditors",
    "form birge.justice.views.figures.AccountabilityForm region": "regions are public",
    # Probed on its own below (a possible match needs two cases and a keyed token).
    "form birge.cases.forms.PossibleMatchForm participant": "a participant of the case itself",
    "form birge.risk.views_validation.ValidationForm version": "instrument versions",
}


# --- Finding the id fields in the code -----------------------------------------------------


def _is_id(name: str, found) -> bool:
    if isinstance(found, RelatedField | ManyRelatedField | forms.ModelChoiceField):
        return True
    return isinstance(found, serializers.IntegerField | forms.IntegerField) and name not in NOT_IDS


def _body_fields(serializer, prefix=()):
    """(path, field) of every writable field of a request body, nested ones included."""
    if isinstance(serializer, type):
        serializer = serializer()
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, found in serializer.fields.items():
        if found.read_only:
            continue
        path = (*prefix, name)
        if isinstance(found, serializers.ListSerializer):
            yield from _body_fields(found.child, (*path, "[]"))
        elif isinstance(found, serializers.Serializer):
            yield from _body_fields(found, path)
        elif isinstance(found, serializers.ListField):
            yield (*path, "[]"), found.child
        else:
            yield path, found


def api_id_fields() -> set[str]:
    generator = SchemaGenerator()
    found = set()
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        serializer = generator.create_view(callback, method).schema.get_request_serializer()
        if serializer is None:
            continue
        for field_path, found_field in _body_fields(serializer):
            name = [part for part in field_path if part != "[]"][-1]
            if _is_id(name, found_field):
                found.add(f"api {method} {path} {'.'.join(field_path)}")
    return found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_id_fields() -> set[str]:
    for module in pkgutil.walk_packages(birge.__path__, "birge."):
        parts = set(module.name.split("."))
        if not parts & {"tests", "conftest", "migrations", "management", "__main__", "wsgi"}:
            importlib.import_module(module.name)
    return {
        f"form {form.__module__}.{form.__qualname__} {name}"
        for form in set(_subclasses(forms.BaseForm))
        if form.__module__.startswith("birge.") and ".tests" not in form.__module__
        for name, form_field in form.base_fields.items()
        if _is_id(name, form_field)
    }


# --- Probes --------------------------------------------------------------------------------


@dataclass
class Probe:
    client: Client  # the actor's
    url: str
    body: Callable[[Any], dict]  # the request with this id in the field
    valid: Any  # an id she may choose
    others: dict[str, Any]  # ids that exist but are not hers to choose, by why
    method: str = "post"
    headers: dict = field(default_factory=dict)
    form: type | None = None  # a page's form class


PROBES: dict[str, Callable[[Callable], Probe]] = {}


def probe(*keys: str):
    """Register `build(get, name)` for each key ("api METHOD path field" or "form class
    field"); `get` gives a fixture, `name` is the key's field."""

    def register(build):
        for key in keys:
            name = key.rsplit(" ", 1)[-1].removesuffix(".[]").rsplit(".", 1)[-1]
            PROBES[key] = lambda get, build=build, name=name: build(get, name)
        return build

    return register


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def closed_agency(db):
    """A closed shelter whose service is still marked active in the directory."""
    closed = AgencyFactory(code="closed-ngo", kind="shelter_ngo", is_active=False)
    service = Service.objects.create(
        agency=closed, kind=ServiceKind.SHELTER, name_az="x", name_ru="x", name_en="Closed"
    )
    service.regions.add(RegionFactory())
    return closed


@pytest.fixture
def other_series(other_agency, outsider):
    """The Ganja conference: its own chair, a case of the Ganja police in its queue, and a
    meeting with another of them on its agenda."""
    ganja_chair = UserFactory(
        username="ganja_chair", agency=other_agency, roles=["conference_chair"]
    )
    created = ConferenceSeries.objects.create(
        code="ganja-marac",
        name_az="Gəncə",
        name_ru="Гянджа",
        name_en="Ganja",
        region=RegionFactory(code="ganja", name_en="Ganja"),
        chair=ganja_chair,
        quorum=1,
        confidentiality_az=STATEMENT,
        confidentiality_ru=STATEMENT,
        confidentiality_en=STATEMENT,
        legal_basis="Protocol",
    )
    created.members.set([other_agency])
    reason = "She was threatened again last night by him."
    waiting, listed = (
        conferences.conference_queue(
            case=register_case(outsider), criterion="judgement", series=created, reason=reason
        )
        for _ in range(2)
    )
    planned = conferences.meeting_plan(
        actor=ganja_chair, series=created, starts_at=timezone.now() + timedelta(days=7)
    )
    conferences.agenda_add(actor=ganja_chair, meeting=planned, referral=listed)
    created.waiting, created.item = waiting, planned.items.get()
    return created


def _api_client(get, who: str) -> Client:
    return get("api")(get(who))


# The cases API


@probe("api POST /api/v1/cases/ consent.agencies")
def _case_create(get, name):
    return Probe(
        client=_api_client(get, "officer"),
        url="/api/v1/cases/",
        body=lambda agency: {
            "victim": {"first_name": "Günel", "last_name": "Əliyeva"},
            "incident": {"occurred_on": _days(-1), "forms": ["physical"]},
            "consent": {"agencies": [agency], "given_on": _days(0), "valid_until": _days(90)},
        },
        valid=get("shelter").pk,
        others={"a closed agency": get("closed_agency").pk},
    )


@probe("api PATCH /api/v1/cases/{case_id}/ coordinator")
def _case_coordinator(get, name):
    target = get("case")
    return Probe(
        client=_api_client(get, "coordinator"),
        method="patch",
        url=f"/api/v1/cases/{target.pk}/",
        body=lambda user: {"coordinator": user},
        headers={"If-Match": f'"{target.pk}-{target.version}"'},
        valid=get("coordinator").pk,
        others={
            "another agency's case coordinator": get("ganja_coordinator").pk,
            "a colleague who may not coordinate": get("colleague").pk,
        },
    )


@probe("api POST /api/v1/cases/{case_id}/consents/ agencies")
def _case_consent(get, name):
    return Probe(
        client=_api_client(get, "officer"),
        url=f"/api/v1/cases/{get('case').pk}/consents/",
        body=lambda agency: {"agencies": [agency], "given_on": _days(0), "valid_until": _days(9)},
        valid=get("shelter").pk,
        others={"a closed agency": get("closed_agency").pk},
    )


@probe("api POST /api/v1/cases/{case_id}/share/ agency")
def _case_share(get, name):
    consented = register_case(get("officer"), consent=consent_for(get("shelter")))
    return Probe(
        client=_api_client(get, "officer"),
        url=f"/api/v1/cases/{consented.pk}/share/",
        body=lambda agency: {"agency": agency},
        valid=get("shelter").pk,
        others={"a closed agency": get("closed_agency").pk},
    )


# The referrals API


def _referral(get, **field) -> dict:
    body = {"case": get("case").pk, "service": get("shelter_place").pk}
    if "agency" in field:
        body = {"case": body["case"], "service_kind": "shelter"}
    return {**body, **field, "summary": "She needs a bed tonight.", "send": False}


@probe("api POST /api/v1/referrals/ case")
def _referral_case(get, name):
    return Probe(
        client=_api_client(get, "officer"),
        url="/api/v1/referrals/",
        body=lambda case_id: _referral(get, case=case_id),
        valid=get("case").pk,
        others={"another agency's case": register_case(get("outsider")).pk},
    )


@probe("api POST /api/v1/referrals/ service")
def _referral_service(get, name):
    withdrawn = Service.objects.create(
        agency=get("shelter"), kind="legal_aid", name_az="x", name_ru="x", name_en="Gone"
    )
    withdrawn.is_active = False
    withdrawn.save()
    closed = Service.objects.get(agency=get("closed_agency"))
    return Probe(
        client=_api_client(get, "officer"),
        url="/api/v1/referrals/",
        body=lambda service: _referral(get, service=service),
        valid=get("shelter_place").pk,
        others={"a withdrawn service": withdrawn.pk, "a closed agency's service": closed.pk},
    )


@probe("api POST /api/v1/referrals/ agency")
def _referral_agency(get, name):
    return Probe(
        client=_api_client(get, "officer"),
        url="/api/v1/referrals/",
        body=lambda agency: _referral(get, agency=agency),
        valid=get("shelter").pk,
        others={
            "a closed agency that had the service": get("closed_agency").pk,
            "an agency without the service": get("social").pk,
        },
    )


# The conferences API


def _series_body(get, **field) -> dict:
    body = {
        "code": "new-marac",
        "name_az": "Yeni",
        "name_ru": "Новая",
        "name_en": "New",
        "region": RegionFactory(code="sumqayit").pk,
        "chair": get("chair").pk,
        "members": [get("police").pk],
        "cadence": "monthly",
        "quorum": 1,
        "minutes_per_case": 15,
        "confidentiality_az": STATEMENT,
        "confidentiality_ru": STATEMENT,
        "confidentiality_en": STATEMENT,
        "legal_basis": "Protocol",
    }
    return {**body, **field}


def _series_probe(get, name: str, *, put: bool) -> Probe:
    url, code = "/api/v1/conferences/series/", "new-marac"
    if put:
        url, code = f"{url}{get('series').pk}/", get("series").code
    choices = {
        "chair": (
            get("chair").pk,
            {
                "a person who may not chair": get("coordinator").pk,
                "an outsider": get("outsider").pk,
            },
        ),
        "members": (get("shelter").pk, {"a closed agency": get("closed_agency").pk}),
    }
    valid, others = choices[name]
    return Probe(
        client=_api_client(get, "admin"),
        method="put" if put else "post",
        url=url,
        body=lambda x: _series_body(get, code=code, **{name: [x] if name == "members" else x}),
        valid=valid,
        others=others,
    )


@probe(
    "api POST /api/v1/conferences/series/ chair", "api POST /api/v1/conferences/series/ members.[]"
)
def _series_new(get, name):
    return _series_probe(get, name, put=False)


@probe(
    "api PUT /api/v1/conferences/series/{series_id}/ chair",
    "api PUT /api/v1/conferences/series/{series_id}/ members.[]",
)
def _series_change(get, name):
    return _series_probe(get, name, put=True)


@probe("api POST /api/v1/conferences/referrals/ case")
def _conference_refer(get, name):
    get("series")
    return Probe(
        client=_api_client(get, "coordinator"),
        url="/api/v1/conferences/referrals/",
        body=lambda case_id: {"case": case_id, "reason": "He was released and calls her daily."},
        valid=get("case").pk,
        others={"another agency's case": register_case(get("outsider")).pk},
    )


@probe("api POST /api/v1/conferences/meetings/{meeting_id}/agenda/ referral")
def _agenda_add(get, name):
    waiting = conferences.conference_queue(
        case=get("case"), criterion="judgement", series=get("series"), reason="Threats again."
    )
    return Probe(
        client=_api_client(get, "chair"),
        url=f"/api/v1/conferences/meetings/{get('meeting').pk}/agenda/",
        body=lambda referral: {"referral": referral},
        valid=waiting.pk,
        others={
            "another series' waiting case": get("other_series").waiting.pk,
            "a case already on the agenda": get("queued").pk,
        },
    )


@probe("api POST /api/v1/conferences/meetings/{meeting_id}/agenda/arrange/ items.[].item")
def _agenda_arrange(get, name):
    return Probe(
        client=_api_client(get, "chair"),
        url=f"/api/v1/conferences/meetings/{get('meeting').pk}/agenda/arrange/",
        body=lambda item_id: {"items": [{"item": item_id, "position": 1, "minutes": 10}]},
        valid=get("item").pk,
        others={"another meeting's item": get("other_series").item.pk},
    )


def _action_body(get, **field) -> dict:
    body = {"text": "Visit her", "agency": get("police").pk, "person": get("coordinator").pk}
    return {**body, "due_on": _days(3), "concerns": ["victim"], **field}


def _action_choices(get, name: str):
    gone = UserFactory(username="gone", agency=get("police"), roles=["case_coordinator"])
    gone.is_active = False
    gone.save()
    return {
        "agency": (get("social").pk, {"a closed agency": get("closed_agency").pk}),
        "person": (
            get("coordinator").pk,
            {
                "a person of another agency": get("outsider").pk,
                "a person who left": gone.pk,
            },
        ),
    }[name]


def _action_probe(get, name: str, *, change: bool) -> Probe:
    get("in_session")
    on_agenda = get("item")
    url = f"/api/v1/conferences/meetings/{on_agenda.meeting_id}/items/{on_agenda.pk}/actions/"
    method = "post"
    if change:
        action = conferences.action_add(
            actor=get("chair"),
            item=on_agenda,
            text="Visit",
            agency=get("police"),
            due_on=timezone.localdate() + timedelta(days=2),
            concerns=["victim"],
        )
        url, method = f"/api/v1/conferences/actions/{action.pk}/", "put"
    valid, others = _action_choices(get, name)
    person = {"person": None} if name == "agency" else {}
    return Probe(
        client=_api_client(get, "chair"),
        method=method,
        url=url,
        body=lambda x: _action_body(get, **person, **{name: x}),
        valid=valid,
        others=others,
    )


@probe(
    "api POST /api/v1/conferences/meetings/{meeting_id}/items/{item_id}/actions/ agency",
    "api POST /api/v1/conferences/meetings/{meeting_id}/items/{item_id}/actions/ person",
)
def _action_new(get, name):
    return _action_probe(get, name, change=False)


@probe(
    "api PUT /api/v1/conferences/actions/{action_id}/ agency",
    "api PUT /api/v1/conferences/actions/{action_id}/ person",
)
def _action_change(get, name):
    return _action_probe(get, name, change=True)


# The pages' forms


def _browser(get, who: str) -> Client:
    return get("browse")(get(who))


@probe("form birge.cases.forms.ConsentForm agencies")
def _consent_form(get, name):
    from birge.cases.forms import ConsentForm

    return Probe(
        client=_browser(get, "officer"),
        url=f"/cases/{get('case').pk}/consents/new/",
        body=lambda agency: {
            "agencies": [agency],
            "share_case_record": "on",
            "given_on": _days(0),
            "valid_until": _days(30),
        },
        valid=get("shelter").pk,
        others={"a closed agency": get("closed_agency").pk},
        form=ConsentForm,
    )


@probe("form birge.cases.forms.ShareForm agency")
def _share_form(get, name):
    from birge.cases.forms import ShareForm

    consented = register_case(get("officer"), consent=consent_for(get("shelter")))
    return Probe(
        client=_browser(get, "officer"),
        url=f"/cases/{consented.pk}/share/",
        body=lambda agency: {"agency": agency, "reason": ""},
        valid=get("shelter").pk,
        others={"a closed agency": get("closed_agency").pk},
        form=ShareForm,
    )


@probe("form birge.cases.forms.SealForm users")
def _seal_form(get, name):
    from birge.cases.forms import SealForm

    return Probe(
        client=_browser(get, "coordinator"),
        url=f"/cases/{get('case').pk}/seal/",
        body=lambda user: {"reason": "He works in the police.", "users": [user]},
        valid=get("colleague").pk,
        others={"a person outside the circle": get("outsider").pk},
        form=SealForm,
    )


@probe("form birge.referrals.forms.ReferralForm service")
def _referral_form(get, name):
    from birge.referrals.forms import ReferralForm

    withdrawn = Service.objects.create(
        agency=get("shelter"), kind="shelter", name_az="x", name_ru="x", name_en="Gone"
    )
    withdrawn.is_active = False
    withdrawn.save()
    return Probe(
        client=_browser(get, "officer"),
        url=f"/referrals/new/{get('case').pk}/",
        body=lambda service: {"service": service, "summary": "She needs a bed tonight."},
        valid=get("shelter_place").pk,
        others={
            "a withdrawn service": withdrawn.pk,
            "a closed agency's service": Service.objects.get(agency=get("closed_agency")).pk,
        },
        form=ReferralForm,
    )


@probe(
    "form birge.safety.forms.SafetyActionForm agency",
    "form birge.safety.forms.SafetyActionForm responsible",
)
def _safety_action_form(get, name):
    from birge.cases.models import CasePerson, Part
    from birge.safety.forms import SafetyActionForm

    officer, planned = get("officer"), get("case")
    plan = safety.safety_plan_save(
        actor=officer,
        case=planned,
        victim=CasePerson.objects.get(case=planned, part=Part.VICTIM),
        sections={"contacts": "Her sister."},
        language="az",
        version=0,
    )
    choices = {
        "agency": (get("police").pk, {"an agency outside the circle": get("other_agency").pk}),
        "responsible": (get("colleague").pk, {"a person outside the circle": get("outsider").pk}),
    }
    valid, others = choices[name]
    return Probe(
        client=_browser(get, "officer"),
        url=f"/cases/{planned.pk}/safety/{plan.pk}/actions/new/",
        body=lambda x: {
            "text": "Call her",
            "agency": get("police").pk,
            "due_on": _days(2),
            name: x,
        },
        valid=valid,
        others=others,
        form=SafetyActionForm,
    )


@probe("form birge.conferences.forms.AgendaAddForm referral")
def _agenda_add_form(get, name):
    from birge.conferences.forms import AgendaAddForm

    waiting = conferences.conference_queue(
        case=get("case"), criterion="judgement", series=get("series"), reason="Threats again."
    )
    return Probe(
        client=_browser(get, "chair"),
        url=f"/conferences/meetings/{get('meeting').pk}/agenda/add/",
        body=lambda referral: {"referral": referral},
        valid=waiting.pk,
        others={
            "another series' waiting case": get("other_series").waiting.pk,
            "a case already on the agenda": get("queued").pk,
        },
        form=AgendaAddForm,
    )


@probe(
    "form birge.conferences.forms.ActionForm agency",
    "form birge.conferences.forms.ActionForm person",
)
def _action_form(get, name):
    from birge.conferences.forms import ActionForm

    get("in_session")
    on_agenda = get("item")
    valid, others = _action_choices(get, name)
    person = {"person": ""} if name == "agency" else {}
    return Probe(
        client=_browser(get, "chair"),
        url=f"/conferences/meetings/{on_agenda.meeting_id}/items/{on_agenda.pk}/actions/new/",
        body=lambda x: _action_body(get, **person, **{name: x}),
        valid=valid,
        others=others,
        form=ActionForm,
    )


@probe(
    "form birge.conferences.forms.SeriesForm chair",
    "form birge.conferences.forms.SeriesForm members",
)
def _series_form(get, name):
    from birge.conferences.forms import SeriesForm

    choices = {
        "chair": (get("chair").pk, {"a person who may not chair": get("coordinator").pk}),
        "members": (get("shelter").pk, {"a closed agency": get("closed_agency").pk}),
    }
    valid, others = choices[name]
    return Probe(
        client=_browser(get, "admin"),
        url="/conferences/series/new/",
        body=lambda x: _series_body(get, **{name: [x] if name == "members" else x}),
        valid=valid,
        others=others,
        form=SeriesForm,
    )


@probe("form birge.agencies.forms.UserForm agency", "form birge.agencies.forms.UserForm roles")
def _user_form(get, name):
    from birge.agencies.forms import UserForm

    choices = {
        "agency": (get("police").pk, {"another agency": get("other_agency").pk}),
        "roles": (
            Role.objects.get(code="frontline_officer").pk,
            {"a role a lead may not give": Role.objects.get(code="administrator").pk},
        ),
    }
    valid, others = choices[name]
    return Probe(
        client=_browser(get, "lead"),
        url="/admin/users/new/",
        body=lambda x: {
            "username": "new.worker",
            "first_name": "Leyla",
            "last_name": "Sadıqova",
            "email": "new.worker@example.invalid",
            "agency": get("police").pk,
            "roles": [Role.objects.get(code="frontline_officer").pk],
            name: [x] if name == "roles" else x,
        },
        valid=valid,
        others=others,
        form=UserForm,
    )


@probe("form birge.agencies.forms.ServiceForm agency")
def _service_form(get, name):
    from birge.agencies.forms import ServiceForm

    return Probe(
        client=_browser(get, "admin"),
        url="/admin/services/new/",
        body=lambda agency: {
            "agency": agency,
            "kind": "legal_aid",
            "name_az": "Hüquqi yardım",
            "name_ru": "Юридическая помощь",
            "name_en": "Legal aid",
            "regions": [RegionFactory().pk],
        },
        valid=get("police").pk,
        others={"a closed agency": get("closed_agency").pk},
        form=ServiceForm,
    )


# The justice app: protection orders, proceedings, perpetrator programmes


def _order_choices(get, name: str):
    """(valid, others, body) of an application for an order to the coordinator's case."""
    target, applicant = get("order_case"), get("coordinator")
    elsewhere = register_case(get("outsider"))
    closed = AgencyFactory(code="ih-closed", kind="local_authority", is_active=False)
    if name == "follows":
        # A long-term order of the court that follows the short-term one of the case.
        short = order_apply(applicant, target, agency=get("local_authority"))
        other = ProtectionOrder.objects.create(
            case=elsewhere,
            perpetrator=perpetrator_of(elsewhere),
            order_type="short_term",
            applicant="police",
            issuing_agency=get("local_authority"),
            recorded_by=get("outsider"),
        )
        base = {"order_type": "long_term", "issuing_agency": get("court").pk}
        return short.pk, {"an order of another case": other.pk}, {**base, "applicant": "victim"}
    base = {"order_type": "short_term", "issuing_agency": get("local_authority").pk}
    choices = {
        "perpetrator": (
            perpetrator_of(target).pk,
            {"a perpetrator of another case": perpetrator_of(elsewhere).pk},
        ),
        "issuing_agency": (
            get("local_authority").pk,
            {"an agency of the wrong kind": get("shelter").pk, "a closed authority": closed.pk},
        ),
    }
    return *choices[name], {**base, "applicant": "police"}


def _order_probe(get, name: str, *, form: bool) -> Probe:
    from birge.justice.forms_orders import OrderApplyForm

    target = get("order_case")
    valid, others, base = _order_choices(get, name)
    body = {
        **base,
        "perpetrator": perpetrator_of(target).pk,
        "applied_on": _days(0),
    }
    return _case_route(
        get,
        "coordinator",
        target,
        "orders",
        OrderApplyForm if form else None,
        body,
        name,
        valid,
        others,
    )


def _case_route(get, who, target, what, form_class, body, name, valid, others) -> Probe:
    """A create under the case: its page (with `form_class`) or its API."""
    return Probe(
        client=(_browser if form_class else _api_client)(get, who),
        url=(
            f"/justice/cases/{target.pk}/{what}/new/"
            if form_class
            else f"/api/v1/cases/{target.pk}/{what}/"
        ),
        body=lambda x: {**body, name: x},
        valid=valid,
        others=others,
        form=form_class,
    )


_ORDER_FIELDS = ("follows", "issuing_agency", "perpetrator")
probe(*(f"api POST /api/v1/cases/{{case_id}}/orders/ {f}" for f in _ORDER_FIELDS))(
    partial(_order_probe, form=False)
)
probe(*(f"form birge.justice.forms_orders.OrderApplyForm {f}" for f in _ORDER_FIELDS))(
    partial(_order_probe, form=True)
)


def _perpetrator_ids(of_case, *, form: bool) -> int:
    """The perpetrator as a field names him: the page by his part in the case, the API by
    the person."""
    from birge.cases.models import CasePerson, Part

    part = CasePerson.objects.get(case=of_case, part=Part.PERPETRATOR)
    return part.pk if form else part.person_id


def _justice_probe(get, name: str, *, what: str, form: bool) -> Probe:
    """A proceeding (`what` "proceedings") or a programme referral ("programmes") recorded
    by the police investigator in the case's circle."""
    from birge.justice.forms_proceedings import ProceedingForm, ProgrammeForm

    target, elsewhere = get("justice_case"), register_case(get("outsider"))
    closed = AgencyFactory(code="programme-closed", kind="shelter_ngo", is_active=False)
    Service.objects.create(
        agency=closed, kind=ServiceKind.PERPETRATOR_PROGRAMME, name_az="x", name_ru="x", name_en="x"
    )
    choices = {
        "perpetrator": (
            _perpetrator_ids(target, form=form),
            {"a perpetrator of another case": _perpetrator_ids(elsewhere, form=form)},
        ),
        "incident": (
            target.incidents.first().pk,
            {"an incident of another case": elsewhere.incidents.first().pk},
        ),
        "provider": (
            get("provider").pk,
            {
                "an agency that offers no programme": get("shelter").pk,
                "a closed provider": closed.pk,
            },
        ),
    }
    valid, others = choices[name]
    body = {"perpetrator": _perpetrator_ids(target, form=form)}
    if what == "proceedings":
        body |= {"kind": "criminal", "opened_on": _days(-3), "note": ""}
    else:
        body |= {"provider": get("provider").pk, "referred_on": _days(0), "note": ""}
    form_class = ProceedingForm if what == "proceedings" else ProgrammeForm
    return _case_route(
        get, "investigator", target, what, form_class if form else None, body, name, valid, others
    )


for _what, _form, _fields in (
    ("proceedings", "ProceedingForm", ("incident", "perpetrator")),
    ("programmes", "ProgrammeForm", ("perpetrator", "provider")),
):
    probe(*(f"api POST /api/v1/cases/{{case_id}}/{_what}/ {f}" for f in _fields))(
        partial(_justice_probe, what=_what, form=False)
    )
    probe(*(f"form birge.justice.forms_proceedings.{_form} {f}" for f in _fields))(
        partial(_justice_probe, what=_what, form=True)
    )


# --- The tests -----------------------------------------------------------------------------

API_FIELDS = api_id_fields()
FORM_FIELDS = form_id_fields()


def test_every_id_field_is_probed():
    found = API_FIELDS | FORM_FIELDS
    assert "api PATCH /api/v1/cases/{case_id}/ coordinator" in found
    assert "form birge.cases.forms.SealForm users" in found
    assert found - set(EVERYONES) == set(PROBES), "probe the new id field here"


def _answer(response, form_class) -> tuple:
    """What the person reads: the API's status and body; a page's status and its form's
    messages (or where it sends her, and the notes it leaves)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, response.json()
    if response.status_code in (301, 302, 303):
        notes = [str(m) for m in get_messages(response.wsgi_request)]
        return response.status_code, response["Location"], notes
    bound = {
        id(value): value
        for context in response.context
        for value in context.flatten().values()
        if isinstance(value, form_class) and value.is_bound
    }
    assert len(bound) == 1, "the page shows the form it was sent"
    [form] = bound.values()
    return response.status_code, {name: list(errors) for name, errors in form.errors.items()}


def _send(probe: Probe, value) -> Any:
    send = getattr(probe.client, probe.method)
    data = probe.body(value)
    if probe.form is None:
        response = send(probe.url, data, content_type="application/json", headers=probe.headers)
    else:
        response = send(probe.url, data)
    return _answer(response, probe.form)


@pytest.mark.parametrize("key", sorted(PROBES))
def test_a_missing_id_and_one_not_hers_get_the_same_answer(request, key, closed_agency):
    request.getfixturevalue("other_series")
    probe = PROBES[key](request.getfixturevalue)
    missing = _send(probe, NEVER)

    for why, other in probe.others.items():
        assert _send(probe, other) == missing, why
    chosen = _send(probe, probe.valid)
    assert chosen != missing
    assert chosen[0] < 400 and (probe.form is None or chosen[0] >= 300 or not chosen[1]), chosen


def test_who_may_not_choose_a_coordinator_is_refused_before_the_id_is_looked_at(request, db):
    """The officer opened the case but does not coordinate it: a 403 for any id, the
    agency's coordinator's included, so that she learns nothing of which ids are whose."""
    get = request.getfixturevalue
    target = get("case")
    refused = Probe(
        client=_api_client(get, "officer"),
        method="patch",
        url=f"/api/v1/cases/{target.pk}/",
        body=lambda user: {"coordinator": user},
        headers={"If-Match": f'"{target.pk}-{target.version}"'},
        valid=None,
        others={},
    )
    ids = (NEVER, get("ganja_coordinator").pk, get("coordinator").pk)

    answers = {str(_send(refused, user)) for user in ids}

    assert len(answers) == 1
    assert answers.pop().startswith("(403,")


def test_a_possible_match_answer_for_someone_elses_participant_reads_as_a_closed_one(request, db):
    get = request.getfixturevalue
    target, other = get("case"), register_case(get("outsider"))
    client = _browser(get, "coordinator")

    def answer(participant):
        body = {"participant": participant, "match": "x", "answer": "same"}
        response = client.post(f"/cases/{target.pk}/possible-match/", body)
        last_note = [str(m) for m in get_messages(response.wsgi_request)][-1]
        return response.status_code, response["Location"], last_note

    others = [answer(p.pk) for p in other.participants.all()]
    assert others and all(a == answer(NEVER) for a in others)
