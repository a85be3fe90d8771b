"""Find every passage of a text that names a person or a place of a case.

What the victim takes home (her safety plan, printed or as a PDF) can be found by the
person she is hiding from. A worker writing it may type a name or an address into it
without thinking: "the children stay with Leyla", "not through Nizami 12". `Redactor`
is given the case's people and places as plain strings, and reports each passage of a
text that names one of them (`Hit`: its span, its kind, which person or place); its
caller shows the hits to the writer and blanks them out of the victim's copy. A hit
carries positions and opaque keys, never the text, so hits may be logged or counted.

Names are compared by the spelling skeleton of identity matching
(`birge.privacy.blind_index.name_skeleton`), word by word, so that one name written in
Azerbaijani Latin, Cyrillic or an English transliteration is one name: "Məmmədova",
"Mammadova", "Мамедова". On top of the skeleton:

- Azerbaijani endings after the name: case, possessive, plural and "-gil" (Leylanın,
  Leylaya, Leyladan, Leylagilə, Məmmədovlar, Nizamidə), and the English "'s".
- Russian endings, also those that replace a name's last vowel (Лейлой, Лейлы, Рауфом,
  Мамедовой, Алиевна, Алиевной).
- A surname in its other gender (-ova/-ov, -eva/-ev, -ina/-in): Məmmədov names
  Məmmədova's family. A patronymic in either style: "Əli qızı" is also "Алиевна".
- An initial with a dot right beside a name ("L. Məmmədova") goes with the name.

Not caught: diminutives and nicknames (Лейлочка, Leylacan, "Lala" for Leyla), Russian
adjective-like forms whose last two letters change (Нагорная -> Нагорной), a name
spelled with spaces or other letters inside ("L-e-y-l-a"), a name written with a
synonym or a description ("her husband"). Names that are ordinary words (Gül, Nur,
Ümid, Bahar) are found as those words too: recall over precision.

Places (addresses, the shelter's location, where incidents happened) are split into
words of four sorts:

- street types, in a table for every place (küçəsi/küç./küçə, prospekti/pr./prosp.,
  döngəsi/dön., meydanı/m., qəsəbəsi/qəs., rayonu/r-nu, mənzil/m., ev, ул./улица,
  пр./просп./проспект, пер./переулок, д./дом, кв./квартира, street/st., avenue/ave.,
  flat, apt. and others);
- numbers (12, 12a, 12/3, №12, 7-də);
- anchors: the record's own words that name the place: capitalised (Nizami, Babək,
  Xətai, Gənclik) or any word when the record was typed all in lower case, except
  common words of places (şəhər, metro, yanında, sığınacaq, Bakı, город, near…);
- the record's other words (ordinary words, "metrosunun", "yanında").

In a text, a passage is an address hit when it holds an anchor (in any script, with
endings: Nizamidə, Низами), or a building or flat type right before a number
("mənzil 7", "ev 12", "кв. 7", "flat 7": any number, recorded or not, since a flat
number in her copy tells where someone lives). The passage then grows over the street
types, numbers, anchors, the record's other words and common words of places beside
it, across spaces, commas, hyphens, slashes and colons (not across a line break or a
full stop), so "Nizami küçəsi 12, mənzil 7" goes whole, and so does the short
"Nizami 12"; ordinary words at its two ends stay ("Köhnə ev: [...]", "[...] metrosunda").

Not caught among places: Russian adjectives made of a place's name (Хатаинский район
for Xətai rayonu), a street type or abbreviation not in the table, numbers written in
words, an address broken over two lines, a place described rather than named ("the
blue building behind the bakery").

The balance: ordinary words are never hits by themselves. A street type alone ("ev" in
"evdən çıxanda", "на улице", "küçədə"), a number alone ("saat 12-də"), or an ordinary
word of a recorded place ("yanında", "metro", "sığınacağa") is left alone; it goes only
as part of a passage that holds an anchor, or (a building or flat type) with a number
right after it. A word typed capitalised at the start of an incident's place (as in
"Mağazanın yanında") counts as an anchor: recall over precision, and the writer sees
why each hit was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from birge.privacy.blind_index import name_skeleton, name_tokens, skeleton_joined

NAME = "name"
ADDRESS = "address"


@dataclass(frozen=True)
class PersonNames:
    """A person of the case: `key` says who she is to the caller (never a name)."""

    key: str
    first: str = ""
    last: str = ""
    patronymic: str = ""


@dataclass(frozen=True)
class Place:
    """An address or a place of the case: `key` says whose or what it is."""

    key: str
    text: str


@dataclass(frozen=True)
class Hit:
    """A passage text[start:end] that names a person (`NAME`) or a place (`ADDRESS`) of
    the case; `keys` are those of the persons or places it names (empty for a flat or
    house number of no recorded place)."""

    start: int
    end: int
    kind: str
    keys: tuple[str, ...] = ()


# --- Words of places -----------------------------------------------------------------

# Full words of street types, matched by skeleton with any ending (küçəsində, улице).
# True: a building or flat, which before a number is an address by itself.
_TYPE_WORDS = {
    # Azerbaijani
    "küçə": False, "prospekt": False, "döngə": False, "meydan": False, "qəsəbə": False,
    "rayon": False, "mikrorayon": False, "massiv": False, "dalan": False, "bulvar": False,
    "şosse": False, "kənd": False, "şəhər": False, "mənzil": True, "bina": True,
    "blok": True, "korpus": True, "mərtəbə": True, "giriş": True,
    # Russian
    "улица": False, "проспект": False, "переулок": False, "площадь": False,
    "посёлок": False, "поселок": False, "район": False, "микрорайон": False,
    "шоссе": False, "бульвар": False, "тупик": False, "город": False, "село": False,
    "квартира": True, "корпус": True, "подъезд": True, "этаж": True, "строение": True,
    # English
    "street": False, "avenue": False, "road": False, "lane": False, "square": False,
    "district": False, "settlement": False, "village": False, "boulevard": False,
    "apartment": True, "flat": True, "house": True, "building": True, "block": True,
    "floor": True, "entrance": True,
}  # fmt: skip
# Short words of street types, matched as written (a longer word is not one: "evdən").
_TYPE_SHORT = {"ev": True, "evi": True, "дом": True, "дома": True, "доме": True, "kv": True}
# Abbreviations, as tokens of their own with their dot. Single letters only in lower case
# and with the dot ("R." is an initial, "m" a letter).
_ABBREVIATIONS = {
    # Azerbaijani
    "küç": False, "pr": False, "prosp": False, "pr-t": False, "pr-ti": False,
    "dön": False, "meyd": False, "qəs": False, "r-nu": False, "ray.": False,
    "mkr": False, "mkr-n": False, "şəh.": False, "mən.": True, "m.": True,
    "r.": False, "k.": False, "ş.": False, "küç-si": False,
    # Russian
    "ул": False, "пр": False, "пр-т": False, "просп": False, "пер": False, "пл": False,
    "пос": False, "р-н": False, "мкр": False, "г.": False, "корп": True, "кв": True,
    "д.": True, "к.": True, "с.": False,
    # English
    "st": False, "ave": False, "rd": False, "apt": True, "sq": False, "blvd": False,
    "no.": False, "bldg": True,
}  # fmt: skip
# Common words of places: never an anchor, though part of an address passage.
# fmt: off
_GENERIC_PLACE_WORDS = [
    # Azerbaijani
    "bakı", "yan", "yaxın", "yaxınlıq", "qarşı", "arxa", "tərəf", "ön", "metro",
    "stansiya", "dayanacaq", "sığınacaq", "həyət", "yer", "mağaza", "market", "bazar",
    "park", "məktəb", "bağça", "iş", "idarə", "xəstəxana", "poliklinika", "kafe",
    "restoran", "yol", "yeni", "köhnə", "böyük", "kiçik", "mərkəz", "ev", "evlər",
    "yaşayış", "kompleks", "qəsəbə", "kənd", "şəhər", "region", "respublika",
    # Russian
    "баку", "город", "рядом", "возле", "около", "напротив", "метро", "станция",
    "остановка", "приют", "убежище", "двор", "магазин", "рынок", "парк", "школа",
    "больница", "работа", "новый", "старый", "центр", "дорога",
    # English
    "baku", "city", "town", "near", "next", "opposite", "behind", "metro", "station",
    "stop", "shelter", "yard", "shop", "market", "park", "school", "hospital", "work",
    "new", "old", "centre", "center", "road",
]
# Words of people, not places ("Anasının evində"): neither an anchor nor part of a passage.
_PEOPLE_WORDS = [
    "qonşu", "qohum", "ata", "ana", "bacı", "qardaş", "nənə", "baba", "xala", "dayı", "əmi",
    "bibi", "ər", "həyat", "yoldaş", "oğul", "qız", "uşaq", "rəfiqə", "dost",
    "сосед", "родственник", "мать", "мама", "отец", "сестра", "брат", "бабушка", "тётя", "муж",
    "neighbour", "mother", "father", "sister", "brother", "aunt", "friend", "husband",
    "the", "and", "of",
]
# fmt: on

_LETTER = r"[^\W\d_]"
_MARKS = "\u0300-\u036f"
# Invisible letters that may sit inside a word without breaking it.
_IGNORABLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
_WORD = rf"{_LETTER}[{_MARKS}]*(?:[{_IGNORABLE}'’ʼ]*{_LETTER}[{_MARKS}]*)*"
_NOT_BEFORE = r"(?<![^\W_])"
_NOT_AFTER = rf"(?!{_LETTER})"


def _abbreviation_pattern() -> str:
    parts = []
    for text in sorted(_ABBREVIATIONS, key=len, reverse=True):
        if len(text) == 2 and text.endswith("."):
            parts.append(re.escape(text))  # a single letter: lower case, with its dot
        elif text.endswith("."):
            parts.append(rf"(?i:{re.escape(text)})")  # also an ordinary word: with its dot
        else:
            parts.append(rf"(?i:{re.escape(text)})(?:\.|{_NOT_AFTER})")
    return "|".join(parts)


_TOKEN = re.compile(
    rf"{_NOT_BEFORE}(?P<abbr>{_abbreviation_pattern()})"
    rf"|(?P<number>(?:[№#]\s?)?\d+(?:[/-]\d+)*(?:-?{_LETTER}{{1,4}}{_NOT_AFTER})?)"
    rf"|(?P<word>{_WORD})"
)
# What may stand between two words of one address: spaces, commas, hyphens, slashes.
_GAP = re.compile(r"[ \t\u00a0,\-–—/:]{0,4}")
_NAME_GAP = re.compile(r"[ \t\u00a0\-]{0,3}")
# An initial right before a name: "L. Məmmədova", "Л.Мамедова".
_INITIAL = re.compile(rf"{_NOT_BEFORE}({_LETTER})\.[ \t\u00a0]?$")


# --- Endings ---------------------------------------------------------------------------


def _ending(text: str) -> str:
    """The skeleton of an ending as it sounds after a consonant."""
    cyrillic = any("а" <= ch <= "я" or ch == "ё" for ch in text.lower())
    prefix = "т" if cyrillic else "t"
    return name_skeleton(prefix + text)[1:]


# Azerbaijani, in skeleton letters (a ə e -> a, ı i y -> i, u ü -> u, q k g ğ -> x):
# plural, "-gil", possessive, case, and "is"/"was" after it.
_AZERBAIJANI_ENDINGS = re.compile(
    r"(?:lar)?(?:xil)?(?:s?[iu]|[iu]m(?:[iu]z)?|[iu]z|[iu]n)?"
    r"(?:n?[iu]n|n?[iu]|[in]?a|n?da(?:n|xi)?|i?la|daxi|n?xi)?(?:d[iu]r|d[iu]|jan)?"
)
_RUSSIAN_ENDINGS = frozenset(
    _ending(e)
    for e in (
        "а", "я", "у", "ю", "е", "ы", "и", "ой", "ою", "ей", "ею", "ом", "ем", "ым", "им",
        "ых", "их", "ыми", "ими", "ам", "ям", "ами", "ями", "ах", "ях", "ов", "ев", "ий",
        "ая", "ую", "ое", "s",
    )
)  # fmt: skip
_VOWELS = frozenset("aiou")


def _with_ending(token: str, base: str, *, short: bool = False, stem: bool = True) -> bool:
    """Whether `token` (a skeleton) is the word `base` (a skeleton) with an ending. A base
    shorter than three letters matches only itself, unless `short`; `stem`: a Russian
    ending may replace the base's last vowel."""
    if token == base:
        return True
    if len(base) < 3 and not short:
        return False
    if token.startswith(base):
        rest = token[len(base) :]
        if rest in _RUSSIAN_ENDINGS or _AZERBAIJANI_ENDINGS.fullmatch(rest):
            return True
        # The skeleton collapses a letter the ending repeats (Aysel + lə -> aisala).
        if _AZERBAIJANI_ENDINGS.fullmatch(base[-1] + rest):
            return True
    # Russian: an ending in place of the last vowel (Лейла -> Лейлой, Мамедова -> -ой).
    if stem and len(base) >= 4 and base[-1] in _VOWELS:
        root = base[:-1]
        if token.startswith(root) and token[len(root) :] in _RUSSIAN_ENDINGS:
            return True
    return False


