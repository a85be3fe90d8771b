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
        # The level first (explain() puts one of these at the head of the list) …
        "level": "{Level} risk.",
        "level_draft": "A draft, not submitted: so far {level} risk.",
        "level_incomplete": (
            "Incomplete: professional judgement required; the answers given cannot support "
            "a level on their own."
        ),
        "level_proposed": (
            "Proposed: {level} risk, waiting for a second opinion; "
            "the case keeps its level meanwhile."
        ),
        "level_superseded": (
            "Proposed {level} risk, never applied: a later assessment was submitted "
            "while it waited for a second opinion."
        ),
        # … then what the rules of the instrument give, worded as what each rule gives, so
        # that a rule giving less than the level never reads as the result …
        "score_threshold": "Score {score} ({min} or more{provisional}): the score gives {level}.",
        "score_below_threshold": (
            "Score {score} (below {min}{provisional}): the score alone does not raise the level."
        ),
        "critical_item": "Yes to a critical question ({item}): this alone gives at least {level}.",
        "screen_in_any_of": "Screened in by a yes ({items}); one such answer is enough for {level}.",
        "screen_in_rest": (
            "Screened in: yes to {count} of the other questions ({items}); "
            "{at_least} or more are enough for {level}."
        ),
        "screen_in_list": (
            "Screened in: yes to {count} of the questions the rule names ({items}); "
            "{at_least} or more are enough for {level}."
        ),
        "no_rule": "No rule of the instrument applies (score {score}).",
        # … then what the answers cannot tell, her fear, the judgement, the second opinion …
        "incomplete_critical": (
            "Critical questions answered “not known” or “declined to answer”: {count} ({items}); "
            "a yes to any of them sets the level on its own, so the answers cannot rule out "
            "a higher level."
        ),
        "incomplete_share": (
            "Answered “not known” or “declined to answer”: {count} of {total}, more than the "
            "{max_share}% the instrument allows; too little is known to rest on the score."
        ),
        "her_fear_very_afraid": (
            "She is very afraid for her life (her own view): a level below high needs a "
            "professional judgement with a written reason."
        ),
        "her_fear_child_life": (
            "She is very afraid for a child's life (her own view): a level below high needs a "
            "professional judgement with a written reason."
        ),
        "judgement_changed": (
            "Professional judgement set {level} (the instrument gave {computed}), "
            "with a written reason."
        ),
        "judgement_kept": "Professional judgement confirmed {level}, with a written reason.",
        "judgement_alone": "Set by professional judgement alone, with a written reason.",
        "second_opinion": (
            "Lower than the level before: a professional of another agency in the case's "
            "circle approved it."
        ),
        "second_opinion_waiting": (
            "Lower than the level in force: it waits for the approval of a professional of "
            "another agency in the case's circle."
        ),
        # … and last, the answers that were not yes.
        "not_known": (
            "Answered “not known” or “declined to answer”: {count} ({items}); "
            "these do not count as yes."
        ),
        "not_answered": "Not answered yet: {count} ({items}); the level may rise once they are.",
        "provisional": ", a provisional band",
    },
    "ru": {
        "level": "{Level} риск.",
        "level_draft": "Черновик, не отправлен: пока {level} риск.",
        "level_incomplete": (
            "Оценка неполная: требуется профессиональное суждение; по данным ответам "
            "уровень сам по себе определить нельзя."
        ),
        "level_proposed": (
            "Предложено: {level} риск, ожидается второе мнение; "
            "до тех пор уровень случая не меняется."
        ),
        "level_superseded": (
            "Предложенный {level} риск не применён: пока ожидалось второе мнение, "
            "была отправлена более поздняя оценка."
        ),
        "score_threshold": "Балл {score} ({min} и более{provisional}): по баллу — {level} уровень.",
        "score_below_threshold": (
            "Балл {score} (меньше {min}{provisional}): сам по себе балл уровень не повышает."
        ),
        "critical_item": (
            "Ответ «да» на критический вопрос ({item}): уже одно это даёт уровень "
            "не ниже {level_genitive}."
        ),
        "screen_in_any_of": (
            "Скрининг положительный, ответ «да» ({items}); "
            "одного такого ответа достаточно для {level_genitive} уровня."
        ),
        "screen_in_rest": (
            "Скрининг положительный: «да» на {count} из остальных вопросов ({items}); "
            "для {level_genitive} уровня достаточно {at_least} и более."
        ),
        "screen_in_list": (
            "Скрининг положительный: «да» на {count} из вопросов, названных в правиле ({items}); "
            "для {level_genitive} уровня достаточно {at_least} и более."
        ),
        "no_rule": "Ни одно правило инструмента не сработало (балл {score}).",
        "incomplete_critical": (
            "Ответы «неизвестно» или «отказ от ответа» на критические вопросы: {count} "
            "({items}); ответ «да» на любой из них сам по себе определяет уровень, поэтому "
            "более высокий уровень исключить нельзя."
        ),
        "incomplete_share": (
            "Ответы «неизвестно» или «отказ от ответа»: {count} из {total}, больше допустимых "
            "для этого инструмента {max_share} %; известно слишком мало, чтобы полагаться на балл."
        ),
        "her_fear_very_afraid": (
            "Она очень боится за свою жизнь (её собственная оценка): уровень ниже высокого "
            "требует профессионального суждения с письменным обоснованием."
        ),
        "her_fear_child_life": (
            "Она очень боится за жизнь ребёнка (её собственная оценка): уровень ниже высокого "
            "требует профессионального суждения с письменным обоснованием."
        ),
        "judgement_changed": (
            "Профессиональное суждение: {level} уровень (по инструменту — {computed}), "
            "с письменным обоснованием."
        ),
        "judgement_kept": (
            "Профессиональное суждение подтвердило {level} уровень, с письменным обоснованием."
        ),
        "judgement_alone": (
            "Установлен только на основе профессионального суждения, с письменным обоснованием."
        ),
        "second_opinion": (
            "Ниже прежнего уровня: это одобрил специалист другого ведомства из круга "
            "участников случая."
        ),
        "second_opinion_waiting": (
            "Ниже действующего уровня: ожидается одобрение специалиста другого ведомства "
            "из круга участников случая."
        ),
        "not_known": (
            "Ответы «неизвестно» или «отказ от ответа»: {count} ({items}); "
            "они не засчитываются как «да»."
        ),
        "not_answered": (
            "Без ответа: {count} ({items}); когда ответы будут получены, уровень может повыситься."
        ),
        "provisional": ", предварительная граница",
    },
    "az": {
        "level": "{Level} risk.",
        "level_draft": "Qaralama, təqdim olunmayıb: hələlik {level} risk.",
        "level_incomplete": (
            "Qiymətləndirmə natamamdır: peşəkar rəy tələb olunur; verilmiş cavablar "
            "əsasında səviyyəni təkbaşına müəyyən etmək olmaz."
        ),
        "level_proposed": (
            "Təklif olunub: {level} risk, ikinci rəy gözlənilir; "
            "o vaxta qədər işin səviyyəsi dəyişmir."
        ),
        "level_superseded": (
            "Təklif olunan {level} risk tətbiq olunmayıb: ikinci rəy gözlənilərkən "
            "daha sonrakı qiymətləndirmə təqdim olunub."
        ),
        "score_threshold": "Bal {score} ({min} və daha çox{provisional}): bala görə {level} səviyyə.",
        "score_below_threshold": (
            "Bal {score} ({min} baldan az{provisional}): bal tək başına səviyyəni yüksəltmir."
        ),
        "critical_item": (
            "Kritik suala «bəli» cavabı ({item}): təkcə bu, ən azı {level} səviyyə deməkdir."
        ),
        "screen_in_any_of": (
            "Skrininq müsbətdir, «bəli» cavabı ({items}); {level} səviyyə üçün belə bir cavab "
            "kifayətdir."
        ),
        "screen_in_rest": (
            "Skrininq müsbətdir: digər suallara {count} «bəli» cavabı ({items}); "
            "{level} səviyyə üçün {at_least} və daha çox kifayətdir."
        ),
        "screen_in_list": (
            "Skrininq müsbətdir: qaydada adı çəkilən suallara {count} «bəli» cavabı ({items}); "
            "{level} səviyyə üçün {at_least} və daha çox kifayətdir."
        ),
        "no_rule": "Alətin heç bir qaydası tətbiq olunmadı (bal {score}).",
        "incomplete_critical": (
            "Kritik suallara «məlum deyil» və ya «cavab verməkdən imtina» cavabları: {count} "
            "({items}); onlardan hər hansı birinə «bəli» cavabı səviyyəni tək başına müəyyən "
            "edir, ona görə də daha yüksək səviyyəni istisna etmək olmaz."
        ),
        "incomplete_share": (
            "«Məlum deyil» və ya «cavab verməkdən imtina» cavabları: {total} cavabdan {count}, "
            "alətin yol verdiyi {max_share} faizdən çox; bala etibar etmək üçün çox az şey "
            "məlumdur."
        ),
        "her_fear_very_afraid": (
            "Qadın həyatı üçün çox qorxur (özünün qiymətləndirməsi): yüksəkdən aşağı səviyyə "
            "yazılı əsaslandırma ilə peşəkar rəy tələb edir."
        ),
        "her_fear_child_life": (
            "Qadın uşağın həyatı üçün çox qorxur (özünün qiymətləndirməsi): yüksəkdən aşağı "
            "səviyyə yazılı əsaslandırma ilə peşəkar rəy tələb edir."
        ),
        "judgement_changed": (
            "Peşəkar rəy: {level} səviyyə (alətə görə — {computed}), yazılı əsaslandırma ilə."
        ),
        "judgement_kept": "Peşəkar rəy {level} səviyyəni təsdiq etdi, yazılı əsaslandırma ilə.",
        "judgement_alone": "Yalnız peşəkar rəy əsasında, yazılı əsaslandırma ilə müəyyən edilib.",
        "second_opinion": (
            "Əvvəlki səviyyədən aşağıdır: bunu işin iştirakçılar dairəsindəki başqa qurumun "
            "mütəxəssisi təsdiq edib."
        ),
        "second_opinion_waiting": (
            "Qüvvədə olan səviyyədən aşağıdır: işin iştirakçılar dairəsindəki başqa qurumun "
            "mütəxəssisinin təsdiqini gözləyir."
        ),
        "not_known": (
            "«Məlum deyil» və ya «cavab verməkdən imtina» cavabları: {count} ({items}); "
            "bunlar «bəli» kimi sayılmır."
        ),
        "not_answered": (
            "Cavablandırılmamış suallar: {count} ({items}); "
            "cavab verildikdən sonra səviyyə yüksələ bilər."
        ),
        "provisional": ", müvəqqəti hədd",
    },
}

