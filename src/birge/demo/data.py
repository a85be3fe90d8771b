"""Synthetic demo data. Every name here is invented; none is a real person."""

from django.conf import settings

# (Azerbaijani, Russian, English)
Texts = tuple[str, str, str]


def in_demo_language(texts: Texts) -> str:
    """What a person writes (a meeting's place, an action, a note) is written once, in her
    language: the demo's people write in the demo's language (LANGUAGE_CODE, Azerbaijani
    unless set), so that its screens read in it as a real system's would."""
    return texts[{"az": 0, "ru": 1, "en": 2}.get(settings.LANGUAGE_CODE[:2], 0)]


REGIONS = [
    ("baku", "Bakı", "Баку", "Baku"),
    ("ganja", "Gəncə", "Гянджа", "Ganja"),
    ("sumgait", "Sumqayıt", "Сумгаит", "Sumgait"),
    ("lankaran", "Lənkəran", "Ленкорань", "Lankaran"),
    ("shaki", "Şəki", "Шеки", "Shaki"),
    ("mingachevir", "Mingəçevir", "Мингечевир", "Mingachevir"),
]

# code, kind, region, (az, ru, en)
AGENCIES = [
    (
        "scfwca",
        "coordinating_body",
        "baku",
        (
            "Ailə, Qadın və Uşaq Problemləri üzrə Dövlət Komitəsi",
            "Государственный комитет по проблемам семьи, женщин и детей",
            "State Committee for Family, Women and Children Affairs",
        ),
    ),
    (
        "ombudsperson",
        "ombudsperson",
        "baku",
        (
            "İnsan Hüquqları üzrə Müvəkkil (Ombudsman) Aparatı",
            "Аппарат Уполномоченного по правам человека (Омбудсмена)",
            "Office of the Ombudsperson",
        ),
    ),
    (
        "moj",
        "justice",
        "baku",
        ("Ədliyyə Nazirliyi", "Министерство юстиции", "Ministry of Justice"),
    ),
    (
        "mlspp-baku",
        "social_protection",
        "baku",
        (
            "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi — Bakı",
            "Министерство труда и социальной защиты населения — Баку",
            "Ministry of Labour and Social Protection of the Population — Baku",
        ),
    ),
    (
        "mlspp-ganja",
        "social_protection",
        "ganja",
        (
            "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi — Gəncə",
            "Министерство труда и социальной защиты населения — Гянджа",
            "Ministry of Labour and Social Protection of the Population — Ganja",
        ),
    ),
    (
        "police-baku",
        "police",
        "baku",
        (
            "Daxili İşlər Nazirliyi — Bakı Şəhər Baş Polis İdarəsi",
            "Министерство внутренних дел — Главное управление полиции города Баку",
            "Ministry of Internal Affairs — Baku City Police",
        ),
    ),
    (
        "police-ganja",
        "police",
        "ganja",
        (
            "Daxili İşlər Nazirliyi — Gəncə Şəhər Polis İdarəsi",
            "Министерство внутренних дел — Управление полиции города Гянджа",
            "Ministry of Internal Affairs — Ganja City Police",
        ),
    ),
    (
        "police-sumgait",
        "police",
        "sumgait",
        (
            "Daxili İşlər Nazirliyi — Sumqayıt Şəhər Polis İdarəsi",
            "Министерство внутренних дел — Управление полиции города Сумгаит",
            "Ministry of Internal Affairs — Sumgait City Police",
        ),
    ),
    (
        "police-lankaran",
        "police",
        "lankaran",
        (
            "Daxili İşlər Nazirliyi — Lənkəran Rayon Polis Şöbəsi",
            "Министерство внутренних дел — Отдел полиции Ленкоранского района",
            "Ministry of Internal Affairs — Lankaran District Police",
        ),
    ),
    (
        "shelter-baku",
        "shelter_ngo",
        "baku",
        (
            "“Təhlükəsiz Ev” Qadın Sığınacağı (QHT)",
            "Женский приют «Безопасный дом» (НПО)",
            "“Safe Home” Women's Shelter (NGO)",
        ),
    ),
    (
        "legal-aid-ganja",
        "legal_aid",
        "ganja",
        (
            "“Hüquq Körpüsü” Hüquqi Yardım Mərkəzi (QHT)",
            "Центр правовой помощи «Правовой мост» (НПО)",
            "“Law Bridge” Legal Aid Centre (NGO)",
        ),
    ),
    (
        "psy-sumgait",
        "shelter_ngo",
        "sumgait",
        (
            "“Dayaq” Psixoloji Dəstək Mərkəzi (QHT)",
            "Центр психологической поддержки «Опора» (НПО)",
            "“Support” Psychological Support Centre (NGO)",
        ),
    ),
    (
        "court-shaki",
        "court",
        "shaki",
        ("Şəki Rayon Məhkəməsi", "Шекинский районный суд", "Shaki District Court"),
    ),
    (
        "prosecutor-mingachevir",
        "prosecution",
        "mingachevir",
        (
            "Mingəçevir Şəhər Prokurorluğu",
            "Прокуратура города Мингечевир",
            "Mingachevir City Prosecutor's Office",
        ),
    ),
    (
        "lea-baku",
        "local_authority",
        "baku",
        (
            "Bakı Şəhər İcra Hakimiyyəti",
            "Исполнительная власть города Баку",
            "Baku City Executive Authority",
        ),
    ),
    (
        "court-baku",
        "court",
        "baku",
        (
            "Bakı Şəhər Nəsimi Rayon Məhkəməsi",
            "Насиминский районный суд города Баку",
            "Nasimi District Court of Baku",
        ),
    ),
    (
        "lea-lankaran",
        "local_authority",
        "lankaran",
        (
            "Lənkəran Rayon İcra Hakimiyyəti",
            "Исполнительная власть Ленкоранского района",
            "Lankaran District Executive Authority",
        ),
    ),
]