# --- Names ------------------------------------------------------------------------------

_PATRONYMIC_WORDS = frozenset(
    name_skeleton(word)
    for word in ("oğlu", "oglu", "ogly", "оглы", "qızı", "qizi", "gizi", "kyzy", "кызы", "гызы")
)
_PATRONYMIC_SUFFIXES = sorted({_ending(e) for e in ("ovna", "evna", "yevna", "ovich", "evich")})
_GENDERED = re.compile(r"(?<=[vn])a$")


def _words(text: str) -> list[str]:
    return [word for word in (name_skeleton(w) for w in re.split(r"[\s\-]+", text or "")) if word]


def _name_bases(person: PersonNames) -> set[str]:
    bases = set(_words(person.first))
    for last in _words(person.last):
        bases.add(last)
        # The surname's other gender: Məmmədova's father and brothers are Məmmədov.
        if _GENDERED.search(last):
            bases.add(_GENDERED.sub("", last))
        elif last[-1] in "vn":
            bases.add(last + "a")
    words = [w for w in _words(person.patronymic) if w not in _PATRONYMIC_WORDS]
    bases.update(words)
    father = name_tokens("", "", person.patronymic or "").patronymic
    if len(father) >= 2:
        bases.add(father)
        bases.update(skeleton_joined(father, suffix) for suffix in _PATRONYMIC_SUFFIXES)
    return {base for base in bases if len(base) >= 2}


