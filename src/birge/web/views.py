"""Birge's own error pages, in the person's language (handler400/403/404/500, CSRF); under
/api/ the same errors in JSON (birge.web.api)."""

from django.shortcuts import render

from birge.web.api import json_under_api


@json_under_api(400)
def bad_request(request, exception=None):
    return render(request, "web/error.html", {"status": 400}, status=400)


@json_under_api(403)
def permission_denied(request, exception=None):
    return render(request, "web/error.html", {"status": 403}, status=403)


@json_under_api(404)
def page_not_found(request, exception=None):
    return render(request, "web/error.html", {"status": 404}, status=404)


@json_under_api(500)
def server_error(request):
    return render(request, "web/error.html", {"status": 500}, status=500)


@json_under_api(403)
def csrf_failure(request, reason=""):
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
