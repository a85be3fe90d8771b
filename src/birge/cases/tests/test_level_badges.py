"""A risk level looks and reads the same on every page, and no two levels look alike:
each has its own word, class (colour and frame, birge/css/levels.css) and icon; the icon
is hidden from screen readers, which read the word, in the reader's language. No level
reads "not assessed" and is no badge. Every template that shows a level uses the badge."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import birge
from birge.cases.tests.factories import register_case
from birge.risk.services import assessment_judgement

LEVELS = ("standard", "medium", "high", "critical")
WORDS = {
    "en": {"standard": "Standard", "medium": "Medium", "high": "High", "critical": "Critical"},
    "az": {"standard": "Standart", "medium": "Orta", "high": "Yüksək", "critical": "Kritik"},
    "ru": {
        "standard": "Стандартный",
        "medium": "Средний",
        "high": "Высокий",
        "critical": "Критический",
    },
}


def render(code, language: str = "en", **options) -> str:
    arguments = " ".join(f'{name}="{value}"' for name, value in options.items())
    with translation.override(language):
        return Template("{% load levels %}{% level_badge code " + arguments + " %}").render(
            Context({"code": code})
        )


class _Reading(HTMLParser):
    """What a screen reader reads of a fragment (text outside aria-hidden elements), and
    what is drawn (the icon's shapes) and the badge's classes."""

    def __init__(self):
        super().__init__()
        self.hidden_depth = 0
        self.text: list[str] = []
        self.shapes: list[str] = []
        self.classes: list[str] = []
        self.icons_hidden: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.hidden_depth or attributes.get("aria-hidden") == "true":
            self.hidden_depth += 1
        if tag == "svg":
            self.icons_hidden.append(attributes.get("aria-hidden") == "true")
        if tag in ("path", "circle"):
            self.shapes.append(f"{tag}:{attributes.get('d') or attributes.get('r')}")
        if tag == "span" and "class" in attributes:
            self.classes.append(attributes["class"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.hidden_depth:
            self.hidden_depth -= 1

    def handle_endtag(self, tag):
        if self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.text.append(data)


def read(html: str) -> _Reading:
    reading = _Reading()
    reading.feed(html)
    reading.close()
    reading.read = " ".join("".join(reading.text).split())
    return reading


@pytest.mark.parametrize("language", ["az", "ru", "en"])
@pytest.mark.parametrize("level", LEVELS)
def test_a_screen_reader_reads_the_levels_word_and_not_its_icon(level, language):
    reading = read(render(level, language))

    assert reading.read == WORDS[language][level]
    assert reading.icons_hidden == [True]
    assert reading.classes[0] == f"level level-{level}"


def test_the_four_levels_differ_in_word_class_and_icon():
    readings = {level: read(render(level)) for level in LEVELS}

    assert len({r.read for r in readings.values()}) == 4
    assert len({r.classes[0] for r in readings.values()}) == 4
    assert len({tuple(r.shapes) for r in readings.values()}) == 4
    assert all(r.shapes for r in readings.values())


def test_the_stylesheet_gives_each_level_its_own_colours_and_critical_its_own_frame():
    css = (Path(birge.__file__).parent / "web/static/birge/css/levels.css").read_text()
    rules = {level: re.search(rf"\.level-{level} {{([^}}]*)}}", css).group(1) for level in LEVELS}
    backgrounds = {
        re.search(r"background: (#[0-9a-f]{6})", rule).group(1) for rule in rules.values()
    }

    assert len(backgrounds) == 4
    assert "text-transform: uppercase" in rules["critical"]
    assert "box-shadow" in rules["critical"] and "box-shadow" not in rules["high"]


@pytest.mark.parametrize("code", ["", None])
def test_no_level_reads_not_assessed_and_is_no_badge(code):
    reading = read(render(code))

    assert reading.read == "not assessed"
    assert reading.classes == ["level-none"]
    assert reading.shapes == []
    assert read(render(code, "az")).read != "not assessed"  # translated


def test_what_stands_for_no_level_may_be_chosen():
    assert read(render("", empty="—")).read == "—"


def test_a_word_given_in_another_language_is_kept():
    reading = read(render("high", "en", label="Yüksək"))

    assert reading.read == "Yüksək"
    assert reading.classes[0] == "level level-high"


def test_an_unknown_code_is_shown_escaped_without_an_icon():
    html = render("<b>odd</b>")

    assert "<b>" not in html
    assert read(html).read == "<b>odd</b>"
    assert read(html).shapes == []


def test_a_badge_sits_in_a_sentence_without_a_trailing_space():
    assert render("high").endswith("</span></span>")


# --- Every page that shows a level uses it ------------------------------------------------

TEMPLATES = sorted(Path(birge.__file__).parent.glob("*/templates/**/*.html"))
# How a level was shown before the badge: its display method or a class by its code.
BY_HAND = re.compile(
    r"get_(risk|final|computed)_level_display|risk-\{\{|class=\"risk[ \"]|risk_label"
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_no_template_shows_a_level_by_hand(template):
    assert not BY_HAND.search(template.read_text()), "use {% level_badge code %}"


def test_the_case_list_and_page_show_the_badge(browse, coordinator, officer):
    case = register_case(officer)
    assessment_judgement(
        actor=officer, case=case, level="critical", reason="He bought a gun yesterday."
    )
    client = browse(coordinator)

    for url in ("/cases/", f"/cases/{case.pk}/"):
        page = client.get(url).content.decode()
        assert 'class="level level-critical"' in page, url
        assert 'class="level level-high"' not in page, url