# --- Places -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _type_bases() -> tuple[dict[str, bool], dict[str, bool], dict[str, bool]]:
    long = {name_skeleton(w): building for w, building in _TYPE_WORDS.items()}
    short = {name_skeleton(w): building for w, building in _TYPE_SHORT.items()}
    abbreviations = {a.lower().rstrip("."): building for a, building in _ABBREVIATIONS.items()}
    return long, short, abbreviations


@lru_cache(maxsize=1)
def _generic_bases() -> frozenset[str]:
    return frozenset(name_skeleton(w) for w in _GENERIC_PLACE_WORDS)


@lru_cache(maxsize=1)
def _people_bases() -> frozenset[str]:
    return frozenset(name_skeleton(w) for w in _PEOPLE_WORDS)


@lru_cache(maxsize=4096)
def _street_type(skeleton: str, *, short_with_endings: bool = False) -> bool | None:
    """None when the word is no street type; else whether it is a building or flat.
    Short types ("ev", "дом") only as written, unless `short_with_endings`."""
    long, short, _abbreviations = _type_bases()
    if skeleton in short:
        return short[skeleton]
    for base, building in long.items():
        if _with_ending(skeleton, base):
            return building
    if short_with_endings:
        for base, building in short.items():
            if _with_ending(skeleton, base, short=True):
                return building
    return None