# username, first name, last name, agency, roles. Invented names.
USERS = [
    ("officer", "Aysel", "Quliyeva", "police-baku", ["frontline_officer"]),
    ("colleague", "Rəşad", "Həsənov", "police-baku", ["frontline_officer"]),
    ("police.lead", "Elnur", "Məmmədli", "police-baku", ["agency_lead"]),
    ("police.marac", "Kamran", "Əhmədov", "police-baku", ["conference_member"]),
    ("coordinator", "Günel", "Əliyeva", "mlspp-baku", ["case_coordinator"]),
    ("social.lead", "Nərmin", "Kazımova", "mlspp-baku", ["agency_lead"]),
    ("shelter", "Səbinə", "Rzayeva", "shelter-baku", ["case_coordinator"]),
    ("shelter.lead", "Lalə", "Orucova", "shelter-baku", ["agency_lead"]),
    ("chair", "Fərid", "Nəsirov", "scfwca", ["conference_chair"]),
    ("analyst", "Könül", "İsmayılova", "scfwca", ["analyst"]),
    ("auditor", "Tural", "Babayev", "ombudsperson", ["auditor"]),
    ("admin", "Samir", "Cəfərov", "scfwca", ["administrator"]),
    ("outsider", "Orxan", "Vəliyev", "police-ganja", ["frontline_officer"]),
    ("legal", "Zəhra", "Hüseynova", "legal-aid-ganja", ["case_coordinator"]),
    # Records proceedings and programme referrals (justice.record, of a justice agency).
    ("investigator", "Vüqar", "Nağıyev", "police-baku", ["case_coordinator"]),
    ("trainer", "Məlahət", "Nəbiyeva", "scfwca", ["trainer"]),
    ("executive", "Vüsal", "Kərimov", "lea-baku", ["case_coordinator"]),
    ("judge", "Səidə", "Nağıyeva", "court-baku", ["case_coordinator"]),
]

# Long enough, not a common password, obviously not for production.
DEMO_PASSWORD = "birge-demo-2026"

# Frontline officers of the demo agencies that register cases but have no user above;
# created only by `birge demo --cases N`, since every case needs someone who opened it.
SCALE_STAFF = [
    ("officer.sumgait", "Nigar", "Abbasova", "police-sumgait", ["frontline_officer"]),
    ("officer.lankaran", "Elvin", "Qasımov", "police-lankaran", ["frontline_officer"]),
    ("social.ganja", "Sevda", "Məlikova", "mlspp-ganja", ["frontline_officer"]),
    ("psy.sumgait", "Aynur", "Səfərova", "psy-sumgait", ["frontline_officer"]),
]

