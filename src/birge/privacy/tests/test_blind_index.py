import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation

from birge.privacy.blind_index import (
    blind_index,
    name_skeleton,
    name_tokens,
    phone_normalise,
    validate_phone,
)

SAME = [
    ["Məmmədova", "Mammadova", "Mamedova", "Мамедова", "MAMMADOVA"],
    # Kuliyeva and Кулиева too: Russian often writes Azerbaijani q as к.
    ["Quliyeva", "Guliyeva", "Гулиева", "Kuliyeva", "Кулиева"],
    ["Xəlilova", "Khalilova", "Халилова", "Halilova"],
    ["Cəfərov", "Jafarov", "Джафаров", "Dzhafarov"],
    ["Hüseynova", "Huseynova", "Гусейнова", "Guseynova"],
    ["Əliyeva", "Aliyeva", "Алиева", "Alieva", "Әлијева", "ƏLİYEVA"],
    ["Şəkərov", "Shakarov", "Шакаров"],
    ["Çingiz", "Chingiz", "Чингиз"],
    # Aysal too: e and ə are one vowel class.
    ["Aysel", "Айсель", "Aysal"],
    ["Nərmin", "Narmin", "Нармин"],
    ["Günel", "Gunel", "Гюнель"],
    ["Rəşad", "Rashad", "Рашад"],
    ["Tural", "Турал"],
    ["Yusif", "Юсиф"],
    ["Könül", "Konul", "Кёнюль"],
    ["Xədicə", "Khadija", "Хадиджа"],
    ["Məmməd-Əli", "Mammad Ali", "Мамед Али"],
]

DIFFERENT = [
    ("Əliyeva", "Quliyeva"),
    ("Məmmədova", "Mehdiyeva"),
    ("Həsənov", "Hüseynov"),
    ("Aysel", "Ayten"),
    ("Günel", "Gülnar"),
    ("Nərmin", "Nigar"),
    ("Tural", "Toral"),
]


@pytest.mark.parametrize("names", SAME, ids=[names[0] for names in SAME])
def test_one_name_in_every_script_has_one_skeleton(names):
    skeletons = {name: name_skeleton(name) for name in names}
    assert len(set(skeletons.values())) == 1, skeletons
    assert all(skeletons.values())


@pytest.mark.parametrize("first, second", DIFFERENT)
def test_different_names_keep_different_skeletons(first, second):
    assert name_skeleton(first) != name_skeleton(second)


def test_a_skeleton_ignores_everything_but_letters():
    assert name_skeleton("  Aysel!! 42 ") == name_skeleton("aysel")
    assert name_skeleton("") == ""
    assert name_skeleton("123 -") == ""


def test_name_tokens_reduce_a_patronymic_to_the_fathers_name():
    azerbaijani = name_tokens("Aysel", "Məmmədova", "Əli qızı")
    russian = name_tokens("Айсель", "Мамедова", "Алиевна")
    assert azerbaijani == russian
    assert azerbaijani.patronymic == name_skeleton("Əli")
    assert name_tokens("Rəşad", "Cəfərov", "Məmməd oğlu").patronymic == name_skeleton("Məmməd")
    assert name_tokens("Rəşad", "Cəfərov").patronymic == ""


def test_a_blind_index_is_deterministic_hex():
    digest = blind_index("name", "aisal", "mamadova")
    assert digest == blind_index("name", "aisal", "mamadova")
    assert len(digest) == 64
    int(digest, 16)


def test_purposes_and_parts_give_different_digests():
    digests = {
        blind_index("name", "aisal", "mamadova"),
        blind_index("last_name", "aisal", "mamadova"),
        blind_index("name", "mamadova", "aisal"),
        blind_index("name", "aisalmamadova"),
        blind_index("name", "aisal", "mamadov", "a"),
    }
    assert len(digests) == 5


def test_a_part_cannot_forge_the_separator():
    with pytest.raises(ValueError):
        blind_index("name", "aisal\x1fmamadova")
    with pytest.raises(ValueError):
        blind_index("")


def test_changing_the_key_changes_every_digest(settings):
    before = [blind_index("name", "aisal"), blind_index("phone", "994501234567")]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64
    after = [blind_index("name", "aisal"), blind_index("phone", "994501234567")]
    assert not set(before) & set(after)
    settings.BIRGE_BLIND_INDEX_KEY = "a" * 64
    assert [blind_index("name", "aisal"), blind_index("phone", "994501234567")] == before


def test_a_short_key_is_refused(settings):
    settings.BIRGE_BLIND_INDEX_KEY = "short"
    with pytest.raises(ImproperlyConfigured):
        blind_index("name", "aisal")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("050 123 45 67", "994501234567"),
        ("+994 50 123 45 67", "994501234567"),
        ("+994 (50) 123-45-67", "994501234567"),
        ("+994 050 123 45 67", "994501234567"),
        ("00994501234567", "994501234567"),
        ("994501234567", "994501234567"),
        ("994 50 123 45 67", "994501234567"),
        ("50 123 45 67", "994501234567"),
        ("(012) 345-67-89", "994123456789"),
        ("012.345.67.89", "994123456789"),
        ("99 412 34 56", "994994123456"),
        ("+7 916 123 45 67", "79161234567"),
        ("+1 202 555 0143", "12025550143"),
        ("０５０ １２３ ４５ ６７", "994501234567"),  # full-width digits
    ],
)
def test_phone_numbers_normalise_to_e164_digits(text, expected):
    assert phone_normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "050 123 45 6",
        "050 123 45 678",
        "+994 50 123 45 6",
        "+994 50 123 45 678",
        "12345",
        "+0123456789",
        "+1234567890123456",
        "++994501234567",
        "+994 50 123 45 6a",
        "050 123 45 67 ext 2",
        "79161234567",
        "050/123/45/67",
        "0" * 40,
    ],
)
def test_malformed_phone_numbers_normalise_to_none(text):
    assert phone_normalise(text) is None


def test_the_phone_validator_explains_the_expected_form():
    validate_phone("050 123 45 67")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_phone("call me")
        assert caught.value.messages == ["Enter a phone number such as +994 50 123 45 67."]
    assert caught.value.code == "invalid_phone"
