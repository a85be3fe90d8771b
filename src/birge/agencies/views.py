from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from birge.agencies import selectors, services
from birge.agencies.capabilities import CAPABILITIES
from birge.agencies.forms import AgencyForm, ReasonForm, RegionForm, RoleForm, UserForm
from birge.agencies.models import Agency, Region, Role
from birge.web.forms import form_add_errors


def capability_required(capability: str):
    """Without the capability the page does not exist for the person: 404, not 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not selectors.user_has_capability(request.user, capability):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- Users ---------------------------------------------------------------------------


@capability_required("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.users_manageable_by(request.user)
    # PostgreSQL refuses NUL characters in text; nobody's name contains one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = Paginator(users.order_by("agency__code", "username"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/user_list.html", {"page": page, "query": query})


def _agencies_for(actor):
    if selectors.user_has_capability(actor, "agencies.manage"):
        return Agency.objects.filter(is_active=True)
    return Agency.objects.filter(pk=actor.agency_id)


@capability_required("users.manage")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(
        request.POST or None,
        agencies=_agencies_for(request.user),
        roles=selectors.roles_assignable_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                **{
                    k: form.cleaned_data[k]
                    for k in ("username", "first_name", "last_name", "email", "agency")
                },
                roles=list(form.cleaned_data["roles"]),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            services.user_invite(
                actor=request.user, user=user, base_url=request.build_absolute_uri("/")
            )
            messages.success(
                request, _("The user was created and a link to choose a password was emailed.")
            )
            return redirect("agencies:user_detail", user_id=user.pk)
    return render(request, "agencies/user_form.html", {"form": form})


def _managed_user(request, user_id: int):
    return get_object_or_404(selectors.users_manageable_by(request.user), pk=user_id)


@capability_required("users.manage")
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = UserForm(
        request.POST or None,
        instance=user,
        agencies=_agencies_for(request.user),
        roles=selectors.roles_assignable_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=user,
                **{k: form.cleaned_data[k] for k in ("first_name", "last_name", "email")},
                roles=list(form.cleaned_data["roles"]),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("agencies:user_detail", user_id=user.pk)
    return render(
        request,
        "agencies/user_detail.html",
        {"managed": user, "form": form, "reason_form": ReasonForm()},
    )


def _user_action(request, user_id: int, action) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            action(user, form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done."))
        return redirect("agencies:user_detail", user_id=user.pk)
    user_form = UserForm(
        instance=user,
        agencies=_agencies_for(request.user),
        roles=selectors.roles_assignable_by(request.user),
    )
    return render(
        request,
        "agencies/user_detail.html",
        {"managed": user, "form": user_form, "reason_form": form},
        status=400,
    )


@capability_required("users.manage")
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        lambda user, reason: services.user_set_active(
            actor=request.user, user=user, active=False, reason=reason
        ),
    )


@capability_required("users.manage")
@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        lambda user, reason: services.user_set_active(
            actor=request.user, user=user, active=True, reason=reason
        ),
    )


@capability_required("users.manage")
@require_POST
def user_two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        lambda user, reason: services.user_two_factor_reset(
            actor=request.user, user=user, reason=reason
        ),
    )


@capability_required("users.manage")
@require_POST
def user_invite(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    services.user_invite(actor=request.user, user=user, base_url=request.build_absolute_uri("/"))
    messages.success(request, _("A link to choose a password was emailed."))
    return redirect("agencies:user_detail", user_id=user.pk)


# --- Agencies and roles (system administrators) ----------------------------------------


@capability_required("agencies.manage")
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agencies/agency_list.html", {"agencies": selectors.agency_list()})


@capability_required("agencies.manage")
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else Agency()
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        services.agency_save(actor=request.user, agency=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("agencies:agency_list")
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


@capability_required("agencies.manage")
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agencies/region_list.html", {"regions": Region.objects.all()})


@capability_required("agencies.manage")
@require_http_methods(["GET", "POST"])
def region_edit(request: HttpRequest, region_id: int | None = None) -> HttpResponse:
    region = get_object_or_404(Region, pk=region_id) if region_id else Region()
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        services.region_save(actor=request.user, region=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("agencies:region_list")
    return render(request, "agencies/region_form.html", {"form": form, "region": region})


@capability_required("agencies.manage")
def role_list(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.all())
    matrix = [
        (label, [code in role.capabilities for role in roles])
        for code, label in CAPABILITIES.items()
    ]
    return render(request, "agencies/role_list.html", {"roles": roles, "matrix": matrix})


@capability_required("agencies.manage")
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    role = get_object_or_404(Role, pk=role_id)
    form = RoleForm(request.POST or None, initial={"capabilities": role.capabilities})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_set_capabilities(
                actor=request.user, role=role, capabilities=form.cleaned_data["capabilities"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("agencies:role_list")
    return render(request, "agencies/role_form.html", {"form": form, "role": role})
