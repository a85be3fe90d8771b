"""Drafts of a long form, for the form's own view to call once its access checks passed:
the draft is saved and restored by the form's own address, so it asks exactly what the
form asks (an outsider gets the form's 404, never a draft).

    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if draft_requested(request):
        return draft_keep(request)
    ...
    form = SomeForm(request.POST or None, ...)
    if request.method == "POST" and form.is_valid():
        ... save ...
        draft_forget(request)
        return redirect(...)
    draft_restore(request, form)

The template includes "drafts/_autosave.html" inside the <form>."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from birge.drafts import selectors, services

HEADER = "X-Birge-Draft"
_NOT_ANSWERS = frozenset({"csrfmiddlewaretoken"})
_LONGEST_ADDRESS = 400


def _form_key(request: HttpRequest, address: str | None) -> str:
    """The form page's address names the draft: its path and, unless the view names it
    otherwise (a query that only narrows a list on the page), its query."""
    return address if address is not None else request.get_full_path()


def draft_requested(request: HttpRequest) -> bool:
    """The page's script keeping what was typed, not the person submitting the form."""
    return request.method == "POST" and request.headers.get(HEADER) == "save"


def draft_keep(request: HttpRequest, *, address: str | None = None) -> HttpResponse:
    """Keep what the form holds now as the person's draft of this form page."""
    form = _form_key(request, address)
    if len(form) > _LONGEST_ADDRESS:
        return HttpResponseBadRequest()
    fields = {name: request.POST.getlist(name) for name in request.POST if name not in _NOT_ANSWERS}
    services.draft_save(user=request.user, form=form, fields=fields)
    return HttpResponse(status=204)


def draft_forget(request: HttpRequest, *, address: str | None = None) -> None:
    """The form was saved for real: its draft goes."""
    services.draft_discard(user=request.user, form=_form_key(request, address))


def draft_restore(
    request: HttpRequest, *forms_: forms.BaseForm, address: str | None = None
) -> bool:
    """Fill the unbound forms from the person's draft of this page, and tell her so."""
    if request.method != "GET":
        return False
    fields = selectors.draft_fields(user=request.user, form=_form_key(request, address))
    if fields is None:
        return False
    for form in forms_:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            values = fields.get(form.add_prefix(name), [])
            multiple = getattr(field.widget, "allow_multiple_selected", False)
            form.initial[name] = values if multiple else (values[0] if values else None)
    messages.info(request, _("Your unsaved answers were restored."))
    return True
