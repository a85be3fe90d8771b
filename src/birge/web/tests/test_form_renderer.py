"""The select lists come out as Django's own templates render them, escaped the same way."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from birge.web.form_renderer import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "A"), ("b", 'Bee "quoted" & <b>')])
    grouped = forms.ChoiceField(
        choices=[("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    safe_label = forms.ChoiceField(choices=[("s", mark_safe("<em>kept</em>"))])
    flagged = forms.NullBooleanField()
    attrs = forms.ChoiceField(
        choices=[("1", "1")],
        widget=forms.Select(attrs={"data-x": 'a"b', "disabled": True, "hidden": False}),
    )


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "b", "grouped": "2", "many": ["x", "z"], "safe_label": "s", "flagged": "true"},
        {"plain": "<script>", "many": ["nope"]},  # bound, invalid, with errors shown
    ],
)
def test_selects_render_as_djangos_templates_do(data):
    ours = Everything(data, renderer=FormRenderer())
    django = Everything(data, renderer=DjangoTemplates())

    for name in Everything.base_fields:
        assert _normal(ours[name]) == _normal(django[name]), name
    assert "&lt;b&gt;" in str(ours["plain"])
    assert "<em>kept</em>" in str(ours["safe_label"])
    assert 'label="Group &lt;1&gt;"' in str(ours["grouped"])


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(Everything().renderer, FormRenderer)
    finally:
        get_default_renderer.cache_clear()
