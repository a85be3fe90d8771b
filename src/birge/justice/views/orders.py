"""Protection orders' pages: apply on a case, the order with its events, each step of its
life, a breach (the incident form plus the order), a breach's sanction, and the
coordinator's list of orders that need her attention. Every page reaches the order
through its case (`order_get_for_user`): outside the circle, 404."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.access.fields import HIDDEN, ScopedView, case_scopes, reveal
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.justice import forms_orders as forms
from birge.justice import selectors_orders as selectors
from birge.justice.models import ProtectionOrder
from birge.justice.order_types import order_types
from birge.justice.services import orders as services
from birge.web.forms import form_add_errors

Status = ProtectionOrder.Status


@capability_required("justice.record")
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = forms.OrderApplyForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_apply(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The application is recorded."))
            return redirect("justice:order_detail", order_id=order.pk)
    title = _("Apply for a protection order")
    context = {"case": case, "form": form, "title": title, "submit": _("Save")}
    return render(request, "cases/case_form.html", context, status=_status(request))


@capability_required("case.view")
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    services.order_view_record(user=request.user, order=order)
    types = order_types()
    user = request.user
    records = user_has_capability(user, "justice.record")
    issuer = records and user.agency_id == order.issuing_agency_id
    live = order.status in (Status.ISSUED, Status.IN_FORCE)
    context = {
        "order": order,
        "case": order.case,
        "shown": ScopedView(order, case_scopes(user=user, case=order.case)),
        "kind": types.get(order.order_type),
        "conditions": [types.condition_name(c) for c in order.conditions],
        "events": list(order.events.select_related("agency").order_by("on", "id")),
        "breaches": list(order.breaches.select_related("incident").order_by("-id")),
        "flagged": order.status == Status.EXPIRED and selectors.order_is_flagged(order),
        "steps": {
            "issue": issuer and order.status == Status.APPLIED,
            "refuse": issuer and order.status == Status.APPLIED,
            "serve": records and order.status == Status.ISSUED,
            "extend": issuer and live,
            "vary": issuer and live,
            "revoke": issuer and live,
            "breach": order.status == Status.IN_FORCE and user_has_capability(user, "case.edit"),
            "sanction": records,
        },
    }
    return render(request, "justice/orders/order_detail.html", context)


@dataclass(frozen=True)
class Step:
    title: str
    submit: str
    done: str
    form: Callable
    act: Callable  # (actor, order, cleaned data) -> None
    # The form's initial values from the order.
    initial: Callable = lambda order, scopes: {}
    by_kind: bool = False  # the form takes the order's type (its conditions)
    issuer_only: bool = True  # a step of the issuing agency's own people


STEPS = {
    "issue": Step(
        gettext_lazy("Issue the protection order"),
        gettext_lazy("Issue"),
        gettext_lazy("The order is issued."),
        forms.OrderIssueForm,
        lambda actor, order, d: services.order_issue(actor=actor, order=order, **d),
        by_kind=True,
    ),
    "refuse": Step(
        gettext_lazy("Refuse the application"),
        gettext_lazy("Refuse"),
        gettext_lazy("The application is refused."),
        forms.OrderNoteForm,
        lambda actor, order, d: services.order_refuse(actor=actor, order=order, **d),
    ),
    "serve": Step(
        gettext_lazy("Record that the order was served"),
        gettext_lazy("Save"),
        gettext_lazy("The order is served and in force."),
        forms.OrderServeForm,
        lambda actor, order, d: services.order_serve(actor=actor, order=order, **d),
        issuer_only=False,
    ),
    "extend": Step(
        gettext_lazy("Extend the protection order"),
        gettext_lazy("Extend"),
        gettext_lazy("The order is extended."),
        forms.OrderExtendForm,
        lambda actor, order, d: services.order_extend(actor=actor, order=order, **d),
        initial=lambda order, scopes: {"ends_on": order.ends_on},
    ),
    "vary": Step(
        gettext_lazy("Change the order's conditions"),
        gettext_lazy("Save"),
        gettext_lazy("The order's conditions are changed."),
        forms.OrderVaryForm,
        lambda actor, order, d: services.order_vary(actor=actor, order=order, **d),
        initial=lambda order, scopes: {
            "conditions": order.conditions,
            "places": _places(order, scopes),
        },
        by_kind=True,
    ),
    "revoke": Step(
        gettext_lazy("Revoke the protection order"),
        gettext_lazy("Revoke"),
        gettext_lazy("The order is revoked."),
        forms.OrderNoteForm,
        lambda actor, order, d: services.order_revoke(actor=actor, order=order, **d),
    ),
}


def _step_view(name: str):
    step = STEPS[name]

    @capability_required("justice.record")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, order_id: int) -> HttpResponse:
        order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
        if step.issuer_only and request.user.agency_id != order.issuing_agency_id:
            raise Http404
        kwargs = {}
        if step.by_kind:
            kind = order_types().get(order.order_type)
            if kind is None:
                messages.error(request, _("This type of order is no longer in the order types."))
                return redirect("justice:order_detail", order_id=order.pk)
            kwargs["kind"] = kind
        scopes = case_scopes(user=request.user, case=order.case)
        initial = {"version": order.version, **step.initial(order, scopes)}
        form = step.form(request.POST or None, initial=initial, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                step.act(request.user, order, dict(form.cleaned_data))
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, str(step.done))
                return redirect("justice:order_detail", order_id=order.pk)
        context = {"order": order, "case": order.case, "form": form, "step": step}
        return render(request, "justice/orders/order_step.html", context, status=_status(request))

    view.__name__ = f"order_{name}"
    return view


order_issue = _step_view("issue")
order_refuse = _step_view("refuse")
order_serve = _step_view("serve")
order_extend = _step_view("extend")
order_vary = _step_view("vary")
order_revoke = _step_view("revoke")


@capability_required("case.edit")
@require_http_methods(["GET", "POST"])
def breach_new(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
    form = forms.BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_breach_record(
                actor=request.user, order=order, incident=form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The breach is recorded as an incident; the case is escalated and queued "
                    "for the risk conference."
                ),
            )
            return redirect("justice:order_detail", order_id=order.pk)
    step = {"title": _("Record a breach of the order"), "submit": _("Save")}
    context = {"order": order, "case": order.case, "form": form, "step": step}
    return render(request, "justice/orders/order_step.html", context, status=_status(request))


@capability_required("justice.record")
@require_http_methods(["GET", "POST"])
def breach_sanction(request: HttpRequest, order_id: int, breach_id: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, order_id=order_id, write=True)
    breach = selectors.breach_get_for_user(user=request.user, order=order, breach_id=breach_id)
    initial = {"sanction": breach.sanction, "sanctioned_on": breach.sanctioned_on}
    form = forms.SanctionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_sanction(actor=request.user, breach=breach, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("justice:order_detail", order_id=order.pk)
    step = {"title": _("Sanction for the breach"), "submit": _("Save")}
    context = {"order": order, "case": order.case, "form": form, "step": step}
    return render(request, "justice/orders/order_step.html", context, status=_status(request))


@capability_required("case.coordinate")
def orders_attention(request: HttpRequest) -> HttpResponse:
    """Expired short-term orders with no long-term order following, on her high-risk cases."""
    orders = list(selectors.orders_flagged_for_coordinator(request.user)[:200])
    types = order_types()
    for order in orders:
        order.kind = types.get(order.order_type)
    return render(request, "justice/orders/attention.html", {"orders": orders})


def _places(order: ProtectionOrder, scopes) -> str:
    """The places as her scopes show them: a form never carries a hidden value."""
    shown = reveal(order, "places", scopes)
    return "" if shown is HIDDEN else shown


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200
