"""Risk instruments over the API, so that agencies' own systems can render the same forms.

An instrument is data, not personal data: any signed-in user of the API may read it. The
texts come in the language the request asks for (Accept-Language: az, ru or en); the
evidence notes and the scoring notes are in English, as the files keep them.
"""

import re

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.cases.models import RiskLevel
from birge.risk import selectors
from birge.risk.engine import ANSWERS, LANGUAGES, LEVELS, answer_name, level_name
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.risk.services import REASON_MIN

# What the instrument file allows as a version (birge.risk.engine.schema).
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request.")


class CategorySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    category = serializers.CharField(help_text="The id of its category.")
    text = serializers.CharField(help_text="The question as asked.")
    label = serializers.CharField(help_text="A short name of the risk factor (in reasons).")
    critical = serializers.BooleanField(help_text="A yes sets `critical_level` on its own.")
    critical_level = serializers.ChoiceField(choices=RiskLevel.choices, allow_null=True)
    weight = serializers.FloatField(help_text="What a yes adds to a weighted score.")
    scope = serializers.CharField(
        allow_null=True,
        help_text="The consent scope her answer belongs to (health), if any: an agency "
        "her consent does not cover for it sees no answer.",
    )
    evidence = serializers.CharField(help_text="Why it is asked (English).")


class ThresholdSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    min_score = serializers.FloatField()
    provisional = serializers.BooleanField(
        help_text="Not yet validated on local outcomes (see `provisional_note`)."
    )


class ScreenInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["any_of", "at_least"],
        help_text="any_of: one yes among `items` is enough; at_least: `at_least` yes among "
        "`items` are.",
    )
    items = serializers.ListField(child=serializers.CharField())
    at_least = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RiskLevel.choices)


class IncompleteSerializer(serializers.Serializer):
    critical_items = serializers.ListField(
        child=serializers.CharField(),
        help_text="Any of these not known or declined makes the result incomplete (empty "
        "when the rule does not look at them).",
    )
    max_missing_share = serializers.FloatField(
        allow_null=True,
        help_text="More than this share of all answers not known or declined makes the "
        "result incomplete.",
    )


class ScoringSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["count", "weighted"],
        help_text='count: the number of "yes"; weighted: the sum of the weights of "yes".',
    )
    thresholds = ThresholdSerializer(
        many=True, help_text="Rising; below the first, the score gives standard."
    )
    provisional_note = serializers.CharField(allow_null=True)
    screen_in = ScreenInSerializer(many=True)
    incomplete = IncompleteSerializer(
        allow_null=True,
        help_text="When the answers cannot support a level: the result is incomplete, and "
        "it is submitted only with a level chosen by professional judgement and a written "
        "reason. Null: the instrument has no such rule.",
    )
    notes = serializers.CharField(help_text="Why the rules are what they are (English).")


class JudgementRulesSerializer(serializers.Serializer):
    reason_min_length = serializers.IntegerField(
        help_text="Characters of the written reason a professional judgement needs."
    )
    fear_for_life = serializers.ListField(
        child=serializers.CharField(),
        help_text="Values of `victim_fear` after which a level below `fear_minimum_level` "
        "needs a professional judgement with a written reason.",
    )
    fear_minimum_level = serializers.ChoiceField(choices=RiskLevel.choices)


class InstrumentSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request.")
    description = serializers.CharField()
    active = serializers.BooleanField(help_text="May be used for a new assessment.")
    current = serializers.BooleanField(
        help_text="The newest active version of the instrument: what a new assessment uses "
        "unless it names another active version."
    )
    item_count = serializers.IntegerField(help_text="The number of questions.")
    sha256 = serializers.CharField(help_text="Of the stored instrument: a version never changes.")
    url = serializers.CharField()


class InstrumentSerializer(InstrumentSummarySerializer):
    language = serializers.ChoiceField(choices=LANGUAGES, help_text="Of the texts.")
    categories = CategorySerializer(many=True)
    items = ItemSerializer(many=True)
    answers = ChoiceSerializer(many=True, help_text="The four answers every item takes.")
    levels = ChoiceSerializer(many=True, help_text="The risk levels, lowest first.")
    victim_fear = ChoiceSerializer(many=True, help_text="Her own view of the danger.")
    scoring = ScoringSerializer()
    judgement = JudgementRulesSerializer()