WEEKDAYS = "Mon–Fri 09:00–18:00"
DAY_AND_NIGHT = "24/7"
POLICE_PROTECTION = (
    "Məişət zorakılığından polis mühafizəsi",
    "Защита полиции от домашнего насилия",
    "Police protection from domestic violence",
)
SOCIAL_BENEFITS = (
    "Sosial müavinətlər və məşğulluq",
    "Социальные пособия и трудоустройство",
    "Social benefits and employment",
)
CHILD_PROTECTION = ("Uşaqların müdafiəsi", "Защита детей", "Child protection")

# agency, kind, (az, ru, en), regions, free places (shelters only), service desk, hours,
# languages. The phone numbers are invented (000 00 xx).
SERVICES = [
    (
        "shelter-baku",
        "shelter",
        ("Qadınlar üçün sığınacaq", "Приют для женщин", "Women's shelter"),
        ["baku", "sumgait"],
        12,
        "+994 12 000 00 03",
        DAY_AND_NIGHT,
        "az, ru, en",
    ),
    (
        "shelter-baku",
        "psychological",
        ("Psixoloji dəstək", "Психологическая поддержка", "Psychological support"),
        ["baku"],
        None,
        "+994 12 000 00 13",
        "Mon–Sat 10:00–19:00",
        "az, ru",
    ),
    (
        "legal-aid-ganja",
        "legal_aid",
        ("Pulsuz hüquqi yardım", "Бесплатная юридическая помощь", "Free legal aid"),
        ["ganja", "shaki", "mingachevir"],
        None,
        "+994 22 000 00 05",
        "Mon–Fri 10:00–17:00",
        "az, ru",
    ),
    (
        "psy-sumgait",
        "psychological",
        (
            "Psixoloji məsləhət və travma ilə iş",
            "Психологическое консультирование и работа с травмой",
            "Counselling and trauma support",
        ),
        ["sumgait", "baku"],
        None,
        "+994 18 000 00 06",
        WEEKDAYS,
        "az, ru",
    ),
    (
        "police-baku",
        "police_protection",
        POLICE_PROTECTION,
        ["baku"],
        None,
        "+994 12 000 00 02",
        DAY_AND_NIGHT,
        "az, ru, en",
    ),
    (
        "police-ganja",
        "police_protection",
        POLICE_PROTECTION,
        ["ganja"],
        None,
        "+994 22 000 00 02",
        DAY_AND_NIGHT,
        "az, ru",
    ),
    (
        "police-sumgait",
        "police_protection",
        POLICE_PROTECTION,
        ["sumgait"],
        None,
        "+994 18 000 00 02",
        DAY_AND_NIGHT,
        "az, ru",
    ),
    (
        "police-lankaran",
        "police_protection",
        POLICE_PROTECTION,
        ["lankaran"],
        None,
        "+994 25 000 00 02",
        DAY_AND_NIGHT,
        "az, ru",
    ),
    (
        "mlspp-baku",
        "social_benefits",
        SOCIAL_BENEFITS,
        ["baku", "sumgait"],
        None,
        "+994 12 000 00 04",
        WEEKDAYS,
        "az, ru",
    ),
    (
        "mlspp-baku",
        "child_protection",
        CHILD_PROTECTION,
        ["baku", "sumgait"],
        None,
        "+994 12 000 00 14",
        "Mon–Fri 09:00–18:00; urgent: 24/7",
        "az, ru",
    ),
    (
        "mlspp-ganja",
        "social_benefits",
        SOCIAL_BENEFITS,
        ["ganja", "shaki"],
        None,
        "+994 22 000 00 04",
        WEEKDAYS,
        "az, ru",
    ),
    (
        "mlspp-ganja",
        "child_protection",
        CHILD_PROTECTION,
        ["ganja", "shaki"],
        None,
        "+994 22 000 00 14",
        "Mon–Fri 09:00–18:00; urgent: 24/7",
        "az, ru",
    ),
    (
        "lea-lankaran",
        "housing",
        ("Mənzil dəstəyi", "Жилищная помощь", "Housing support"),
        ["lankaran"],
        None,
        "+994 25 000 00 07",
        WEEKDAYS,
        "az, ru",
    ),
    (
        "moj",
        "perpetrator_programme",
        (
            "Zorakılıq törədənlər üçün davranışın dəyişdirilməsi proqramı",
            "Программа изменения поведения для лиц, совершивших насилие",
            "Behaviour-change programme for perpetrators",
        ),
        ["baku", "ganja"],
        None,
        "+994 12 000 00 08",
        WEEKDAYS,
        "az, ru",
    ),
]
