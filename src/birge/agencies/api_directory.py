"""The service directory and the co-operation protocol over the API (read).

Neither holds personal data; the same rules as the pages decide who may read them."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.agencies.directory import directory_visible_to, services_for
from birge.agencies.models import ServiceKind
from birge.agencies.protocol import protocol_in_force, protocol_versions_visible_to
from birge.web.api import LineField
from birge.web.api_schema import errors


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField(source="agency_id")
    kind = LineField()
    name_az = LineField()
    name_ru = LineField()
    name_en = LineField()
    regions = serializers.SerializerMethodField()
    capacity = serializers.IntegerField(allow_null=True)
    capacity_updated_at = serializers.DateTimeField(allow_null=True)
    contact = LineField()
    hours = LineField()
    languages = LineField()

    def get_regions(self, service) -> list[str]:
        return [region.code for region in service.regions.all()]


class ProtocolSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = LineField()
    content = serializers.JSONField()
    adopted_at = serializers.DateTimeField(allow_null=True)


class ServiceListView(APIView):
    """The directory of services, optionally of one kind or in one region (its code)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(ServiceKind.values)),
            OpenApiParameter("region", str, description="A region's code, e.g. baku."),
        ],
        responses={200: ServiceSerializer(many=True), **errors(404)},
    )
    def get(self, request):
        if not directory_visible_to(request.user):
            raise Http404
        kind = request.query_params.get("kind", "")
        services = services_for(kind=kind if kind in ServiceKind.values else None)
        region = request.query_params.get("region", "")
        if region:
            services = services.filter(regions__code=region[:40])
        return Response(ServiceSerializer(services, many=True).data)


class ProtocolInForceView(APIView):
    """The co-operation protocol in force: roles, pathways with promised response times."""

    @extend_schema(
        responses={200: ProtocolSerializer, **errors(404)}, operation_id="protocol_in_force"
    )
    def get(self, request):
        version = protocol_in_force()
        if version is None:
            raise Http404
        return Response(ProtocolSerializer(version).data)


class ProtocolVersionView(APIView):
    @extend_schema(responses=ProtocolSerializer, operation_id="protocol_version")
    def get(self, request, number: int):
        version = get_object_or_404(protocol_versions_visible_to(request.user), number=number)
        return Response(ProtocolSerializer(version).data)
