"""Identity digests under the new name skeleton (rule 5, softening) and the surname stem.

1. Declared relations get their names back from the label they were stored under
   ("first last" or "first last (YYYY-MM-DD)"), so that their digest can be rebuilt now
   and after any later change to the skeleton. A label of more than two words is split
   where the digest it was stored with says, computed with the skeleton as it was before
   this migration (frozen below); failing that, before its last word.
2. Every person's blind indexes (with the new `stem_birth`) and every declared relation's
   digest are recomputed from the decrypted names: `identity_indexes_rebuild`, given this
   migration's models. It works in batches of its own transactions (the migration is not
   atomic), so an interrupted `birge migrate` simply runs it again.
"""

import hmac
import re
import unicodedata
from datetime import date

from django.conf import settings
from django.db import migrations

# --- The skeleton before this migration, frozen ---------------------------------------

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
    "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "u",
    "я": "a", "і": "i",
    "ә": "ə", "һ": "h", "ғ": "ğ", "ҹ": "c", "ү": "ü", "ө": "ö", "ј": "y", "ҝ": "g",
}  # fmt: skip
_IOTATED = frozenset("еёюя")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіәөү")
_SIGNS = frozenset("ьъ")
_AZERBAIJANI_CYRILLIC = frozenset("әјҹҝғһөү")
_SOUNDS = {
    "dzh": "j", "dž": "j", "dj": "j", "zh": "j", "ch": "ç", "sh": "ş", "kh": "x", "gh": "x",
    "a": "a", "ə": "a", "e": "a", "ä": "a", "æ": "a", "â": "a", "ê": "a",
    "i": "i", "ı": "i", "y": "i", "î": "i", "ï": "i",
    "u": "u", "ü": "u", "û": "u",
    "o": "o", "ö": "o", "ô": "o",
    "k": "x", "q": "x", "g": "x", "ğ": "x", "ǧ": "x", "x": "x", "h": "x",
    "c": "j", "j": "j", "ž": "j", "ç": "ç", "č": "ç", "ş": "ş", "š": "ş",
    "w": "v",
}  # fmt: skip
_CLUSTER = re.compile(
    "|".join(sorted((re.escape(k) for k in _SOUNDS if len(k) > 1), key=len, reverse=True)) + "|."
)
_REPEATS = re.compile(r"(.)\1+")


def _old_skeleton(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    iotate = not any(ch in _AZERBAIJANI_CYRILLIC for ch in text)
    out, previous = [], ""
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
    sounds = []
    for piece in _CLUSTER.findall("".join(out)):
        sound = _SOUNDS.get(piece)
        if sound is None and piece.isalpha():
            base = "".join(
                c for c in unicodedata.normalize("NFKD", piece) if not unicodedata.combining(c)
            )
            sound = _SOUNDS.get(base, base)
        sounds.append(sound or "")
    return _REPEATS.sub(r"\1", "".join(sounds))


def _old_digest(first: str, last: str, born: date | None) -> str:
    parts = ("name_birth", first, last, born.isoformat()) if born else ("name", first, last)
    key = settings.BIRGE_BLIND_INDEX_KEY.encode()
    return hmac.digest(key, "\x1f".join(parts).encode(), "sha256").hex()


# --- 1. Declared relations' names ------------------------------------------------------

_LABEL = re.compile(r"(?P<names>.+?)(?: \((?P<born>\d{4}-\d{2}-\d{2})\))?", re.DOTALL)


def names_from_label(label: str, digest: str) -> tuple[str, str, date | None] | None:
    """(first name, last name, birth date) of a label written as conflict_declare does."""
    match = _LABEL.fullmatch(label)
    if not match:
        return None
    born = date.fromisoformat(match["born"]) if match["born"] else None
    words = match["names"].split(" ")
    if len(words) < 2:
        return None
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    for first, last in splits:
        if _old_digest(_old_skeleton(first), _old_skeleton(last), born) == digest:
            return first, last, born
    first, last = splits[-1]
    return first, last, born


def declared_names(apps, schema_editor):
    declarations = apps.get_model("cases", "ConflictDeclaration")
    for declaration in declarations.objects.order_by("pk"):
        names = names_from_label(declaration.label, declaration.digest)
        if declaration.first_name or names is None:
            continue
        declaration.first_name, declaration.last_name, declaration.birth_date = names
        declaration.save(update_fields=["first_name", "last_name", "birth_date"])


# --- 2. Every digest again -------------------------------------------------------------


def rebuild(apps, schema_editor):
    from birge.cases.identity import identity_indexes_rebuild

    identity_indexes_rebuild(
        person_model=apps.get_model("cases", "Person"),
        index_model=apps.get_model("cases", "PersonIndex"),
        declaration_model=apps.get_model("cases", "ConflictDeclaration"),
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0006_identity_decisions_and_surname_stems"),
    ]

    operations = [
        migrations.RunPython(declared_names, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
