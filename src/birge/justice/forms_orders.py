"""The protection orders' forms: they parse what was typed; the services decide (bounds,
who may issue, which conditions)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.agencies.models import Agency
from birge.cases.forms import IncidentForm
from birge.cases.models import Part, Person
from birge.conferences.services._common import TEXT_MAX_LENGTH
from birge.justice.models import OrderBreach, ProtectionOrder
from birge.justice.order_types import OrderType, order_types
from birge.justice.selectors_orders import order_issuers
from birge.web.forms import TextField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _note(label, *, required: bool = False) -> forms.CharField:
    return TextField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if isinstance(obj, Person):
            return obj.full_name
        return obj.name


class OrderApplyForm(forms.Form):
    order_type = forms.ChoiceField(label=_("Type of order"))
    perpetrator = _Named(label=_("Against"), queryset=Person.objects.none())
    issuing_agency = _Named(label=_("Issuing authority"), queryset=Agency.objects.none())
    applicant = forms.ChoiceField(
        label=_("Applied for by"), choices=ProtectionOrder.Applicant.choices
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE, initial=timezone.localdate)
    follows = forms.ModelChoiceField(
        label=_("Follows the order"),
        queryset=ProtectionOrder.objects.none(),
        required=False,
        help_text=_("A long-term order that follows a short-term one: choose that order."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_type"].choices = order_types().choices()
        self.fields["perpetrator"].queryset = Person.objects.filter(
            parts__case=case, parts__part=Part.PERPETRATOR
        )
        self.fields["perpetrator"].empty_label = None  # usually one: chosen already
        self.fields["issuing_agency"].queryset = order_issuers()
        self.fields["follows"].queryset = ProtectionOrder.objects.filter(case=case)
        self.fields["follows"].label_from_instance = lambda o: _order_label(o)


def _order_label(order: ProtectionOrder) -> str:
    kind = order_types().get(order.order_type)
    return f"{order.pk} · {kind.name if kind else order.order_type} · {order.get_status_display()}"


class _Conditions(forms.Form):
    conditions = forms.MultipleChoiceField(
        label=_("Conditions"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one condition.")},
    )
    places = TextField(
        label=_("Places he must keep away from"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only with the condition to keep away."),
    )

    def __init__(self, *args, kind: OrderType, **kwargs):
        super().__init__(*args, **kwargs)
        types = order_types()
        self.fields["conditions"].choices = [(c, types.condition_name(c)) for c in kind.conditions]


class OrderIssueForm(_Conditions):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, initial=timezone.localdate)
    starts_on = forms.DateField(label=_("In force from"), widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("In force until (the last day)"), widget=DATE)
    version = _version()

    field_order = ["issued_on", "starts_on", "ends_on", "conditions", "places"]


class OrderVaryForm(_Conditions):
    note = _note(_("Note"))
    version = _version()


class OrderServeForm(forms.Form):
    served_at = forms.DateTimeField(
        label=_("Served at"),
        widget=DATETIME,
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    version = _version()


class OrderExtendForm(forms.Form):
    ends_on = forms.DateField(label=_("In force until (the new last day)"), widget=DATE)
    note = _note(_("Note"))
    version = _version()


class OrderNoteForm(forms.Form):
    note = _note(_("Reason"), required=True)
    version = _version()


class BreachForm(IncidentForm):
    """The incident form itself: the breach is an incident of the case, typed once."""


class SanctionForm(forms.Form):
    sanction = forms.ChoiceField(label=_("Sanction"), choices=OrderBreach.Sanction.choices)
    sanctioned_on = forms.DateField(label=_("Sanctioned on"), widget=DATE, required=False)
