"""The redactor finds the case's people and places in a text, in any spelling, script and
ending, with street types, abbreviations and house numbers, and leaves ordinary words
of a plan alone."""

import pytest

from birge.privacy.redaction import ADDRESS, NAME, Hit, PersonNames, Place, Redactor

PERSONS = [
    PersonNames("victim", "Leyla", "Məmmədova", "Əli qızı"),
    PersonNames("perpetrator", "Rauf", "Məmmədov", "Vaqif oğlu"),
    PersonNames("child", "Nərmin", "Məmmədova"),
    PersonNames("sister", "Günel", "Həsənova"),
]
PLACES = [
    Place("home", "Nizami küçəsi 12, mənzil 7"),
    Place("shelter", "Sığınacaq: Xətai rayonu, Babək prospekti 15"),
    Place("his home", "Bakı şəhəri, Yasamal rayonu, Şərifzadə küçəsi 44"),
    Place("incident", "Gənclik metrosunun yanında"),
    Place("incident at home", "Evdə"),
]


@pytest.fixture(scope="module")
def redactor():
    return Redactor(persons=PERSONS, places=PLACES)


def _covering(redactor, text: str, passage: str) -> Hit | None:
    start = text.index(passage)
    end = start + len(passage)
    hits = redactor.hits(text)
    return next((h for h in hits if h.start <= start and h.end >= end), None)


NAMES = [
    # (the text, the passage that must be found, whose name it is)
    ("Leyla", "Leyla", "victim"),
    ("LEYLA bacısı ilə qalır", "LEYLA", "victim"),
    ("leyla", "leyla", "victim"),
    ("Leylanın telefonu", "Leylanın", "victim"),
    ("Leylaya zəng et", "Leylaya", "victim"),
    ("Leyladan soruş", "Leyladan", "victim"),
    ("Leylagilə get", "Leylagilə", "victim"),
    ("Leyla's phone", "Leyla's", "victim"),
    ("Leila knows", "Leila", "victim"),
    ("Позвонить Лейле", "Лейле", "victim"),
    ("вместе с Лейлой", "Лейлой", "victim"),
    ("у Лейлы", "Лейлы", "victim"),
    ("Məmmədova", "Məmmədova", "victim"),
    ("Mammadova", "Mammadova", "victim"),
    ("Mamedova", "Mamedova", "victim"),
    ("с Мамедовой", "Мамедовой", "victim"),
    ("Алиевна", "Алиевна", "victim"),
    ("Leyla Alievna", "Leyla Alievna", "victim"),
    ("L. Məmmədova", "L. Məmmədova", "victim"),
    ("Rauf evə gələndə", "Rauf", "perpetrator"),
    ("Рауф", "Рауф", "perpetrator"),
    ("нет Рауфа", "Рауфа", "perpetrator"),
    ("с Рауфом", "Рауфом", "perpetrator"),
    ("Raufdan uzaq dur", "Raufdan", "perpetrator"),
    ("Raufun maşını", "Raufun", "perpetrator"),
    ("Rauf'un maşını", "Rauf'un", "perpetrator"),
    ("Mamedov", "Mamedov", "perpetrator"),
    ("с Мамедовым", "Мамедовым", "perpetrator"),
    ("Məmmədovlar gəlir", "Məmmədovlar", "perpetrator"),
    ("Вагифович", "Вагифович", "perpetrator"),
    ("Nərmin məktəbdə", "Nərmin", "child"),
    ("Narmin at school", "Narmin", "child"),
    ("Нармин в школе", "Нармин", "child"),
    ("Nərmini bacısı götürür", "Nərmini", "child"),
    ("Nərminə de", "Nərminə", "child"),
    ("Gunel", "Gunel", "sister"),
    ("к Гюнель", "Гюнель", "sister"),
    ("Günelgildə qal", "Günelgildə", "sister"),
    ("Həsənovanın evi", "Həsənovanın", "sister"),
    ("Le\u200byla", "Le\u200byla", "victim"),  # an invisible letter inside
]


@pytest.mark.parametrize(("text", "passage", "whose"), NAMES)
def test_a_name_is_found_in_any_spelling_script_and_ending(redactor, text, passage, whose):
    hit = _covering(redactor, text, passage)

    assert hit is not None, f"{passage!r} not found in {text!r}"
    assert hit.kind == NAME
    assert whose in hit.keys


