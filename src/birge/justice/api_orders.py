"""The protection orders API: the same access policy (through the order's case) and the
same services as the pages. Creates (an application, a breach) are idempotent under
`Idempotency-Key`; a step may carry the `version` the client read (409 when stale); a
step the order's status does not allow is a 400 that says why."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.access.fields import HIDDEN, case_scopes, reveal
from birge.agencies.selectors import user_has_capability
from birge.cases.api import IncidentSerializer
from birge.cases.idempotency import idempotent
from birge.cases.models import Part, Person
from birge.justice import selectors_orders as selectors
from birge.justice.models import OrderBreach, OrderEvent, ProtectionOrder
from birge.justice.order_types import order_types
from birge.justice.services import orders as services
from birge.web.api import LineField, TextField
from birge.web.api_fields import IdField
from birge.web.api_schema import errors

# --- Out ------------------------------------------------------------------------------


class OrderEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderEvent.Kind.choices)
    on = serializers.DateField()
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    conditions = serializers.ListField(child=serializers.CharField())


class BreachSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    incident = serializers.IntegerField(source="incident_id")
    sanction = serializers.ChoiceField(choices=OrderBreach.Sanction.choices)
    sanctioned_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class OrderSerializer(serializers.Serializer):
    """An order; `places` is null and named in `hidden` where the victim's consent does not
    let your agency see her locations."""

    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    perpetrator = serializers.IntegerField(source="perpetrator_id")
    order_type = serializers.CharField()
    status = serializers.ChoiceField(choices=ProtectionOrder.Status.choices)
    applicant = serializers.CharField()
    applied_on = serializers.DateField(allow_null=True)
    issuing_agency = serializers.IntegerField(source="issuing_agency_id")
    issued_on = serializers.DateField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    conditions = serializers.ListField(child=serializers.CharField())
    places = serializers.SerializerMethodField()
    served_at = serializers.DateTimeField(allow_null=True)
    follows = serializers.IntegerField(source="follows_id", allow_null=True)
    version = serializers.IntegerField()
    hidden = serializers.SerializerMethodField()

    def _places(self, order):
        return reveal(order, "places", self.context["scopes"])

    def get_places(self, order) -> str | None:
        value = self._places(order)
        return None if value is HIDDEN else value

    def get_hidden(self, order) -> list[str]:
        return ["places"] if self._places(order) is HIDDEN else []


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True)
    breaches = BreachSerializer(many=True)


def _scopes(request, case) -> dict:
    return {"scopes": case_scopes(user=request.user, case=case)}


def _detail(request, order: ProtectionOrder, *, status_code=status.HTTP_200_OK) -> Response:
    order = selectors.order_get_for_user(user=request.user, order_id=order.pk)
    data = OrderDetailSerializer(order, context=_scopes(request, order.case)).data
    return Response(data, status=status_code)


# --- In -------------------------------------------------------------------------------


class OrderApplySerializer(serializers.Serializer):
    order_type = LineField(max_length=40, help_text=_("A code of the order types."))
    perpetrator = IdField(help_text=_("The person's id, a perpetrator of the case."))
    issuing_agency = IdField()
    applicant = serializers.ChoiceField(choices=ProtectionOrder.Applicant.choices)
    applied_on = serializers.DateField()
    follows = IdField(required=False, allow_null=True)


class _Version(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you last read; refused if stale.")
    )


class OrderIssueSerializer(_Version):
    issued_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    conditions = serializers.ListField(
        child=LineField(max_length=40), max_length=20, allow_empty=True
    )
    places = TextField(max_length=4000, required=False, allow_blank=True, default="")


class OrderNoteSerializer(_Version):
    note = TextField(max_length=4000, required=False, allow_blank=True, default="")


class OrderServeSerializer(_Version):
    served_at = serializers.DateTimeField()


class OrderExtendSerializer(OrderNoteSerializer):
    ends_on = serializers.DateField()


class OrderVarySerializer(OrderNoteSerializer):
    conditions = serializers.ListField(
        child=LineField(max_length=40), max_length=20, allow_empty=True
    )
    places = TextField(max_length=4000, required=False, allow_blank=True, default="")


class SanctionSerializer(serializers.Serializer):
    sanction = serializers.ChoiceField(choices=OrderBreach.Sanction.choices)
    sanctioned_on = serializers.DateField(required=False, allow_null=True, default=None)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Views ----------------------------------------------------------------------------


class OrderTypesView(APIView):
    """The protection order types in force: who issues each, its bounds in days, its
    conditions."""

    @extend_schema(operation_id="order_types", responses={200: dict})
    def get(self, request):
        types = order_types()
        return Response(
            {
                "jurisdiction": types.jurisdiction,
                "version": types.version,
                "types": [
                    {
                        "code": t.code,
                        "term": t.term,
                        "name": t.name,
                        "issuing_agency_kinds": list(t.issuing_agency_kinds),
                        "min_days": t.min_days,
                        "max_days": t.max_days,
                        "conditions": list(t.conditions),
                        "served_on": list(t.served_on),
                        "applicants": list(t.applicants),
                    }
                    for t in types.types.values()
                ],
                "conditions": {c: types.condition_name(c) for c in types.condition_names},
            }
        )


class CaseOrdersView(APIView):
    """A case's protection orders (GET); an application for one (POST)."""

    @extend_schema(
        operation_id="case_orders_list", responses={200: OrderSerializer(many=True), **errors(404)}
    )
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        orders = selectors.orders_of_case(case)[:200]
        return Response(OrderSerializer(orders, many=True, context=_scopes(request, case)).data)

    @extend_schema(
        operation_id="case_orders_create",
        request=OrderApplySerializer,
        responses={201: OrderDetailSerializer, **errors(400, 404)},
    )
    @idempotent
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        if not user_has_capability(request.user, "justice.record"):
            raise PermissionDenied
        data = _valid(OrderApplySerializer, request.data)
        data["perpetrator"] = _found(
            Person.objects.filter(parts__case=case, parts__part=Part.PERPETRATOR),
            data["perpetrator"],
            "perpetrator",
            _("Choose a perpetrator of this case."),
        )
        data["issuing_agency"] = _found(
            selectors.order_issuers(),
            data["issuing_agency"],
            "issuing_agency",
            _("There is no such agency."),
        )
        if data.get("follows"):
            data["follows"] = _found(
                ProtectionOrder.objects.filter(case=case),
                data["follows"],
                "follows",
                _("There is no such order in this case."),
            )
        else:
            data["follows"] = None
        order = services.order_apply(actor=request.user, case=case, **data)
        return _detail(request, order, status_code=status.HTTP_201_CREATED)


