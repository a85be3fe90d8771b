"""Birge's own error pages, in the person's language (handler400/403/404/500, CSRF)."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "web/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "web/error.html", {"status": 403}, status=403)


def page_not_found(request, exception=None):
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "web/error.html", {"status": 500}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