@lru_cache(maxsize=4096)
def _generic(skeleton: str) -> bool:
    # Without the Russian stem rule: "Babək" is not "baba" with an ending.
    return any(_with_ending(skeleton, base, stem=False) for base in _generic_bases())


@lru_cache(maxsize=4096)
def _of_people(skeleton: str) -> bool:
    return any(_with_ending(skeleton, base, stem=False) for base in _people_bases())


# --- Tokens -----------------------------------------------------------------------------


@dataclass
class _Token:
    start: int
    end: int
    kind: str  # "abbr", "number" or "word"
    text: str
    skeleton: str = ""
    names: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    street: bool | None = None  # a street type; True: a building or flat
    extends: bool = False  # may be part of an address passage


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        token = _Token(match.start(), match.end(), kind, match.group())
        if kind == "word":
            token.skeleton = name_skeleton(token.text)
        tokens.append(token)
    return tokens


def _street_type_of(token: _Token, *, in_text: bool) -> bool | None:
    if token.kind == "abbr":
        return _type_bases()[2].get(token.text.lower().rstrip("."))
    if token.kind != "word" or not token.skeleton:
        return None
    # A recorded place's word: short types with endings too ("Evdə" names no place).
    return _street_type(token.skeleton, short_with_endings=not in_text)


# --- The redactor -----------------------------------------------------------------------


