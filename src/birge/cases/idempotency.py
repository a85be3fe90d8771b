"""Idempotency-Key on every create of the API: a repeat gets the first answer.

A client that lost the answer to a POST sends it again with the same `Idempotency-Key`
header. Within 24 hours the same key from the same user, on the same route with the same
body, creates nothing: it gets the first answer again (status and body) with
`Idempotent-Replayed: true`. The same key with another route or body is a 422; another
user's key is another key. Two copies arriving at once cannot both create: the key is
claimed with a unique row inside the create's transaction, and the second copy waits for
the first to commit (then replays its answer) or to fail (then runs itself).

Only successful answers are kept: a refused request (400, 404, …) leaves the key free, so
the client can correct the body and send it again under the same key.
"""

import hashlib
import json
from datetime import datetime, timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from birge.cases.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_MAX_LENGTH = 100
KEPT = timedelta(hours=24)
# The answer's headers worth replaying (where the created thing is, its version, counts).
KEPT_HEADERS = ("Location", "ETag")
KEPT_HEADER_PREFIX = "X-Birge-"


def _body_sha256(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body: a QueryDict
        data = {name: values for name, values in data.lists()}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _claim(*, user, key: str, route: str, body_sha256: str):
    """The new row for this key (None when an earlier one holds it), and the earlier one.

    On PostgreSQL a second INSERT of the same key waits for the first transaction: its
    commit makes this one an IntegrityError (then the earlier row is read under a lock);
    its rollback lets this one through."""
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                user=user, key=key, route=route, body_sha256=body_sha256
            ), None
    except IntegrityError:
        earlier = IdempotentRequest.objects.select_for_update().get(user=user, key=key)
    if earlier.created_at < timezone.now() - KEPT:
        # Expired (the job has not run yet): the key is free again.
        earlier.delete()
        return _claim(user=user, key=key, route=route, body_sha256=body_sha256)
    return None, earlier


def _replay(earlier: IdempotentRequest) -> Response:
    answer = json.loads(earlier.answer or "{}")
    response = Response(answer.get("body"), status=earlier.status)
    for name, value in answer.get("headers", {}).items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def _refused(message: str) -> Response:
    return Response({HEADER: [message]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def _answer(response: Response) -> str:
    body = None
    if response.data is not None:
        body = json.loads(JSONRenderer().render(response.data) or b"null")
    headers = {
        name: value
        for name, value in response.items()
        if name in KEPT_HEADERS or name.startswith(KEPT_HEADER_PREFIX)
    }
    return json.dumps({"body": body, "headers": headers}, ensure_ascii=False)


def _case_id(kwargs: dict, response: Response, case_in_answer: bool) -> int | None:
    if "case_id" in kwargs:
        return kwargs["case_id"]
    if case_in_answer and isinstance(response.data, dict):
        return response.data.get("id")
    return None


def idempotent(view=None, *, case_in_answer: bool = False):
    """Mark an APIView's create method (`post`) idempotent under the Idempotency-Key header.

    `case_in_answer`: the answer's `id` is the case it created (case registration), so that
    the kept answer goes when that case is forgotten. The schema documents the header and
    the 422 for every method so marked (birge.web.api_schema.AutoSchema)."""

    def decorate(method):
        @wraps(method)
        def handle(self, request, *args, **kwargs):
            key = request.headers.get(HEADER, "").strip()
            if not key:
                return method(self, request, *args, **kwargs)
            if len(key) > KEY_MAX_LENGTH:
                return _refused(
                    _("Send an Idempotency-Key of at most %(max)d characters.")
                    % {"max": KEY_MAX_LENGTH}
                )
            route = f"{request.method} {request.path}"[:300]
            body_sha256 = _body_sha256(request)
            with transaction.atomic():
                claimed, earlier = _claim(
                    user=request.user, key=key, route=route, body_sha256=body_sha256
                )
                if earlier is not None:
                    if (earlier.route, earlier.body_sha256) != (route, body_sha256):
                        return _refused(
                            _(
                                "This Idempotency-Key was sent before with another request. "
                                "Use a new key for a new request."
                            )
                        )
                    return _replay(earlier)
                response = method(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    claimed.status = response.status_code
                    claimed.answer = _answer(response)
                    claimed.case_id = _case_id(kwargs, response, case_in_answer)
                    claimed.save(update_fields=["status", "answer", "case"])
                else:
                    claimed.delete()  # a refusal does not use the key up
            return response

        handle.idempotent = True  # type: ignore[attr-defined]
        return handle

    return decorate(view) if view is not None else decorate


def idempotent_requests_expire(*, now: datetime | None = None) -> int:
    """Forget the answers kept longer than 24 hours; how many went."""
    before = (now or timezone.now()) - KEPT
    deleted, _kinds = IdempotentRequest.objects.filter(created_at__lt=before).delete()
    return deleted
