from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.agencies import selectors
from birge.agencies.models import Agency, Region
from birge.web.api import LineField
from birge.web.api_schema import errors


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name_az", "name_ru", "name_en"]


class AgencySerializer(serializers.ModelSerializer):
    region = RegionSerializer()

    class Meta:
        model = Agency
        fields = ["id", "code", "name_az", "name_ru", "name_en", "kind", "region", "is_active"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = LineField()
    display_name = LineField()
    agency = AgencySerializer()
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user: agency, roles and capabilities."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "agency": user.agency,
            "roles": sorted(user.roles.values_list("code", flat=True)),
            "capabilities": sorted(selectors.user_capabilities(user)),
        }
        return Response(MeSerializer(data).data)


@extend_schema(responses={200: AgencySerializer(many=True), **errors(404)})  # 404: no such page
class AgencyListView(generics.ListAPIView):
    """All agencies: a directory, visible to every signed-in user."""

    serializer_class = AgencySerializer
    queryset = selectors.agency_list()


class AgencyDetailView(generics.RetrieveAPIView):
    serializer_class = AgencySerializer
    queryset = selectors.agency_list()