def _found(queryset, pk: int, field: str, message):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


class OrderDetailView(APIView):
    """One order with its events and breaches."""

    @extend_schema(
        operation_id="orders_retrieve", responses={200: OrderDetailSerializer, **errors(404)}
    )
    def get(self, request, order_id: int):
        order = selectors.order_get_for_user(user=request.user, order_id=order_id)
        services.order_view_record(user=request.user, order=order, channel="api")
        return _detail(request, order)


def _step(name: str, serializer_class, service, doc: str):
    class StepView(APIView):
        @extend_schema(
            operation_id=f"orders_{name}",
            description=doc,
            request=serializer_class,
            responses={200: OrderDetailSerializer, **errors(400, 404, 409)},
        )
        def post(self, request, order_id: int):
            order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
            data = _valid(serializer_class, request.data)
            service(actor=request.user, order=order, **data)
            return _detail(request, order)

    StepView.__name__ = f"Order{name.title()}View"
    StepView.__doc__ = doc
    return StepView


OrderIssueView = _step(
    "issue", OrderIssueSerializer, services.order_issue, "The issuing authority issues the order."
)
OrderRefuseView = _step(
    "refuse", OrderNoteSerializer, services.order_refuse, "The issuing authority refuses it."
)
OrderServeView = _step(
    "serve", OrderServeSerializer, services.order_serve, "The order was served on him."
)
OrderExtendView = _step(
    "extend", OrderExtendSerializer, services.order_extend, "The issuing authority extends it."
)
OrderVaryView = _step(
    "vary", OrderVarySerializer, services.order_vary, "The issuing authority changes conditions."
)
OrderRevokeView = _step(
    "revoke", OrderNoteSerializer, services.order_revoke, "The issuing authority revokes it."
)


class OrderBreachView(APIView):
    """A breach: the incident (as for the case's incidents), linked to the order."""

    @extend_schema(
        operation_id="orders_breach",
        request=IncidentSerializer,
        responses={201: BreachSerializer, **errors(400, 404)},
    )
    @idempotent
    def post(self, request, order_id: int):
        order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
        data = _valid(IncidentSerializer, request.data)
        breach = services.order_breach_record(actor=request.user, order=order, incident=data)
        return Response(BreachSerializer(breach).data, status=status.HTTP_201_CREATED)


class BreachSanctionView(APIView):
    """What the authorities did about a breach."""

    @extend_schema(
        operation_id="orders_breach_sanction",
        request=SanctionSerializer,
        responses={200: BreachSerializer, **errors(400, 404)},
    )
    def post(self, request, order_id: int, breach_id: int):
        order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
        breach = selectors.breach_get_for_user(user=request.user, order=order, breach_id=breach_id)
        data = _valid(SanctionSerializer, request.data)
        services.breach_sanction(actor=request.user, breach=breach, **data)
        return Response(BreachSerializer(breach).data)