# Every code a reason can have, in the order of the decision (see scoring.py and explain()).
HEADLINE_CODES = ("level", "level_draft", "level_incomplete", "level_proposed", "level_superseded")
RULE_REASON_CODES = (
    "critical_item",
    "score_threshold",
    "score_below_threshold",
    "screen_in",
    "no_rule",
)
JUDGEMENT_CODES = (
    "her_fear",
    "judgement_changed",
    "judgement_kept",
    "judgement_alone",
    "second_opinion",
    "second_opinion_waiting",
)
REASON_CODES = (
    *HEADLINE_CODES,
    *RULE_REASON_CODES,
    "incomplete_critical",
    "incomplete_share",
    *JUDGEMENT_CODES,
    "not_known",
    "not_answered",
)
# Her fear that needs a professional judgement below high (the assessment's `victim_fear`).
FEAR_FOR_LIFE = ("very_afraid", "child_life")


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
    instrument: Instrument | None,
    item_id: str,
    language: str,
    hidden: frozenset[str] = frozenset(),
) -> str:
    if item_id in hidden:
        return HIDDEN_LABEL[language]
    if instrument is None:
        return item_id
    try:
        return instrument.item(item_id).labels[language]
    except KeyError:
        # A reason from another version of the instrument still renders, by its id.
        return item_id


