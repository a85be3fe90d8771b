"""Pages of the service directory: the list for everyone who refers, edit pages for the
agency's lead and for system administrators."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from birge.agencies import directory
from birge.agencies.forms import CapacityForm, ServiceFilterForm, ServiceForm
from birge.agencies.models import Region, Service
from birge.agencies.views import capability_required
from birge.web.forms import form_add_errors


def directory_required(view):
    """The directory is for people who refer and receive, and those who keep it; 404 else."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not directory.directory_visible_to(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@directory_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    filters = ServiceFilterForm(request.GET or None)
    kind = region = None
    if filters.is_valid():
        kind = filters.cleaned_data["kind"] or None
        code = filters.cleaned_data["region"]
        region = Region.objects.filter(code=code).first() if code else None
    manageable = directory.services_manageable_by(request.user)
    # Retired services are shown only to those who may bring them back.
    services = directory.services_for(kind=kind, region=region, active=None).filter(
        Q(is_active=True, agency__is_active=True) | Q(pk__in=manageable.values("pk"))
    )
    editable = set(manageable.values_list("pk", flat=True))
    rows = [(service, service.pk in editable) for service in services]
    return render(
        request,
        "agencies/service_list.html",
        {
            "filters": filters,
            "rows": rows,
            "can_add": directory.service_agencies_for(request.user).exists(),
        },
    )


def _managed_service(request, service_id: int) -> Service:
    return get_object_or_404(directory.services_manageable_by(request.user), pk=service_id)


def _render_form(request, service, form, capacity_form, status=200) -> HttpResponse:
    context = {"service": service, "form": form, "capacity_form": capacity_form}
    return render(request, "agencies/service_form.html", context, status=status)


@capability_required("users.manage")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    service = _managed_service(request, service_id) if service_id else Service()
    agencies = directory.service_agencies_for(request.user)
    if service.pk is None and agencies.count() == 1:
        service.agency = agencies.get()
    form = ServiceForm(request.POST or None, instance=service, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            service = directory.service_save(
                actor=request.user,
                service=form.save(commit=False),
                regions=list(form.cleaned_data["regions"]),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        except PermissionError:
            raise Http404 from None
        else:
            messages.success(request, _("Saved."))
            return redirect("agencies:service_edit", service_id=service.pk)
    capacity_form = CapacityForm(initial={"capacity": service.capacity}) if service.pk else None
    return _render_form(request, service, form, capacity_form)


@capability_required("users.manage")
def service_capacity(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _managed_service(request, service_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            directory.service_capacity_set(
                actor=request.user, service=service, capacity=form.cleaned_data["capacity"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Free places updated."))
            if request.POST.get("next") == "list":
                return redirect("agencies:service_list")
            return redirect("agencies:service_edit", service_id=service.pk)
    edit_form = ServiceForm(instance=service, agencies=directory.service_agencies_for(request.user))
    return _render_form(request, service, edit_form, form, status=400)