ADDRESSES = [
    # (the text, the passage that must be found, whose place it is)
    ("Nizami küçəsi 12, mənzil 7", "Nizami küçəsi 12, mənzil 7", "home"),
    ("Nizami küçəsi 12-dən keçmə", "Nizami küçəsi 12-dən", "home"),
    ("Nizami küç. 12", "Nizami küç. 12", "home"),
    ("Nizami küçə 12", "Nizami küçə 12", "home"),
    ("Nizami 12-yə getmə", "Nizami 12-yə", "home"),
    ("Nizami küçəsində gəzmə", "Nizami küçəsində", "home"),
    ("Nizamidə", "Nizamidə", "home"),
    ("NIZAMI KÜÇƏSİ 12", "NIZAMI KÜÇƏSİ 12", "home"),
    ("ул. Низами, д. 12, кв. 7", "ул. Низами, д. 12, кв. 7", "home"),
    ("улица Низами 12", "улица Низами 12", "home"),
    ("не ходи по улице Низами", "улице Низами", "home"),
    ("12 Nizami Street", "12 Nizami Street", "home"),
    ("Nizami st. 12, apt. 7", "Nizami st. 12, apt. 7", "home"),
    ("Xətai rayonu, Babək prospekti 15", "Xətai rayonu, Babək prospekti 15", "shelter"),
    ("Xətai r-nu, Babək pr. 15", "Xətai r-nu, Babək pr. 15", "shelter"),
    ("Babək pr-ti 15", "Babək pr-ti 15", "shelter"),
    ("Babək prosp. 15", "Babək prosp. 15", "shelter"),
    ("пр. Бабека 15", "пр. Бабека 15", "shelter"),
    ("проспект Бабека, 15", "проспект Бабека, 15", "shelter"),
    ("Babek avenue 15", "Babek avenue 15", "shelter"),
    ("Babek ave. 15", "Babek ave. 15", "shelter"),
    ("Xətaidə qalır", "Xətaidə", "shelter"),
    ("Şərifzadə 44", "Şərifzadə 44", "his home"),
    ("ул. Шарифзаде 44", "ул. Шарифзаде 44", "his home"),
    ("Yasamal r-nu", "Yasamal r-nu", "his home"),
    ("Gənclik metrosunda görüşmə", "Gənclik", "incident"),
    ("у метро Гянджлик", "Гянджлик", "incident"),
]


@pytest.mark.parametrize(("text", "passage", "whose"), ADDRESSES)
def test_a_place_is_found_with_its_street_type_abbreviation_and_number(
    redactor, text, passage, whose
):
    hit = _covering(redactor, text, passage)

    assert hit is not None, f"{passage!r} not found in {text!r}"
    assert hit.kind == ADDRESS
    assert whose in hit.keys


@pytest.mark.parametrize(
    "text", ["mənzil 7", "m. 7", "ev 12", "кв. 7", "д. 5", "дом 5", "flat 9", "apt. 3"]
)
def test_a_house_or_flat_number_is_found_even_when_no_place_has_it(redactor, text):
    assert redactor.hits(text) == [Hit(0, len(text), ADDRESS, ())]


ORDINARY = [
    "Evdən çıxanda sənədləri götür.",
    "Evdə qalma, qapını bağla.",
    "Saat 7-də bacına zəng et.",
    "12 yaşlı oğlu məktəbə gedir.",
    "Küçədə tək gəzmə.",
    "Rayon polisinin nömrəsi telefonda var.",
    "Telefonda yer paylaşımı söndürülüb.",
    "Sığınacağa zəng et: 860.",
    "Metroya tək getmə.",
    "Bakıdan çıxmaq istəsə, 112-yə zəng etsin.",
    "Mühafizə orderi üçün müraciət edilib.",
    "На улице не ходи одна.",
    "В доме никого нет.",
    "Позвони в приют.",
    "Do not walk in the street alone; keep the house keys with you.",
    "Take the children to school at 8.",
    "Bacım Şəbnəm: +994 50 555 11 22. Kod söz: «çay dəmlə».",
    "Şəxsiyyət vəsiqəsi, uşaqların doğum şəhadətnamələri, dərmanlar.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_of_a_plan_are_left_alone(redactor, text):
    assert redactor.hits(text) == []


def test_the_whole_passage_goes_and_the_words_around_it_stay(redactor):
    text = "Leyla Məmmədova Nizami küçəsi 12, mənzil 7-də yaşayırdı, indi başqa yerdədir."

    redacted = redactor.redact(text, marker="[…]")

    assert redacted == "[…] yaşayırdı, indi başqa yerdədir."


def test_ordinary_words_at_the_edges_of_an_address_stay(redactor):
    text = "Köhnə ev: Nizami küç. 12. Yeni yer: Xətai rayonu, Babək prospekti 15, metronun yanı."

    redacted = redactor.redact(text, marker="[…]")

    assert redacted == "Köhnə […]. Yeni yer: […], metronun yanı."


def test_names_side_by_side_are_one_hit(redactor):
    hits = redactor.hits("Rauf Vaqifovich Mamedov")

    assert len(hits) == 1
    assert (hits[0].start, hits[0].end, hits[0].kind) == (0, 23, NAME)


def test_a_hit_holds_positions_and_keys_never_the_text(redactor):
    (hit,) = redactor.hits("Zəng et: Leylaya")

    assert hit == Hit(9, 16, NAME, ("victim",))
    assert "Leyla" not in repr(hit)


def test_a_place_typed_in_lower_case_is_found_by_every_word():
    redactor = Redactor(places=[Place("home", "nizami küç. 12")])

    assert redactor.hits("Nizami") == [Hit(0, 6, ADDRESS, ("home",))]


def test_empty_records_and_texts_find_nothing():
    redactor = Redactor(persons=[PersonNames("x")], places=[Place("y", ""), Place("z", "12")])

    assert redactor.hits("Leyla, Nizami küçəsi") == []
    assert redactor.hits("") == []
    assert redactor.redact("", marker="[…]") == ""
