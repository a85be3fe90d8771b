"""The user's notifications over the API, newest first."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from birge.notifications import selectors
from birge.web.api_pagination import KeysetPagination


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField(help_text="In the language the request asked for.")
    url = serializers.CharField(help_text="The page it is about; empty when none.")
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListView(APIView):
    """Your notifications, newest first, read and unread. Page with `before` (the last id
    you saw)."""

    pagination_class = KeysetPagination

    @extend_schema(operation_id="notifications_list", responses=NotificationSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.notification_list(user=request.user), request)
        rows = [
            {
                "id": n.pk,
                "kind": n.kind,
                "text": text,
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
                "read_at": n.read_at,
            }
            for n, text in selectors.notifications_with_text(page)
        ]
        return paginator.get_paginated_response(NotificationSerializer(rows, many=True).data)
