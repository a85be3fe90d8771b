"""Blind indexes: find the same person or phone number without storing either in clear.

A blind index is HMAC-SHA256, under `settings.BIRGE_BLIND_INDEX_KEY`, of a purpose and a
normalised value. Equal inputs give equal digests, so the database can match them, but a
digest reveals nothing without the key. Normalising decides what counts as "the same":

`name_skeleton` reduces a name to a phonetic-ish skeleton so that one name written in
Azerbaijani Latin, Russian Cyrillic, Azerbaijani Cyrillic or an English transliteration
gives one skeleton ("Məmmədova", "Mamedova", "Мамедова" -> "mamadova"). It is tuned for
recall: a missed match can hide a known perpetrator, while an extra candidate is only
shown to a person who checks the date of birth and other details. The rules, in order:

1. NFKC, lowercase.
2. Cyrillic to Latin by `_CYRILLIC`. In Russian text е ё ю я after a vowel, after ь ъ
   or at the start of a word are "y" + vowel (Алиева -> aliyeva, Юсиф -> yusif), after a
   consonant a plain vowel (Гюнель -> gunel). Text with an Azerbaijani Cyrillic letter
   (ә ј ҹ ҝ ғ һ ө ү) spells "y" as ј, so there е is always a plain e. ь and ъ vanish.
3. Latin letters and clusters to sound classes by `_SOUNDS`, longest cluster first:
   - vowels: ə a e ä -> a; ı i y -> i (so -iy-, -ий, -иев collapse with -i-, -ie-);
     u ü -> u; o ö -> o. u and o stay apart (Tural is not Toral).
   - k q g ğ x h kh gh -> x: Azerbaijani q is Russian г or к and English g, q or k
     (Quliyeva, Гулиева, Кулиева, Kuliyeva are one name), h is г (Həsən, Гасан),
     x is х, kh or h. So Kuliyeva matches Quliyeva.
   - c j dj dzh dž zh ž -> j: English and Russian spell Azerbaijani c as j / дж, and the
     rare Azerbaijani j (ж) joins them rather than split "Jalə" from "Zhala".
   - ç ch č -> ç; ş sh š щ -> ş; w -> v. Other Latin letters stay; accents on letters
     not in the table are dropped (é -> e).
   Consequences: e and ə are a, so Aysel, Aysal and Айсель are one skeleton; an
   Azerbaijani "s"+"h" across syllables (İshaq) reads as ş and misses Исхак.
4. Everything that is not a letter ends a word; letters of other scripts are kept as they
   are; runs of the same letter collapse to one (Məmməd -> mamad).
5. Softening: within a word, an i-class letter (i ı y) between a consonant and a vowel is
   dropped. Russian writes Azerbaijani ü ö ə after a consonant as ю ё я, and its Latin
   transliterations keep the softening as y (or j after g/k, German-style, which becomes y
   first): Gyulnara, Gjulnara, Kyonul, Gyoychay, Lyala, Dzhamilya give the skeleton of
   Gülnarə, Könül, Göyçay, Lələ, Cəmilə and of their Cyrillic spellings (where step 2 has
   already written a plain vowel). A "y" at the start of a word (Yusif) or after a vowel
   (Aysel, Xəyalə) is kept. The -iy-/-i- before a vowel that rule 3 merged falls away in
   every spelling alike, so Aliyeva, Alieva, Əliyeva and Алиева stay one skeleton
   ("alava"), as do Məryəm, Maryam, Mariam and Марьям ("maram"). The cost is precision in
   a few first names (Diana meets Dana, Ziya meets a "Za"), which the surname and the date
   of birth or phone that every match also needs make up for.
6. Words are joined and runs collapse again.

`surname_stem` goes one step further for a surname: it is the skeleton without its
gendered ending, so that a woman's and a man's form of one family name meet (Məmmədova
and Məmmədov, Əliyeva and Aliyev, Ilyina and Ilyin, Kovalskaya and Kovalskiy or
Kovalski). Only Russian-style endings are gendered: -ova/-ov, -yeva/-yev, -eva/-ev,
-ina/-in, -skaya/-skiy/-ski/-sky; the Azerbaijani -li/-lı, -zadə and -oğlu are the same for
women and men and are left alone. Identity matching uses the stem only to *offer* a
possible match for a person to confirm, never as a match by itself.

Changing these rules changes every stored digest: rebuild them with `birge identity
rebuild` or a data migration that calls `birge.cases.identity.identity_indexes_rebuild`
(docs/access-model.md, "Finding the same person without plaintext").

`phone_normalise` turns an Azerbaijani or international number into E.164 digits
without "+", or None when it is not a phone number.
"""

