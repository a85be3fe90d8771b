"""Pages of the co-operation protocol: read by every signed-in person (it holds no
personal data), drafted by agency leads and administrators, adopted by the coordinating
body. Drafts are seen only by their author and by those who maintain the protocol."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from birge.agencies import protocol
from birge.agencies.forms import ProtocolDraftForm
from birge.agencies.models import ProtocolVersion
from birge.agencies.protocol_paper import protocol_document, protocol_pdf
from birge.web.forms import form_add_errors

LANGUAGES = ("az", "ru", "en")


def _language(request) -> str:
    language = request.GET.get("lang") or translation.get_language() or "az"
    return language[:2] if language[:2] in LANGUAGES else "az"


def _visible(request, number: int) -> ProtocolVersion:
    return get_object_or_404(protocol.protocol_versions_visible_to(request.user), number=number)


def _permissions(user, version: ProtocolVersion | None) -> dict:
    own_draft = (
        version is not None
        and version.status == ProtocolVersion.Status.DRAFT
        and version.created_by_id == user.pk
        and protocol.protocol_can_draft(user)
    )
    return {
        "can_draft": protocol.protocol_can_draft(user),
        "can_edit": own_draft,
        "can_propose": own_draft,
        "can_adopt": version is not None
        and version.status == ProtocolVersion.Status.PROPOSED
        and protocol.protocol_can_adopt(user),
    }


@login_required
@require_GET
def protocol_index(request: HttpRequest) -> HttpResponse:
    version = protocol.protocol_in_force()
    document = protocol_document(version, language=_language(request)) if version else None
    versions = protocol.protocol_versions_visible_to(request.user).order_by("-number")
    context = {"version": version, "document": document, "versions": versions}
    return render(request, "agencies/protocol.html", context | _permissions(request.user, None))


@login_required
def protocol_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = _visible(request, number)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    document = protocol_document(version, language=_language(request))
    in_force = protocol.protocol_in_force()
    context = {"version": version, "document": document, "in_force": in_force}
    return render(
        request, "agencies/protocol_detail.html", context | _permissions(request.user, version)
    )


@login_required
def protocol_version_pdf(request: HttpRequest, number: int) -> HttpResponse:
    version = _visible(request, number)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    language = _language(request)
    response = HttpResponse(
        protocol_pdf(protocol_document(version, language=language)),
        content_type="application/pdf",
    )
    filename = f"birge-protocol-v{version.number}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def protocol_draft(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """A new draft (from the version in force) or her own draft, edited as YAML."""
    if not protocol.protocol_can_draft(request.user):
        raise Http404
    version = None
    if number is not None:
        drafts = ProtocolVersion.objects.filter(
            status=ProtocolVersion.Status.DRAFT, created_by_id=request.user.pk
        )
        version = get_object_or_404(drafts, number=number)
    form = ProtocolDraftForm(request.POST or None, initial=_initial(version))
    if request.method == "POST" and form.is_valid():
        try:
            version = protocol.protocol_draft_save(
                actor=request.user,
                content=form.cleaned_data["content"],
                note=form.cleaned_data["note"],
                version=version,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        except PermissionError:
            raise Http404 from None
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("agencies:protocol_detail", number=version.number)
    return render(request, "agencies/protocol_form.html", {"form": form, "version": version})


def _initial(version: ProtocolVersion | None) -> dict:
    if version is not None:
        return {"content": protocol.protocol_to_yaml(version.content), "note": version.note}
    in_force = protocol.protocol_in_force()
    return {"content": protocol.protocol_to_yaml(in_force.content) if in_force else SKELETON}


def _step(request, number: int, allowed, action) -> HttpResponse:
    version = _visible(request, number)
    if not allowed(request.user, version):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionError:
        raise Http404 from None
    else:
        messages.success(request, _("Done."))
    return redirect("agencies:protocol_detail", number=version.number)


@login_required
def protocol_propose(request: HttpRequest, number: int) -> HttpResponse:
    return _step(
        request,
        number,
        lambda user, version: (
            version.created_by_id == user.pk and protocol.protocol_can_draft(user)
        ),
        protocol.protocol_propose,
    )


@login_required
def protocol_adopt(request: HttpRequest, number: int) -> HttpResponse:
    return _step(
        request,
        number,
        lambda user, _version: protocol.protocol_can_adopt(user),
        protocol.protocol_adopt,
    )


SKELETON = """\
title:
  az: Çoxqurumlu əməkdaşlıq protokolu
  ru: Протокол межведомственного взаимодействия
  en: Multi-agency co-operation protocol
roles:
- agency_kind: police
  text:
    az: ''
    ru: ''
    en: ''
pathways:
- id: shelter-place
  situation:
    az: ''
    ru: ''
    en: ''
  service_kind: shelter
  response_hours: 4
  min_risk: ''
contacts: []
information_sharing:
  az: ''
  ru: ''
  en: ''
"""