def _template_key(reason: Reason) -> str:
    params = reason.params
    if reason.code == "screen_in":
        if params.get("kind") == "any_of":
            return "screen_in_any_of"
        return "screen_in_rest" if params.get("of") == "rest" else "screen_in_list"
    if reason.code == "her_fear":
        if params.get("fear") not in FEAR_FOR_LIFE:
            raise ValueError(f"reason 'her_fear' has an unknown fear {params.get('fear')!r}")
        return f"her_fear_{params['fear']}"
    return reason.code


def reason_text(
    instrument: Instrument | None,
    reason: Reason,
    language: str,
    hidden: frozenset[str] = frozenset(),
) -> str:
    """The reason as one sentence in az, ru or en; ValueError for a code or params it cannot
    read. Items in `hidden` are named by a neutral word instead of their label; without an
    instrument (judgement alone) items are named by their ids."""
    templates = TEMPLATES[_language(language)]
    if reason.code not in REASON_CODES:
        raise ValueError(f"unknown reason code {reason.code!r}")
    params = reason.params
    key = _template_key(reason)
    fields: dict[str, str] = {}
    try:
        for name in ("score", "min", "count", "at_least", "total"):
            if name in params:
                fields[name] = _number(params[name], language)
        if "max_share" in params:
            fields["max_share"] = _number(round(float(params["max_share"]) * 100, 1), language)
            fields["max_share"] = fields["max_share"].removesuffix(",0").removesuffix(".0")
        for name in ("level", "computed"):
            if name in params:
                fields[name] = LEVEL_NAMES[language][params[name]].lower()
        if "level" in params:
            fields["Level"] = LEVEL_NAMES[language][params["level"]]
            fields["level_genitive"] = _RU_GENITIVE[params["level"]]
        fields["provisional"] = templates["provisional"] if params.get("provisional") else ""
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
