"""The case studies are validated data: every shipped file loads, in three languages, and
each stage's reference risk answers score, through the real engine, to the level it says."""

import pytest

from birge.risk.engine import LANGUAGES, score
from birge.training.casestudy import (
    CASE_STUDIES_DIR,
    CaseStudyError,
    case_study_load,
    shipped_case_studies,
)

GOOD = (CASE_STUDIES_DIR / "coercive-control.yaml").read_text(encoding="utf-8")


def test_four_case_studies_ship_covering_the_issue():
    assert {
        "strangulation-separation",
        "coercive-control",
        "older-woman-son",
        "family-marriage",
    } <= set(shipped_case_studies())


@pytest.mark.parametrize("study", shipped_case_studies().values(), ids=lambda s: s.id)
def test_every_reference_risk_answer_scores_to_the_level_the_file_says(study):
    for stage in study.stages:
        result = score(study.instrument, stage.risk.answers)
        assert result.level == stage.risk.level, (study.id, stage.id)
        assert not result.incomplete
        assert set(stage.risk.answers) == {item.id for item in study.instrument.items}


@pytest.mark.parametrize("study", shipped_case_studies().values(), ids=lambda s: s.id)
def test_every_text_is_in_azerbaijani_russian_and_english(study):
    for stage in study.stages:
        for texts in (
            stage.titles,
            stage.facts,
            stage.risk.reasoning,
            stage.decision,
            *stage.actions,
        ):
            assert set(texts) == set(LANGUAGES)


def test_a_level_the_answers_do_not_give_is_refused_naming_file_and_stage():
    broken = GOOD.replace("level: medium", "level: high", 1)
    with pytest.raises(CaseStudyError) as error:
        case_study_load(broken, file="mine.yaml")
    assert str(error.value) == "mine.yaml: stage 2, risk, level: the answers score medium, not high"


def test_a_missing_translation_is_refused_naming_where():
    broken = GOOD.replace('  ru: "Принудительный контроль без физических травм"\n', "", 1)
    with pytest.raises(CaseStudyError) as error:
        case_study_load(broken, file="mine.yaml")
    assert str(error.value).startswith("mine.yaml: titles: 'ru' is a required property")


def test_an_item_the_instrument_does_not_have_is_refused():
    broken = GOOD.replace('        control_jealousy: "yes"', '        jealousy: "yes"', 1)
    with pytest.raises(CaseStudyError) as error:
        case_study_load(broken, file="mine.yaml")
    assert "stage 1, risk, answers: unknown item 'jealousy'" in str(error.value)


def test_broken_yaml_names_the_line():
    with pytest.raises(CaseStudyError) as error:
        case_study_load("id: [unclosed", file="mine.yaml")
    assert str(error.value).startswith("mine.yaml: not valid YAML")
