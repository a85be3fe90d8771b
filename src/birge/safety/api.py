"""Safety plans over the API (read): the same access policy and read audit as the pages.

Plans are written on the pages, where the worker sees the warning about what must not
go on the victim's copy."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.safety import selectors, services
from birge.safety.models import SECTION_NAMES, SafetyPlan
from birge.web.api import LineField, TextField


class SafetyActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = TextField()
    agency = serializers.IntegerField(source="agency_id")
    responsible = serializers.IntegerField(source="responsible_id", allow_null=True)
    due_on = serializers.DateField()
    status = LineField()


class SafetyPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    victim = serializers.IntegerField(source="victim_id")
    language = LineField()
    version = serializers.IntegerField()
    revision = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    def get_revision(self, plan) -> int | None:
        current = self.context["detail"].current
        return current.number if current else None

    def get_sections(self, plan) -> dict[str, str]:
        current = self.context["detail"].current
        return {name: getattr(current, name) if current else "" for name in SECTION_NAMES}

    def get_actions(self, plan) -> list[dict]:
        return SafetyActionSerializer(self.context["detail"].actions, many=True).data


class SafetyPlanListView(APIView):
    """The case's safety plans: ids and the victims they belong to."""

    @extend_schema(responses=serializers.ListSerializer(child=serializers.DictField()))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        plans = SafetyPlan.objects.filter(case=case).order_by("id")
        return Response(
            [{"id": p.pk, "victim": p.victim_id, "language": p.language} for p in plans]
        )


class SafetyPlanDetailView(APIView):
    """One plan: its current sections, revision number and actions. The read is audited."""

    @extend_schema(responses=SafetyPlanSerializer)
    def get(self, request, case_id: int, plan_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        plan = get_object_or_404(SafetyPlan, case=case, pk=plan_id)
        services.safety_plan_read_record(user=request.user, case=case, plan=plan, channel="api")
        detail = selectors.safety_plan_detail(plan=plan)
        return Response(SafetyPlanSerializer(plan, context={"detail": detail}).data)
