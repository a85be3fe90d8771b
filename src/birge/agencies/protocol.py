"""The co-operation protocol's content: its shape, and the promises read from it.

`ProtocolVersion.content` is JSON of this shape (every text in az, ru and en)::

    {
      "title": {"az": …, "ru": …, "en": …},
      "roles": [{"agency_kind": "police", "text": {…}}],
      "pathways": [
        {"id": "shelter-place", "situation": {…}, "service_kind": "shelter",
         "response_hours": 4, "min_risk": ""}
      ],
      "contacts": [{"agency": "<agency code>", "text": {…}}],
      "information_sharing": {…}
    }

A pathway says which situation goes to which kind of service, and how many hours the
receiving agency promises to answer in; `min_risk` ("" or a risk level) makes a pathway
apply only from that level up (e.g. police acknowledge a high-risk referral in 24 h).

People edit the content as YAML (`protocol_from_yaml`, `protocol_to_yaml`); whatever the
route, `protocol_validate` says in sentences what is wrong. Agency leads draft and propose
versions; the coordinating body adopts one (`protocol_draft_save`, `protocol_propose`,
`protocol_adopt`), which supersedes the version in force. Every step is audited.
"""

from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from jsonschema import Draft202012Validator, validators

from birge.agencies.models import Agency, ProtocolVersion, ServiceKind, User
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record

LANGUAGES = ("az", "ru", "en")
# In a sentence ("the English text is missing"); the language menu names each language in
# itself instead (birge.web.languages).
LANGUAGE_NAMES = {
    "az": pgettext_lazy("the language of a text", "Azerbaijani"),
    "ru": pgettext_lazy("the language of a text", "Russian"),
    "en": pgettext_lazy("the language of a text", "English"),
}
RISK_LEVELS = ("standard", "medium", "high", "critical")  # lowest first
RISK_LEVEL_NAMES = {
    "standard": gettext_lazy("Standard"),
    "medium": gettext_lazy("Medium"),
    "high": gettext_lazy("High"),
    "critical": gettext_lazy("Critical"),
}
MAX_RESPONSE_HOURS = 24 * 365
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

_TEXT = {
    "type": "object",
    "properties": {
        lang: {"type": "string", "pattern": r"\S", "maxLength": 5000} for lang in LANGUAGES
    },
    "required": list(LANGUAGES),
    "additionalProperties": False,
}


def _list_of(properties: dict, required: list[str]) -> dict:
    return {
        "type": "array",
        "maxItems": 200,
        "items": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        },
    }


SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Birge co-operation protocol",
    "type": "object",
    "properties": {
        "title": _TEXT,
        "roles": _list_of(
            {"agency_kind": {"type": "string", "enum": list(Agency.Kind.values)}, "text": _TEXT},
            ["agency_kind", "text"],
        ),
        "pathways": {
            **_list_of(
                {
                    "id": {"type": "string", "pattern": SLUG, "maxLength": 64},
                    "situation": _TEXT,
                    "service_kind": {"type": "string", "enum": list(ServiceKind.values)},
                    "response_hours": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_RESPONSE_HOURS,
                    },
                    "min_risk": {"type": "string", "enum": ["", *RISK_LEVELS]},
                },
                ["id", "situation", "service_kind", "response_hours"],
            ),
            "minItems": 1,
        },
        "contacts": _list_of(
            {"agency": {"type": "string", "maxLength": 60}, "text": _TEXT}, ["agency", "text"]
        ),
        "information_sharing": _TEXT,
    },
    "required": ["title", "roles", "pathways", "contacts", "information_sharing"],
    "additionalProperties": False,
}

# 4.0 is not a number of hours anyone typed on purpose; JSON Schema would let it pass.
_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    ),
)
_VALIDATOR = _Validator(SCHEMA)
_MAX_MESSAGES = 30


# Validation ------------------------------------------------------------------------------


def protocol_validate(content: Any) -> list[str]:
    """What is wrong with the content, one sentence per problem; empty when it is sound."""
    errors = sorted(_VALIDATOR.iter_errors(content), key=lambda e: _path_key(e.absolute_path))
    messages = [_schema_message(content, error) for error in errors]
    if isinstance(content, dict):
        messages += _meaning_messages(content)
    return list(dict.fromkeys(messages))[:_MAX_MESSAGES]


