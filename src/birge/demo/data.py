"""Synthetic demo data. Every name here is invented; none is a real person."""

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