def _language() -> str:
    language = (translation.get_language() or "az")[:2]
    return language if language in LANGUAGES else "az"


def _summary(version: InstrumentVersion, language: str, current: set[int]) -> dict:
    instrument = version.instrument
    return {
        "id": version.instrument_id,
        "version": version.version,
        "name": instrument.names[language],
        "description": instrument.descriptions[language],
        "active": version.is_active,
        "current": version.pk in current,
        "item_count": len(instrument.items),
        "sha256": version.sha256,
        "url": f"/api/v1/instruments/{version.instrument_id}/{version.version}/",
    }


def _detail(version: InstrumentVersion, language: str, current: set[int]) -> dict:
    instrument = version.instrument
    plan = instrument.plan
    scoring = instrument.scoring
    incomplete = plan.incomplete
    return {
        **_summary(version, language, current),
        "language": language,
        "categories": [
            {"id": category, "name": names[language]}
            for category, names in instrument.categories.items()
        ],
        "items": [
            {
                "id": item.id,
                "category": item.category,
                "text": item.texts[language],
                "label": item.labels[language],
                "critical": item.critical,
                "critical_level": plan.critical_levels.get(item.id),
                "weight": item.weight,
                "scope": item.scope or None,
                "evidence": item.evidence,
            }
            for item in instrument.items
        ],
        "answers": [{"value": a, "name": answer_name(a, language)} for a in ANSWERS],
        "levels": [{"value": level, "name": level_name(level, language)} for level in LEVELS],
        "victim_fear": [
            {"value": value, "name": str(name)} for value, name in RiskAssessment.Fear.choices
        ],
        "scoring": {
            "method": plan.method,
            "thresholds": [
                {
                    "level": t["level"],
                    "min_score": t["min_score"],
                    "provisional": bool(t.get("provisional")),
                }
                for t in scoring.get("thresholds", [])
            ],
            "provisional_note": instrument.provisional_note.get(language),
            "screen_in": [
                {
                    "kind": rule.kind,
                    "items": list(rule.items),
                    "at_least": rule.at_least,
                    "level": rule.level,
                }
                for rule in plan.screen_rules
            ],
            "incomplete": None
            if incomplete is None
            else {
                "critical_items": list(incomplete.critical),
                "max_missing_share": incomplete.max_missing_share,
            },
            "notes": scoring.get("notes", ""),
        },
        "judgement": {
            "reason_min_length": REASON_MIN,
            "fear_for_life": [
                RiskAssessment.Fear.VERY_AFRAID.value,
                RiskAssessment.Fear.CHILD_LIFE.value,
            ],
            "fear_minimum_level": RiskLevel.HIGH.value,
        },
    }


class InstrumentListView(APIView):
    """The instrument versions that may be used for a new assessment; `current` marks the
    newest of each instrument, which a new assessment uses unless it names another."""

    @extend_schema(responses=InstrumentSummarySerializer(many=True))
    def get(self, request):
        current = {v.pk for v in selectors.instruments_current()}
        language = _language()
        return Response(
            InstrumentSummarySerializer(
                [_summary(v, language, current) for v in selectors.instruments_active()],
                many=True,
            ).data
        )


class InstrumentDetailView(APIView):
    """One version of an instrument, active or not (old assessments keep theirs): its
    questions, answers, categories, bands, rules and the incomplete rule, in the language
    of the request."""

    @extend_schema(responses=InstrumentSerializer)
    def get(self, request, instrument_id: str, version: str):
        if not _VERSION.fullmatch(version):
            raise Http404
        found = InstrumentVersion.objects.filter(instrument_id=instrument_id, version=version)
        instrument_version = found.first()
        if instrument_version is None:
            raise Http404
        current = {v.pk for v in selectors.instruments_current()}
        return Response(
            InstrumentSerializer(_detail(instrument_version, _language(), current)).data
        )