def _path_key(path) -> list:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path]


def _where(content: Any, path: list) -> str:
    """Where in the content: `pathways › “shelter-place” › response_hours`."""
    parts, node = [], content
    for step in path:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            name = None
            if isinstance(item, dict):
                name = next(
                    (
                        item[k]
                        for k in ("id", "agency_kind", "agency")
                        if isinstance(item.get(k), str)
                    ),
                    None,
                )
            parts.append(f"“{name}”" if name else f"#{step + 1}")
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return " › ".join(parts) if parts else _("The protocol")


def _schema_message(content: Any, error) -> str:
    path = list(error.absolute_path)
    field = path[-1] if path and isinstance(path[-1], str) else None
    validator, value = error.validator, error.instance
    where = _where(content, path)
    if validator == "required":
        missing = next(name for name in error.validator_value if name not in value)
        if missing in LANGUAGES:
            problem = _("the %(language)s text is missing") % {"language": LANGUAGE_NAMES[missing]}
        else:
            problem = _("“%(name)s” is missing") % {"name": missing}
    elif validator == "pattern" and field in LANGUAGES:
        where = _where(content, path[:-1])
        problem = _("the %(language)s text is empty") % {"language": LANGUAGE_NAMES[field]}
    elif field == "response_hours" and validator in ("type", "minimum"):
        problem = _("the response time must be a positive whole number of hours, not %(value)s") % {
            "value": _shown(value)
        }
    elif field == "response_hours" and validator == "maximum":
        problem = _("the response time can be at most %(hours)d hours (a year)") % {
            "hours": MAX_RESPONSE_HOURS
        }
    elif validator == "enum" and field == "service_kind":
        problem = _("“%(value)s” is not a kind of service; use one of: %(choices)s") % {
            "value": _shown(value),
            "choices": ", ".join(ServiceKind.values),
        }
    elif validator == "enum" and field == "min_risk":
        problem = _(
            "“%(value)s” is not a risk level; leave it empty or use one of: %(choices)s"
        ) % {"value": _shown(value), "choices": ", ".join(RISK_LEVELS)}
    elif validator == "enum" and field == "agency_kind":
        problem = _("“%(value)s” is not a kind of agency; use one of: %(choices)s") % {
            "value": _shown(value),
            "choices": ", ".join(Agency.Kind.values),
        }
    elif validator == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = ", ".join(f"“{key}”" for key in value if key not in known)
        problem = _("unknown key %(keys)s") % {"keys": extra}
    elif validator == "pattern" and field == "id":
        problem = _(
            "an id is made of small latin letters, digits and hyphens, such as “shelter-place”"
        )
    elif validator == "maxLength":
        problem = _("too long: at most %(count)d characters") % {"count": error.validator_value}
    elif validator == "minItems":
        problem = _("needs at least one entry")
    elif validator == "maxItems":
        problem = _("too many entries: at most %(count)d") % {"count": error.validator_value}
    elif validator == "type":
        problem = _("should be %(expected)s, not %(actual)s") % {
            "expected": _type_names().get(error.validator_value, error.validator_value),
            "actual": _kind(value),
        }
    else:
        problem = error.message
    return f"{where}: {problem}"


def _type_names() -> dict:
    return {
        "object": _("a mapping of keys to values"),
        "array": _("a list"),
        "string": _("text"),
        "integer": _("a whole number"),
    }


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("yes/no")
    if isinstance(value, int | float):
        return _("the number %(value)s") % {"value": value}
    if isinstance(value, str):
        return _("text")
    return _("a %(type)s") % {"type": type(value).__name__}


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _meaning_messages(content: dict) -> list[str]:
    """What a schema cannot say: ids used twice, contacts naming no agency."""
    messages = []
    pathways = content.get("pathways")
    seen: set[str] = set()
    for pathway in pathways if isinstance(pathways, list) else []:
        pathway_id = pathway.get("id") if isinstance(pathway, dict) else None
        if isinstance(pathway_id, str) and pathway_id in seen:
            messages.append(
                _("pathways: the id “%(id)s” is used more than once; each pathway needs its own")
                % {"id": pathway_id}
            )
        seen.add(pathway_id)
    roles = content.get("roles")
    kinds: set[str] = set()
    for role in roles if isinstance(roles, list) else []:
        kind = role.get("agency_kind") if isinstance(role, dict) else None
        if isinstance(kind, str) and kind in kinds:
            messages.append(
                _("roles: the agency kind “%(kind)s” is described more than once") % {"kind": kind}
            )
        kinds.add(kind)
    contacts = content.get("contacts")
    codes = [
        c["agency"]
        for c in (contacts if isinstance(contacts, list) else [])
        if isinstance(c, dict) and isinstance(c.get("agency"), str)
    ]
    known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in dict.fromkeys(codes):
        if code not in known:
            messages.append(
                _("contacts › “%(code)s”: no agency has this code") % {"code": _shown(code)}
            )
    return messages


