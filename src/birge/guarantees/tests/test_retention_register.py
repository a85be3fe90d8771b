"""Promise: a closed case is forgotten after the retention period — all of it, whichever
app holds it.

The register (`birge.privacy.retention`) is where each app declares what it holds about a
case. These tests walk every model of the app registry: one that refers to a case or a
person (through its foreign keys) must be declared, and each of its text or personal
fields either forgotten or declared harmless; then they anonymise a full case and look for
anything of her left in any model."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from birge.access.registry import models as protected
from birge.cases import services as case_services
from birge.cases.services import cases_anonymise_expired
from birge.guarantees.tests.conftest import ADDRESS, PLACE, SHELTER, VICTIM_PHONE
from birge.privacy.fields import EncryptedFieldMixin
from birge.privacy.retention import holdings

# Django's own and third-party models, and models about staff rather than cases.
OUTSIDE = ("auth", "contenttypes", "sessions", "otp_totp", "otp_static", "axes", "knox")


def _refers_to_case_or_person(model, depth: int = 3) -> bool:
    roots = (protected.case, protected.person)
    seen, frontier = {model}, [model]
    for _ in range(depth):
        following = []
        for current in frontier:
            for field in current._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete:
                    continue
                target = field.related_model
                if target in roots:
                    return True
                if target not in seen:
                    seen.add(target)
                    following.append(target)
        frontier = following
    return model in roots


def _case_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in OUTSIDE and _refers_to_case_or_person(m)
    ]


def _is_text_or_personal(field) -> bool:
    if isinstance(field, EncryptedFieldMixin):
        return True
    if getattr(field, "choices", None):
        return False  # a code from a fixed list
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


def test_the_walk_finds_the_models_of_every_app():
    labels = {m._meta.label for m in _case_models()}
    assert {"cases.Case", "cases.Person", "risk.RiskAssessment", "referrals.Referral"} <= labels
    assert {"safety.SafetyPlanRevision", "conferences.ResearchNote"} <= labels


@pytest.mark.parametrize("model", _case_models(), ids=lambda m: m._meta.label)
def test_every_model_about_a_case_is_in_the_register(model):
    declared = {h.model for h in holdings()}
    assert model in declared, f"declare {model._meta.label} in its app's protection.py"


@pytest.mark.parametrize("model", _case_models(), ids=lambda m: m._meta.label)
def test_every_text_or_personal_field_is_forgotten_or_declared_harmless(model):
    holding = next((h for h in holdings() if h.model is model), None)
    if holding is None or holding.delete:
        return
    undeclared = [
        f.name
        for f in model._meta.concrete_fields
        if _is_text_or_personal(f) and f.name not in (*holding.blank, *holding.keep)
    ]
    assert not undeclared, f"{model._meta.label}: say what retention does to {undeclared}"


@pytest.mark.parametrize("model", _case_models(), ids=lambda m: m._meta.label)
def test_free_text_that_retention_forgets_is_encrypted_at_rest(model):
    holding = next((h for h in holdings() if h.model is model), None)
    if holding is None:
        return
    plain = [
        name
        for name in holding.blank
        if isinstance(model._meta.get_field(name), models.CharField | models.TextField)
        and not isinstance(model._meta.get_field(name), EncryptedFieldMixin)
    ]
    assert not plain, f"{model._meta.label}: encrypt {plain} at rest"


NAMES = ("Zümrüd", "Qəzənfərova", "Elşən", "Nuray")


def _everything_stored(text_of):
    """Every text and personal value in every model Birge keeps, decrypted."""
    for model in apps.get_models():
        if model._meta.app_label in OUTSIDE or model._meta.label == "audit.AuditEvent":
            continue
        fields = [f for f in model._meta.concrete_fields if _is_text_or_personal(f)]
        for row in model._base_manager.all():
            for field in fields:
                yield model._meta.label, field.name, text_of(getattr(row, field.attname))


def test_anonymising_a_case_leaves_nothing_of_her_in_any_model(world, settings, coordinator):
    built = world(scopes=["contact", "location", "health"])
    case = built["case"]
    case_services.case_close(actor=coordinator, case=case, reason="Zümrüd moved abroad, safe.")
    planted = [VICTIM_PHONE, ADDRESS, SHELTER, PLACE, *NAMES]
    victim = case.participants.get(part="victim").person
    victim.first_name, victim.last_name = NAMES[0], NAMES[1]
    victim.save(update_fields=["first_name", "last_name"])

    later = timezone.now() + timedelta(days=settings.BIRGE_RETENTION_DAYS + 1)
    assert cases_anonymise_expired(now=later) == 1

    left = [
        (label, name)
        for label, name, text in _everything_stored(str)
        if any(p in text for p in planted)
    ]
    assert not left


def test_no_reason_a_person_wrote_is_written_into_the_audit_log(world, coordinator):
    """The log is append-only and can never be erased: reasons are kept apart, encrypted and
    erasable, and the event points at them."""
    built = world(scopes=None)
    case_services.case_close(actor=coordinator, case=built["case"], reason="Zümrüd is safe.")

    from birge.audit.models import AuditEvent

    events = AuditEvent.objects.all()
    assert events.filter(data__has_key="reason").count() >= 3
    assert not [e.action for e in events if e.reason]
    assert not [e.action for e in events if "Zümrüd" in str(e.data)]