import hmac
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

# --- Names -------------------------------------------------------------------------

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
    "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "u",
    "я": "a", "і": "i",
    # Azerbaijani Cyrillic (1939-1991); its г is q and its х is x, as in Russian.
    "ә": "ə", "һ": "h", "ғ": "ğ", "ҹ": "c", "ү": "ü", "ө": "ö", "ј": "y", "ҝ": "g",
}  # fmt: skip
_IOTATED = frozenset("еёюя")  # "y" + vowel in Russian where they do not soften a consonant
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіәөү")
_SIGNS = frozenset("ьъ")
_AZERBAIJANI_CYRILLIC = frozenset("әјҹҝғһөү")

_SOUNDS = {
    # clusters (matched before single letters)
    "dzh": "j", "dž": "j", "dj": "j", "zh": "j", "ch": "ç", "sh": "ş", "kh": "x", "gh": "x",
    # vowels
    "a": "a", "ə": "a", "e": "a", "ä": "a", "æ": "a", "â": "a", "ê": "a",
    "i": "i", "ı": "i", "y": "i", "î": "i", "ï": "i",
    "u": "u", "ü": "u", "û": "u",
    "o": "o", "ö": "o", "ô": "o",
    # velars and h
    "k": "x", "q": "x", "g": "x", "ğ": "x", "ǧ": "x", "x": "x", "h": "x",
    # affricates and sibilants
    "c": "j", "j": "j", "ž": "j", "ç": "ç", "č": "ç", "ş": "ş", "š": "ş",
    "w": "v",
}  # fmt: skip
_CLUSTER = re.compile(
    "|".join(sorted((re.escape(k) for k in _SOUNDS if len(k) > 1), key=len, reverse=True)) + "|."
)
_REPEATS = re.compile(r"(.)\1+")
# German-style Gjulnara, Kjonul: j after g or k before a vowel softens, as y does.
_SOFT_J = re.compile(r"(?<=[gk])j(?=[aeiouəöüı])")
# Rule 5, on sound classes: i between a consonant and a vowel (a word boundary is " ").
_SOFTENING = re.compile(r"(?<=[bdfjlmnprstvxzçş])i(?=[aou])")


def _transliterate_cyrillic(text: str) -> str:
    iotate = not any(ch in _AZERBAIJANI_CYRILLIC for ch in text)
    out = []
    previous = ""
    for ch in text:
        latin = _CYRILLIC.get(ch)
        if latin is None:
            out.append(ch)
        else:
            starts_syllable = not previous.isalpha() or previous in _CYRILLIC_VOWELS
            if iotate and ch in _IOTATED and (starts_syllable or previous in _SIGNS):
                latin = "y" + latin
            out.append(latin)
        previous = ch
    return "".join(out)


def _sound(piece: str) -> str:
    sound = _SOUNDS.get(piece)
    if sound is not None:
        return sound
    if unicodedata.combining(piece):
        return ""  # the dot that lower() leaves of İ
    if not piece.isalpha():
        return " "
    # A letter outside the table: drop its accents (é -> e) and look again.
    base = "".join(c for c in unicodedata.normalize("NFKD", piece) if not unicodedata.combining(c))
    return _SOUNDS.get(base, base)