# YAML, the form people edit the content in ---------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys (a silently lost translation) and aliases
    (a few lines of anchors can expand into gigabytes of JSON)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(
                problem=str(_("anchors and aliases are not allowed")), problem_mark=mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        keys = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.MarkedYAMLError(
                    problem=str(_("a key must be a plain word")), problem_mark=key_node.start_mark
                )
            if key in keys:
                raise yaml.MarkedYAMLError(
                    problem=str(_("the key “%(key)s” appears twice") % {"key": key}),
                    problem_mark=key_node.start_mark,
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def protocol_from_yaml(text: str) -> tuple[Any, list[str]]:
    """The content read from YAML, and what is wrong with it (nothing when sound)."""
    try:
        content = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = (
            _(" (line %(line)d, column %(column)d)")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark is not None
            else ""
        )
        return None, [
            _("This is not valid YAML: %(problem)s%(where)s.")
            % {
                "problem": exc.problem or exc.context or "?",
                "where": where,
            }
        ]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        if isinstance(exc, RecursionError):
            return None, [_("This is not valid YAML: it is nested too deeply.")]
        return None, [_("This is not valid YAML: %(problem)s.") % {"problem": exc}]
    if content is None:
        return None, [_("The protocol is empty.")]
    return content, protocol_validate(content)


def protocol_to_yaml(content: dict) -> str:
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)


# Reading the promises --------------------------------------------------------------------


def protocol_in_force() -> ProtocolVersion | None:
    """The adopted version with the highest number."""
    return (
        ProtocolVersion.objects.filter(status=ProtocolVersion.Status.ADOPTED)
        .order_by("-number")
        .first()
    )


def response_hours(
    *, version: ProtocolVersion | None, service_kind: str, risk_level: str | None
) -> int | None:
    """The hours the protocol promises for a referral to this kind of service at this risk
    level; None when it promises nothing. Of the pathways for the service kind that apply
    (min_risk "" or at most the risk level), the most specific one (highest min_risk) wins;
    of equally specific ones, the shortest promise."""
    if version is None:
        return None
    rank = RISK_LEVELS.index(risk_level) if risk_level in RISK_LEVELS else -1
    best: tuple[int, int] | None = None
    for pathway in version.content.get("pathways", []):
        if pathway.get("service_kind") != service_kind:
            continue
        min_risk = pathway.get("min_risk") or ""
        needed = RISK_LEVELS.index(min_risk) if min_risk in RISK_LEVELS else -1
        if needed > rank:
            continue
        candidate = (needed, -int(pathway["response_hours"]))
        if best is None or candidate > best:
            best = candidate
    return None if best is None else -best[1]


def response_hours_in_force(*, service_kind: str, risk_level: str | None) -> int | None:
    """`response_hours` of the version in force."""
    return response_hours(
        version=protocol_in_force(), service_kind=service_kind, risk_level=risk_level
    )


# Who may do what ---------------------------------------------------------------------------


def protocol_can_draft(user) -> bool:
    """Agency leads (users.manage) and administrators (protocol.manage) propose changes."""
    return user_has_capability(user, "users.manage") or user_has_capability(user, "protocol.manage")


def protocol_can_adopt(user) -> bool:
    """Only the coordinating body adopts a version."""
    return (
        user_has_capability(user, "protocol.manage")
        and user.agency.kind == Agency.Kind.COORDINATING_BODY
    )


def protocol_versions_visible_to(user) -> QuerySet[ProtocolVersion]:
    """Every version but other people's drafts (those who maintain the protocol see all)."""
    versions = ProtocolVersion.objects.select_related("created_by", "adopted_by")
    if user_has_capability(user, "protocol.manage"):
        return versions
    return versions.filter(~Q(status=ProtocolVersion.Status.DRAFT) | Q(created_by_id=user.pk))


# Changes -----------------------------------------------------------------------------------


def _check_content(content: Any) -> None:
    errors = protocol_validate(content)
    if errors:
        raise ValidationError({"content": errors})


def _locked(version: ProtocolVersion) -> ProtocolVersion:
    return ProtocolVersion.objects.select_for_update().get(pk=version.pk)


def protocol_draft_save(
    *, actor: User, content: dict, note: str, version: ProtocolVersion | None = None
) -> ProtocolVersion:
    """A new draft with the next number, or changes to the actor's own draft."""
    if not protocol_can_draft(actor):
        raise PermissionError("may not draft the protocol")
    _check_content(content)
    try:
        with transaction.atomic():
            if version is None:
                # Lock the versions there are, then count: two drafts at once queue here.
                list(ProtocolVersion.objects.select_for_update().values_list("pk", flat=True))
                last = ProtocolVersion.objects.aggregate(last=Max("number"))["last"] or 0
                version = ProtocolVersion(number=last + 1, created_by=actor)
                created = True
            else:
                version = _locked(version)
                if version.created_by_id != actor.pk:
                    raise PermissionError("not her draft")
                if version.status != ProtocolVersion.Status.DRAFT:
                    raise ValidationError(
                        _("Only a draft can be changed; this version is already %(status)s.")
                        % {"status": version.get_status_display().lower()}
                    )
                created = False
            version.content, version.note = content, note
            version.save()
            event_record(
                action="protocol.drafted",
                actor=actor,
                object_type="protocol",
                object_id=version.number,
                data={"created": created},
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone saved a version at the same moment; please save again.")
        ) from None
    return version


def protocol_propose(*, actor: User, version: ProtocolVersion) -> ProtocolVersion:
    """Her draft goes to the coordinating body for adoption; it no longer changes."""
    if not protocol_can_draft(actor) or version.created_by_id != actor.pk:
        raise PermissionError("not her draft")
    with transaction.atomic():
        version = _locked(version)
        if version.status != ProtocolVersion.Status.DRAFT:
            raise ValidationError(
                _("Only a draft can be proposed; this version is already %(status)s.")
                % {"status": version.get_status_display().lower()}
            )
        _check_content(version.content)
        version.status = ProtocolVersion.Status.PROPOSED
        version.save(update_fields=["status"])
        event_record(
            action="protocol.proposed",
            actor=actor,
            object_type="protocol",
            object_id=version.number,
        )
    return version


def protocol_adopt(*, actor: User, version: ProtocolVersion) -> ProtocolVersion:
    """The coordinating body adopts a proposed version; the one in force is superseded."""
    if not protocol_can_adopt(actor):
        raise PermissionError("only the coordinating body adopts")
    with transaction.atomic():
        # Every version locked, in order: two adoptions at once cannot both stay in force.
        list(ProtocolVersion.objects.select_for_update().order_by("number").values_list("pk"))
        version = ProtocolVersion.objects.get(pk=version.pk)
        if version.status != ProtocolVersion.Status.PROPOSED:
            raise ValidationError(
                _("Only a proposed version can be adopted; this version is %(status)s.")
                % {"status": version.get_status_display().lower()}
            )
        _check_content(version.content)
        previous = ProtocolVersion.objects.filter(status=ProtocolVersion.Status.ADOPTED)
        superseded = sorted(previous.values_list("number", flat=True))
        previous.update(status=ProtocolVersion.Status.SUPERSEDED)
        version.status = ProtocolVersion.Status.ADOPTED
        version.adopted_by, version.adopted_at = actor, timezone.now()
        version.save(update_fields=["status", "adopted_by", "adopted_at"])
        event_record(
            action="protocol.adopted",
            actor=actor,
            object_type="protocol",
            object_id=version.number,
            data={"superseded": superseded},
        )
    return version
