"""Who is asking, from where, in which request: set by middleware, read by the audit log."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("birge_request", default=_EMPTY)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind BIRGE_PROXY_COUNT proxies."""
    proxies = settings.BIRGE_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def begin(request: HttpRequest) -> RequestContext:
    context = RequestContext(request_id=uuid.uuid4().hex, ip=client_ip(request))
    _current.set(context)
    return context


def end() -> None:
    _current.set(RequestContext())


def current() -> RequestContext:
    return _current.get()