def _sounds(text: str) -> str:
    """Rules 1-4: sound classes, words apart (" "), runs collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SOFT_J.sub("y", _transliterate_cyrillic(text))
    return _REPEATS.sub(r"\1", "".join(_sound(piece) for piece in _CLUSTER.findall(text)))


def _soften(sounds: str) -> str:
    """Rules 5 and 6."""
    return _REPEATS.sub(r"\1", _SOFTENING.sub("", sounds).replace(" ", ""))


def skeleton_joined(*skeletons: str) -> str:
    """The skeleton of pieces written as one word (a father's name and a patronymic
    ending): rules 5 and 6 apply across the joint, as they would to the whole word."""
    return _soften("".join(skeletons))


@lru_cache(maxsize=65_536)
def name_skeleton(text: str) -> str:
    """The sound skeleton of a name, equal across scripts and transliterations."""
    return _soften(_sounds(text))


# Gendered surname endings, as skeletons (feminine -> masculine); rule 5 has already made
# -yeva/-iyeva and -eva one ending.
_GENDERED_ENDINGS = (("sxaia", "sxi"), ("ova", "ov"), ("ava", "av"), ("ina", "in"))
_STEM_MINIMUM = 2  # letters before the ending: "Ova" is no Ov


@lru_cache(maxsize=65_536)
def surname_stem(text: str) -> str:
    """The surname's skeleton in its masculine form: Məmmədova and Mamedov give "mamadov",
    Kovalskaya and Kovalski "xovalsxi"; a surname without a gendered ending is its skeleton."""
    skeleton = name_skeleton(text)
    for feminine, masculine in _GENDERED_ENDINGS:
        if skeleton.endswith(feminine) and len(skeleton) >= len(feminine) + _STEM_MINIMUM:
            return skeleton[: -len(feminine)] + masculine
    return skeleton


# Words and endings that say "child of" in a patronymic: Əli qızı, Алиевна, Məmmədovich.
_PATRONYMIC_WORDS = frozenset(
    name_skeleton(word)
    for word in ("oğlu", "oglu", "ogly", "оглы", "qızı", "qizi", "gizi", "kyzy", "кызы", "гызы")
)
# Before softening, which would take the i of Aliyevna with it.
_PATRONYMIC_ENDINGS = tuple(_sounds(e) for e in ("ovna", "evna", "ovich", "evich"))


class NameSkeletons(NamedTuple):
    first: str
    last: str
    patronymic: str


def name_tokens(first: str, last: str, patronymic: str = "") -> NameSkeletons:
    """Skeletons of a person's names; the patronymic is reduced to the father's name.

    "Əli qızı", "Aliyevna" and "Алиевна" all give "ali", so records written in the
    Azerbaijani and the Russian style still meet.
    """
    words = [word for word in patronymic.split() if name_skeleton(word) not in _PATRONYMIC_WORDS]
    father = _sounds(" ".join(words)).strip()
    for ending in _PATRONYMIC_ENDINGS:
        if father.endswith(ending) and len(father) > len(ending):
            father = father[: -len(ending)]
            break
    return NameSkeletons(name_skeleton(first), name_skeleton(last), _soften(father))


# --- Digests -----------------------------------------------------------------------

_SEPARATOR = "\x1f"


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    key = settings.BIRGE_BLIND_INDEX_KEY
    if not isinstance(key, str) or len(key) < 32:
        raise ImproperlyConfigured("BIRGE_BLIND_INDEX_KEY must be at least 32 characters.")
    return key.encode()


@receiver(setting_changed)
def _reset_index_key(*, setting: str, **kwargs) -> None:
    if setting == "BIRGE_BLIND_INDEX_KEY":
        _index_key.cache_clear()


def blind_index(purpose: str, *parts: str) -> str:
    """HMAC-SHA256 hex digest of purpose and parts; the purpose keeps indexes apart.

    Parts are normalised values (skeletons, phone digits); callers skip empty ones.
    """
    if not purpose or any(_SEPARATOR in part for part in (purpose, *parts)):
        raise ValueError("A blind index purpose must be non-empty and no part may contain \\x1f.")
    message = _SEPARATOR.join((purpose, *parts)).encode()
    return hmac.digest(_index_key(), message, "sha256").hex()


# --- Phone numbers -----------------------------------------------------------------

_PHONE_SHAPE = re.compile(r"\+?[0-9 ().\-]{7,30}")
_NOT_DIGIT = re.compile(r"[^0-9]")
_AZERBAIJAN = "994"


def _azerbaijani(national: str) -> str | None:
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]  # the trunk 0, also written after +994
    if len(national) == 9 and not national.startswith("0"):
        return _AZERBAIJAN + national
    return None


def phone_normalise(text: str) -> str | None:
    """E.164 digits without "+" ("050 123 45 67" -> "994501234567"), or None.

    Numbers without "+" or "00" are Azerbaijani (with or without the trunk 0 or 994);
    others need the international prefix.
    """
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE_SHAPE.fullmatch(text):
        return None
    international = text.startswith("+")
    digits = _NOT_DIGIT.sub("", text)
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    if digits.startswith(_AZERBAIJAN) and (international or len(digits) in (12, 13)):
        return _azerbaijani(digits[len(_AZERBAIJAN) :])
    if international:
        return digits if 8 <= len(digits) <= 15 and not digits.startswith("0") else None
    return _azerbaijani(digits)


def validate_phone(value: str) -> None:
    """Django validator: the value must normalise to a phone number."""
    if phone_normalise(value) is None:
        raise ValidationError(
            _("Enter a phone number such as +994 50 123 45 67."), code="invalid_phone"
        )
