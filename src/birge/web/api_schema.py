"""The published OpenAPI schema tells every answer an operation can give, errors included.

drf-spectacular documents the success of each operation; `AutoSchema` adds the errors
that follow from its shape: 400 where it reads a body or a query, or writes; 415 where it
reads a body; 401 and 403 where it needs a token; 404 where its path names something; 409
where the body carries the `version` the client last read. What only a view knows (412
and 428 for If-Match, 429 while sign-in is paused, 404 for an id in the body) it declares
with `errors(...)` in its `extend_schema`.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}

# Added to the schema's components by `error_components`.
COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "An error: what went wrong, in the language the request asked for.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "The request was refused: `detail` when it could not be read at all, otherwise "
            "the messages per field (nested as the body is), and `non_field_errors`."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {"$ref": "#/components/schemas/FieldError"},
    },
    "FieldError": {
        "description": (
            "A field's messages; for a nested object its fields' errors, for a list of "
            "objects one entry per item."
        ),
        "anyOf": [
            {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, FIELD_ERRORS]},
            },
            FIELD_ERRORS,
        ],
    },
}

# Written for the developers of agencies' systems, in English as the operations' own.
_DESCRIPTIONS = {
    400: "The request was refused; the messages say why, per field where there is one.",
    401: "No valid token: sign in for one.",
    403: "Your role or agency may not do this.",
    404: "There is nothing here, or it is not yours to see.",
    409: "Someone else changed this meanwhile: reload, then try again.",
    412: "If-Match does not match the current version: reload, then try again.",
    415: "Send the body as application/json.",
    422: "This Idempotency-Key was sent before with another request: use a new key.",
    428: "Send the current ETag in If-Match.",
    429: "Sign-in for this account from this address is paused after failed attempts.",
}


# On every create marked idempotent (birge.cases.idempotency).
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Repeat a create safely (at most 100 characters, unique per request you mean). "
        "The same key with the same body within 24 hours creates nothing new: it answers "
        "the first answer again (its status and body) with the header "
        "`Idempotent-Replayed: true`. The same key with another body or route is a 422. "
        "Keys are per user."
    ),
)


def _response(code: int) -> dict:
    schema = FIELD_ERRORS if code in (400, 422) else ERROR
    return {
        "description": _DESCRIPTIONS[code],
        "content": {"application/json": {"schema": schema}},
    }


def error_components(result, generator, request, public):
    """A spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error answers a view declares in `extend_schema(responses={..., **errors(409)})`."""
    return {
        code: OpenApiResponse(
            response=FIELD_ERRORS if code in (400, 422) else ERROR,
            description=_DESCRIPTIONS[code],
        )
        for code in codes
    }


class AutoSchema(SpectacularAutoSchema):
    def _idempotent(self) -> bool:
        return getattr(getattr(self.view, self.method.lower(), None), "idempotent", False)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._idempotent():
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(str(code), _response(code))
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[int]:
        codes = []
        body = None
        if self.method in ("POST", "PUT", "PATCH"):
            body = force_instance(self.get_request_serializer())
        reads_body = body is not None
        reads_query = any(p.get("in") == "query" for p in self._get_parameters())
        # A write is checked by the service's rules, with or without a body.
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if reads_body or reads_query or writes:
            codes.append(400)
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += [401, 403]
        if "{" in self.path:
            codes.append(404)
        if reads_body and "version" in getattr(body, "fields", {}):
            codes.append(409)  # the version the client last read is stale
        if reads_body:
            codes.append(415)
        if self._idempotent():
            codes.append(422)
        return codes