class Redactor:
    """The people and places of one case, ready to find in any number of texts."""

    def __init__(self, *, persons: Iterable[PersonNames] = (), places: Iterable[Place] = ()):
        self._names: list[tuple[str, str]] = []
        for person in persons:
            self._names += [(base, person.key) for base in sorted(_name_bases(person))]
        self._anchors: list[tuple[str, str]] = []
        self._others: set[str] = set()
        for place in places:
            self._add_place(place)

    def _add_place(self, place: Place) -> None:
        text = place.text or ""
        lower_case_record = not any(ch.isupper() for ch in text)
        for token in _tokens(text):
            if token.kind != "word" or _street_type_of(token, in_text=False) is not None:
                continue
            word = token.skeleton
            if _of_people(word):
                continue
            if len(word) < 3 or _generic(word):
                self._others.add(word)
            elif token.text[0].isupper() or lower_case_record:
                self._anchors.append((word, place.key))
            else:
                self._others.add(word)

    # Finding ---------------------------------------------------------------------------

    def hits(self, text: str) -> list[Hit]:
        """Every passage of `text` that names a person or a place, in order, none
        overlapping (a passage that is both goes as an address)."""
        if not text:
            return []
        tokens = _tokens(text)
        for token in tokens:
            self._classify(token)
        hits = self._name_hits(text, tokens) + self._address_hits(text, tokens)
        return _merge(hits, text)

    def redact(self, text: str, *, marker: str) -> str:
        """`text` with each hit replaced by `marker`; hits side by side become one."""
        out = text or ""
        for hit in reversed(self.hits(out)):
            out = out[: hit.start] + marker + out[hit.end :]
        if marker:
            together = re.compile(rf"{re.escape(marker)}(?:[ \t\u00a0,\-]+{re.escape(marker)})+")
            out = together.sub(marker, out)
        return out

    def _classify(self, token: _Token) -> None:
        token.street = _street_type_of(token, in_text=True)
        if token.kind == "number":
            token.extends = True
            return
        if token.kind != "word":
            token.extends = token.street is not None
            return
        word = token.skeleton
        token.names = tuple(dict.fromkeys(k for b, k in self._names if _with_ending(word, b)))
        token.anchors = tuple(dict.fromkeys(k for b, k in self._anchors if _with_ending(word, b)))
        token.extends = bool(
            token.anchors
            or token.street is not None
            or _generic(word)
            or any(_with_ending(word, other) for other in self._others)
        )

    def _name_hits(self, text: str, tokens: list[_Token]) -> list[Hit]:
        hits = []
        for token in tokens:
            if not token.names:
                continue
            start = token.start
            initial = _INITIAL.search(text, max(0, start - 3), start)
            if initial and initial.group(1).isupper():
                start = initial.start()
            hits.append(Hit(start, token.end, NAME, token.names))
        return hits

    def _address_hits(self, text: str, tokens: list[_Token]) -> list[Hit]:
        hits = []
        for i, token in enumerate(tokens):
            seeded = bool(token.anchors)
            if not seeded and token.street:  # a building or flat right before a number
                following = tokens[i + 1] if i + 1 < len(tokens) else None
                seeded = (
                    following is not None
                    and following.kind == "number"
                    and _adjacent(text, token, following)
                )
            if not seeded:
                continue
            first = last = i
            while (
                first > 0
                and tokens[first - 1].extends
                and _adjacent(text, tokens[first - 1], tokens[first])
            ):
                first -= 1
            while (
                last + 1 < len(tokens)
                and tokens[last + 1].extends
                and _adjacent(text, tokens[last], tokens[last + 1])
            ):
                last += 1
            # Ordinary words at its edges stay ("Köhnə ev: Nizami 12", "Gənclik metrosu").
            while first < i and not _core(tokens[first]):
                first += 1
            while last > i and not _core(tokens[last]):
                last -= 1
            keys = tuple(dict.fromkeys(k for t in tokens[first : last + 1] for k in t.anchors))
            hits.append(Hit(tokens[first].start, tokens[last].end, ADDRESS, keys))
        return hits


def _core(token: _Token) -> bool:
    """An anchor, a street type or a number: what an address passage begins and ends with."""
    return bool(token.anchors) or token.street is not None or token.kind == "number"


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return _GAP.fullmatch(text, left.end, right.start) is not None


def _merge(hits: list[Hit], text: str) -> list[Hit]:
    """Overlapping hits as one; names side by side ("Leyla Məmmədova") as one."""
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged:
            last = merged[-1]
            touching = hit.start < last.end or (
                hit.kind == last.kind == NAME
                and _NAME_GAP.fullmatch(text, last.end, hit.start) is not None
            )
            if touching:
                kind = ADDRESS if ADDRESS in (hit.kind, last.kind) else NAME
                keys = tuple(dict.fromkeys(last.keys + hit.keys))
                merged[-1] = Hit(last.start, max(last.end, hit.end), kind, keys)
                continue
        merged.append(hit)
    return merged
