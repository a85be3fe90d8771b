"""Level names, answer names and reason sentences in Azerbaijani, Russian and English.

They live in the engine, not in each instrument file, because the reason codes are the
engine's: every instrument explains its levels in the same words. Item names inside the
sentences come from the instrument (each item's `labels`). No language falls back to another.
"""

from __future__ import annotations

from .instrument import ANSWERS, LANGUAGES, Instrument, level_index
from .scoring import Reason

LEVEL_NAMES = {
    "az": {"standard": "Standart", "medium": "Orta", "high": "Yüksək", "critical": "Kritik"},
    "ru": {
        "standard": "Стандартный",
        "medium": "Средний",
        "high": "Высокий",
        "critical": "Критический",
    },
    "en": {"standard": "Standard", "medium": "Medium", "high": "High", "critical": "Critical"},
}
# Russian needs the genitive after "не ниже" (no lower than).
_RU_GENITIVE = {
    "standard": "стандартного",
    "medium": "среднего",
    "high": "высокого",
    "critical": "критического",
}

ANSWER_NAMES = {
    "az": {
        "yes": "Bəli",
        "no": "Xeyr",
        "unknown": "Məlum deyil",
        "declined": "Cavab verməkdən imtina",
    },
    "ru": {"yes": "Да", "no": "Нет", "unknown": "Неизвестно", "declined": "Отказ от ответа"},
    "en": {"yes": "Yes", "no": "No", "unknown": "Not known", "declined": "Declined to answer"},
}

TEMPLATES = {
    "en": {
        "score_threshold": "Score {score} ({min} or more): {level} risk.",
        "score_below_threshold": "Score {score} (below {min}): {level} risk.",
        "critical_item": "Yes to a critical question ({item}): at least {level} risk.",
        "screen_in_any_of": "Screened in by a yes ({items}); one such answer is enough: {level} risk.",
        "screen_in_rest": (
            "Screened in: yes to {count} of the other questions ({items}); "
            "{at_least} or more are enough: {level} risk."
        ),
        "screen_in_list": (
            "Screened in: yes to {count} of the questions the rule names ({items}); "
            "{at_least} or more are enough: {level} risk."
        ),
        "no_rule": "No rule applies (score {score}): {level} risk.",
        "not_known": (
            "Answered “not known” or “declined to answer”: {count} ({items}); "
            "these do not count as yes."
        ),
        "not_answered": "Not answered yet: {count} ({items}); the level may rise once they are.",
    },
    "ru": {
        "score_threshold": "Балл {score} ({min} и более): {level} риск.",
        "score_below_threshold": "Балл {score} (меньше {min}): {level} риск.",
        "critical_item": "Ответ «да» на критический вопрос ({item}): риск не ниже {level_genitive}.",
        "screen_in_any_of": (
            "Скрининг положительный, ответ «да» ({items}); "
            "достаточно одного такого ответа: {level} риск."
        ),
        "screen_in_rest": (
            "Скрининг положительный: «да» на {count} из остальных вопросов ({items}); "
            "достаточно {at_least} и более: {level} риск."
        ),
        "screen_in_list": (
            "Скрининг положительный: «да» на {count} из вопросов, названных в правиле ({items}); "
            "достаточно {at_least} и более: {level} риск."
        ),
        "no_rule": "Ни одно правило не сработало (балл {score}): {level} риск.",
        "not_known": (
            "Ответы «неизвестно» или «отказ от ответа»: {count} ({items}); "
            "они не засчитываются как «да»."
        ),
        "not_answered": (
            "Без ответа: {count} ({items}); когда ответы будут получены, уровень может повыситься."
        ),
    },
    "az": {
        "score_threshold": "Bal {score} ({min} və daha çox): {level} risk.",
        "score_below_threshold": "Bal {score} ({min} baldan az): {level} risk.",
        "critical_item": "Kritik suala «bəli» cavabı ({item}): ən azı {level} risk.",
        "screen_in_any_of": (
            "Skrininq müsbətdir, «bəli» cavabı ({items}); belə bir cavab kifayətdir: {level} risk."
        ),
        "screen_in_rest": (
            "Skrininq müsbətdir: digər suallara {count} «bəli» cavabı ({items}); "
            "{at_least} və daha çox kifayətdir: {level} risk."
        ),
        "screen_in_list": (
            "Skrininq müsbətdir: qaydada adı çəkilən suallara {count} «bəli» cavabı ({items}); "
            "{at_least} və daha çox kifayətdir: {level} risk."
        ),
        "no_rule": "Heç bir qayda tətbiq olunmadı (bal {score}): {level} risk.",
        "not_known": (
            "«Məlum deyil» və ya «cavab verməkdən imtina» cavabları: {count} ({items}); "
            "bunlar «bəli» kimi sayılmır."
        ),
        "not_answered": (
            "Cavablandırılmamış suallar: {count} ({items}); "
            "cavab verildikdən sonra səviyyə yüksələ bilər."
        ),
    },
}

REASON_CODES = (
    "score_threshold",
    "score_below_threshold",
    "critical_item",
    "screen_in",
    "no_rule",
    "not_known",
    "not_answered",
)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    return language


def level_name(level: str, language: str) -> str:
    """The level as a heading shows it ("High", "Высокий", "Yüksək")."""
    level_index(level)
    return LEVEL_NAMES[_language(language)][level]


def answer_name(answer: str, language: str) -> str:
    """An answer as the form shows it."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}; expected one of {ANSWERS}")
    return ANSWER_NAMES[_language(language)][answer]


def _number(value: object, language: str) -> str:
    text = str(value)
    # Azerbaijani and Russian write a decimal comma.
    return text.replace(".", ",") if language != "en" else text


# An item a reader may not see (her consent does not cover its scope), in a reason.
HIDDEN_LABEL = {"az": "gizli", "ru": "скрыто", "en": "hidden"}


def _label(
    instrument: Instrument, item_id: str, language: str, hidden: frozenset[str] = frozenset()
) -> str:
    if item_id in hidden:
        return HIDDEN_LABEL[language]
    try:
        return instrument.item(item_id).labels[language]
    except KeyError:
        # A reason from another version of the instrument still renders, by its id.
        return item_id


def reason_text(
    instrument: Instrument, reason: Reason, language: str, hidden: frozenset[str] = frozenset()
) -> str:
    """The reason as one sentence in az, ru or en; ValueError for a code or params it cannot
    read. Items in `hidden` are named by a neutral word instead of their label."""
    templates = TEMPLATES[_language(language)]
    if reason.code not in REASON_CODES:
        raise ValueError(f"unknown reason code {reason.code!r}")
    params = reason.params
    key = reason.code
    if key == "screen_in":
        shape = "any_of" if params.get("kind") == "any_of" else None
        key = f"screen_in_{shape or ('rest' if params.get('of') == 'rest' else 'list')}"
    fields: dict[str, str] = {}
    try:
        for name in ("score", "min", "count", "at_least"):
            if name in params:
                fields[name] = _number(params[name], language)
        if "level" in params:
            fields["level"] = LEVEL_NAMES[language][params["level"]].lower()
            fields["level_genitive"] = _RU_GENITIVE[params["level"]]
        if "item" in params:
            fields["item"] = _label(instrument, params["item"], language, hidden)
        if "items" in params:
            fields["items"] = "; ".join(
                _label(instrument, i, language, hidden) for i in params["items"]
            )
        return templates[key].format(**fields)
    except KeyError as exc:
        raise ValueError(
            f"reason {reason.code!r} has a missing or unknown {exc.args[0]!r}"
        ) from None
