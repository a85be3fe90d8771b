"""Who is asking, from where, in which request: set by middleware, read by the audit log."""

import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("birge_request", default=_EMPTY)
# What this request has read once and may read again (who she is allowed to see, say);
# None outside a request, where nothing is remembered.
_memo: ContextVar[dict | None] = ContextVar("birge_request_memo", default=None)

T = TypeVar("T")


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
    _memo.set({})
    return context


def end() -> None:
    _current.set(RequestContext())
    _memo.set(None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per request (every call outside a request computes afresh).

    For facts that many parts of one page ask for and that a request rarely changes; a
    write that changes one calls `forget()`.
    """
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    """Drop what this request remembered, after a write that may have changed it."""
    memo = _memo.get()
    if memo:
        memo.clear()


def current() -> RequestContext:
    return _current.get()
