"""API tokens: obtained with username, password and a current two-factor code."""

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.accounts.services import two_factor_enrolled
from birge.audit.services import event_record
from birge.web.api import LineField
from birge.web.api_schema import errors


class TokenRequestSerializer(serializers.Serializer):
    username = LineField(max_length=150)
    password = LineField(max_length=128, trim_whitespace=False)
    code = LineField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("Current code from the authenticator app (or a recovery code)."),
    )


class TokenCreateView(APIView):
    """Exchange username, password and two-factor code for a bearer token (12 hours)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: inline_serializer(
                "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
            ),
            **errors(429),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            return Response(
                {"non_field_errors": [_("The username or password is not correct.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if two_factor_enrolled(user) or settings.BIRGE_REQUIRE_2FA:
            code = "".join(data.get("code", "").split()).lower()
            device = django_otp.match_token(user, code) if code else None
            if device is None:
                event_record(
                    action="api.token.failed", actor=user, object_type="user", object_id=user.pk
                )
                return Response(
                    {"code": [_("Enter a current two-factor code.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        instance, token = AuthToken.objects.create(user)
        event_record(action="api.token.created", actor=user, object_type="user", object_id=user.pk)
        return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    """Revoke the token this request was made with."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        request._auth.delete()
        event_record(
            action="api.token.revoked",
            actor=request.user,
            object_type="user",
            object_id=request.user.pk,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
