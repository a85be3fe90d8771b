"""Version 1 of the demo's co-operation protocol, in our own words. The phone numbers are
invented (000 00 xx); the promised response times are the demo's, not any law's."""


def _t(az: str, ru: str, en: str) -> dict:
    return {"az": az, "ru": ru, "en": en}


ROLES = [
    (
        "police",
        _t(
            "Zorakılıq barədə çağırış və müraciətlərə reaksiya verir, zərərçəkmişi dərhal "
            "qoruyur, hadisəni qeydə alır, razılaşdırılmış alətlə riski qiymətləndirir, qanunun "
            "imkan verdiyi hallarda qısamüddətli mühafizə orderi verir və zərərçəkmişi onun "
            "razılığı ilə dəstək xidmətlərinə yönləndirir.",
            "Реагирует на вызовы и сообщения о насилии, незамедлительно обеспечивает защиту "
            "пострадавшей, регистрирует происшествие, оценивает риск по согласованному "
            "инструменту, выдаёт краткосрочный охранный ордер, когда это позволяет закон, и с её "
            "согласия направляет пострадавшую в службы поддержки.",
            "Responds to calls and reports of violence, protects the victim at once, records "
            "the incident, assesses the risk with the agreed instrument, issues a short-term "
            "protection order where the law allows, and refers the victim to support services "
            "with her consent.",
        ),
    ),
    (
        "prosecution",
        _t(
            "Məişət zorakılığı işləri üzrə cinayət təqibinə rəhbərlik edir, zərərçəkmişin təkrar "
            "dindirilmədən dinlənilməsini təmin edir və onu təhlükəsizliyinə təsir edən qərarlar "
            "barədə məlumatlandırır.",
            "Руководит уголовным преследованием по делам о домашнем насилии, обеспечивает, чтобы "
            "пострадавшую выслушали без повторных допросов, и сообщает ей о решениях, "
            "затрагивающих её безопасность.",
            "Leads criminal proceedings in cases of domestic violence, makes sure the victim is "
            "heard without being questioned again and again, and tells her of decisions that "
            "affect her safety.",
        ),
    ),
    (
        "court",
        _t(
            "Uzunmüddətli mühafizə orderləri və cinayət işləri üzrə ləngimədən qərar çıxarır, "
            "verdiyi orderlər barədə işin dairəsindəki qurumlara məlumat verir.",
            "Без промедления рассматривает заявления о долгосрочных охранных ордерах и уголовные "
            "дела и сообщает ведомствам круга дела о вынесенных ордерах.",
            "Decides on long-term protection orders and criminal cases without delay, and tells "
            "the agencies in the case circle about the orders it makes.",
        ),
    ),
    (
        "local_authority",
        _t(
            "Mənzil və yerli dəstək məsələlərində kömək edir, rayondakı işlər üzrə yerli "
            "qurumların birgə işini təşkil edir.",
            "Помогает с жильём и местной поддержкой, организует совместную работу местных "
            "ведомств по делам в своём районе.",
            "Helps with housing and local support, and brings the local agencies together for "
            "cases in its district.",
        ),
    ),
    (
        "social_protection",
        _t(
            "Zərərçəkmişin razılığı ilə işini koordinasiya edir, sosial müavinətləri, məşğulluğa "
            "dəstəyi və uşaqların müdafiəsini təşkil edir, təhlükəsizlik planını onunla birlikdə "
            "aktual saxlayır.",
            "С согласия пострадавшей координирует её дело, организует социальные пособия, "
            "содействие в трудоустройстве и защиту детей, вместе с ней поддерживает план "
            "безопасности в актуальном состоянии.",
            "Coordinates the victim's case where she agrees, arranges social benefits, help "
            "with employment and child protection, and keeps the safety plan up to date with her.",
        ),
    ),
    (
        "health",
        _t(
            "Xəsarətləri müalicə edir, zərərçəkmişin razılığı ilə onları sübut kimi "
            "sənədləşdirir, zorakılıq barədə təhlükəsiz şəraitdə soruşur və dəstək xidmətlərinə "
            "yönləndirir.",
            "Оказывает помощь при травмах, с согласия пострадавшей документирует их как "
            "доказательства, в безопасной обстановке спрашивает о насилии и направляет в службы "
            "поддержки.",
            "Treats injuries and, with the victim's consent, documents them as evidence; asks "
            "about violence where it is safe to, and refers to support services.",
        ),
    ),
    (
        "education",
        _t(
            "Uşaqlara təsir edən zorakılıq əlamətlərini görür, onların məktəbdə təhlükəsizliyini "
            "təmin edir və narahatlıqları uşaq müdafiəsi xidmətinə bildirir.",
            "Замечает признаки насилия, затрагивающего детей, обеспечивает их безопасность в "
            "школе и передаёт тревожные сигналы в службу защиты детей.",
            "Notices signs of violence that affects children, keeps them safe at school, and "
            "passes concerns on to child protection.",
        ),
    ),
    (
        "coordinating_body",
        _t(
            "Bu protokolu qəbul edir, çoxqurumlu risk konfransına sədrlik edir, hər bir qurumun "
            "vəd etdiyi cavab müddətlərinə əməl etməsinə nəzarət edir və şəxsi məlumatlar "
            "olmadan milli statistikanı dərc edir.",
            "Утверждает настоящий протокол, председательствует на межведомственной конференции "
            "по оценке рисков, следит за тем, соблюдает ли каждое ведомство обещанные сроки "
            "ответа, и публикует национальную статистику без персональных данных.",
            "Adopts this protocol, chairs the multi-agency risk conference, watches whether "
            "each agency keeps the response times it promised, and publishes national "
            "statistics without personal data.",
        ),
    ),
    (
        "ombudsperson",
        _t(
            "Qurumların işə necə baxması ilə bağlı şikayətləri qəbul edir və şəxsi məlumatlara "
            "çıxışı yoxlayır.",
            "Принимает жалобы на то, как ведомства вели дело, и проверяет доступ к персональным "
            "данным.",
            "Receives complaints about how agencies handled a case, and reviews access to "
            "personal data.",
        ),
    ),
    (
        "shelter_ngo",
        _t(
            "Təhlükəsiz sığınacaq, psixoloji dəstək və müşayiət xidməti göstərir, sığınacaq "
            "müraciətinə günün istənilən saatında cavab verir və sığınacağın ünvanını heç bir "
            "ortaq qeydə daxil etmir.",
            "Предоставляет безопасное убежище, психологическую поддержку и сопровождение, "
            "отвечает на запрос о месте в приюте в любое время суток и не указывает адрес "
            "приюта ни в одной общей записи.",
            "Offers safe accommodation, psychological support and advocacy, answers a request "
            "for a shelter place at any hour, and keeps the shelter's address out of every "
            "shared record.",
        ),
    ),
    (
        "legal_aid",
        _t(
            "Zərərçəkmişə mühafizə orderləri, boşanma, uşaqlara qəyyumluq və əmlak məsələləri "
            "üzrə ödənişsiz məsləhət verir və onu məhkəmədə təmsil edir.",
            "Бесплатно консультирует пострадавшую по вопросам охранных ордеров, развода, опеки "
            "над детьми и имущества и представляет её интересы в суде.",
            "Advises the victim free of charge on protection orders, divorce, custody of "
            "children and property, and represents her in court.",
        ),
    ),
    (
        "justice",
        _t(
            "Zorakılıq törədənlər üçün proqramları və məhkəmə qərarlarının icrasına nəzarət "
            "edən probasiya xidmətini həyata keçirir.",
            "Проводит программы для лиц, совершивших насилие, и обеспечивает работу службы "
            "пробации, которая контролирует исполнение судебных решений.",
            "Runs the perpetrator programmes and the probation service that supervises court "
            "orders.",
        ),
    ),
]

# id, service kind, promised hours, from which risk level, situation
PATHWAYS = [
    (
        "police-high-risk",
        "police_protection",
        24,
        "high",
        _t(
            "Zərərçəkmiş yüksək və ya kritik risk altındadır və polis mühafizəsinə ehtiyacı var; "
            "polis yönləndirmənin alındığını təsdiqləyir və tədbir görür.",
            "Пострадавшая находится под высоким или критическим риском и нуждается в защите "
            "полиции; полиция подтверждает получение направления и принимает меры.",
            "The victim is at high or critical risk and needs police protection; the police "
            "acknowledge the referral and act on it.",
        ),
    ),
    (
        "shelter-place",
        "shelter",
        4,
        "",
        _t(
            "Zərərçəkmiş evdə təhlükəsiz qala bilmir və sığınacaqda yerə ehtiyacı var — uşaqları "
            "varsa, onlarla birlikdə.",
            "Пострадавшая не может безопасно оставаться дома и нуждается в месте в приюте — "
            "вместе с детьми, если они есть.",
            "The victim cannot stay at home safely and needs a place in a shelter, with her "
            "children if she has any.",
        ),
    ),
    (
        "legal-advice",
        "legal_aid",
        72,
        "",
        _t(
            "Zərərçəkmişin hüquqi məsləhətə və ya təmsilçiliyə ehtiyacı var: mühafizə orderi, "
            "boşanma, uşaqlara qəyyumluq, əmlak.",
            "Пострадавшей нужна юридическая консультация или представительство: охранный ордер, "
            "развод, опека над детьми, имущество.",
            "The victim needs legal advice or representation: a protection order, divorce, "
            "custody of children, property.",
        ),
    ),
    (
        "psychological-support",
        "psychological",
        48,
        "",
        _t(
            "Zərərçəkmiş psixoloji yardım istəyir və ya onda travma əlamətləri görünür.",
            "Пострадавшая просит психологической помощи, или у неё заметны признаки травмы.",
            "The victim asks for counselling or shows signs of trauma.",
        ),
    ),
    (
        "social-benefits",
        "social_benefits",
        120,
        "",
        _t(
            "Zərərçəkmişin müstəqil yaşamaq üçün maddi dəstəyə, müavinətlərə və ya iş tapmaqda "
            "köməyə ehtiyacı var.",
            "Пострадавшей нужна материальная поддержка, пособия или помощь в поиске работы, "
            "чтобы жить самостоятельно.",
            "The victim needs income support, benefits or help finding work to live on her own.",
        ),
    ),
    (
        "child-protection",
        "child_protection",
        24,
        "",
        _t(
            "Ailədə uşaqlar yaşayır və ya onlar zorakılığın şahidi olublar.",
            "В семье живут дети, или они были свидетелями насилия.",
            "Children live in the household or have witnessed the violence.",
        ),
    ),
    (
        "housing",
        "housing",
        240,
        "",
        _t(
            "Zərərçəkmişin sığınacaqdan sonra uzunmüddətli mənzilə ehtiyacı var.",
            "Пострадавшей нужно долгосрочное жильё после приюта.",
            "The victim needs a longer-term home after the shelter.",
        ),
    ),
    (
        "perpetrator-programme",
        "perpetrator_programme",
        240,
        "",
        _t(
            "Məhkəmə və ya probasiya xidməti zorakılıq törədəni davranışın dəyişdirilməsi "
            "proqramına göndərir.",
            "Суд или служба пробации направляет лицо, совершившее насилие, на программу "
            "изменения поведения.",
            "A court or the probation service sends the perpetrator to a behaviour-change "
            "programme.",
        ),
    ),
]

CONTACTS = [
    (
        "scfwca",
        _t(
            "Protokolun katibliyi: protokol və risk konfransı ilə bağlı suallar; "
            "+994 12 000 00 01, iş günləri 9:00–18:00.",
            "Секретариат протокола: вопросы о протоколе и конференции по оценке рисков; "
            "+994 12 000 00 01, по будним дням 9:00–18:00.",
            "Secretariat of the protocol: questions about the protocol and the risk "
            "conference; +994 12 000 00 01, weekdays 9:00–18:00.",
        ),
    ),
    (
        "police-baku",
        _t(
            "Məişət zorakılığı üzrə növbətçi hissə, gecə-gündüz: +994 12 000 00 02.",
            "Дежурная часть по делам о домашнем насилии, круглосуточно: +994 12 000 00 02.",
            "Duty desk for domestic violence, day and night: +994 12 000 00 02.",
        ),
    ),
    (
        "shelter-baku",
        _t(
            "Sığınacağa qəbul xətti, gecə-gündüz: +994 12 000 00 03. Ünvan yalnız yönləndirən "
            "əməkdaşa bildirilir.",
            "Линия приёма в приют, круглосуточно: +994 12 000 00 03. Адрес сообщается только "
            "направившему сотруднику.",
            "Shelter intake line, day and night: +994 12 000 00 03. The address is given only to "
            "the referring officer.",
        ),
    ),
    (
        "mlspp-baku",
        _t(
            "Sosial müdafiə şöbəsi: +994 12 000 00 04, iş günləri 9:00–18:00.",
            "Отдел социальной защиты: +994 12 000 00 04, по будним дням 9:00–18:00.",
            "Social protection desk: +994 12 000 00 04, weekdays 9:00–18:00.",
        ),
    ),
    (
        "legal-aid-ganja",
        _t(
            "Hüquqi yardım üçün qəbul: +994 22 000 00 05, iş günləri 10:00–17:00.",
            "Запись на юридическую помощь: +994 22 000 00 05, по будним дням 10:00–17:00.",
            "Legal aid appointments: +994 22 000 00 05, weekdays 10:00–17:00.",
        ),
    ),
]

INFORMATION_SHARING = _t(
    "1. Qəbul edən quruma kömək üçün lazım olanı paylaşırıq, artığını yox.\n"
    "2. İş paylaşılmazdan əvvəl zərərçəkmişin razılığı soruşulur və qeydə alınır; o, "
    "razılığını geri götürə bilər.\n"
    "3. Razılıq olmadan məlumat yalnız risk yüksək və ya kritik olduqda, audit jurnalında "
    "saxlanılan yazılı əsaslandırma ilə paylaşılır.\n"
    "4. Sığınacağın yeri və zərərçəkmişin yeni ünvanı ona ehtiyacı olmayan heç kəsə, "
    "zorakılıq törədənə və onun ailəsinə isə heç vaxt bildirilmir.\n"
    "5. Məlumat şəxsi messencerlər və ya şəxsi e-poçt ilə deyil, Birge vasitəsilə paylaşılır; "
    "hər baxış qeydə alınır.\n"
    "6. Uşağın təhlükədə ola biləcəyi hər halda uşaqlar barədə məlumat uşaq müdafiəsi "
    "xidməti ilə paylaşılır.",
    "1. Мы передаём то, что нужно принимающему ведомству для помощи, и ничего сверх этого.\n"
    "2. Прежде чем передать дело, у пострадавшей спрашивают согласие и фиксируют его; она "
    "может его отозвать.\n"
    "3. Без согласия сведения передаются только при высоком или критическом риске, с "
    "письменным обоснованием, которое сохраняется в журнале аудита.\n"
    "4. Местонахождение приюта и новый адрес пострадавшей не сообщаются никому, кому они не "
    "нужны, и никогда — лицу, совершившему насилие, или его семье.\n"
    "5. Сведения передаются через Birge, а не через личные мессенджеры или личную почту; "
    "каждый просмотр фиксируется.\n"
    "6. Сведения о детях передаются в службу защиты детей всякий раз, когда ребёнок может "
    "быть в опасности.",
    "1. We share what the receiving agency needs in order to help, and nothing more.\n"
    "2. Before her case is shared, the victim is asked for her consent and it is recorded; "
    "she may withdraw it.\n"
    "3. Without consent, information is shared only when the risk is high or critical, with "
    "a written reason that is kept in the audit log.\n"
    "4. The shelter's location and the victim's new address are told to no one who does "
    "not need them, and never to the perpetrator or his family.\n"
    "5. Information is shared through Birge, not by private messengers or personal email; "
    "every reading is logged.\n"
    "6. Information about children is shared with child protection whenever a child may be "
    "in danger.",
)

PROTOCOL_V1 = {
    "title": _t(
        "Məişət zorakılığı və qadınlara qarşı zorakılıq hallarında qurumlararası əməkdaşlıq "
        "protokolu",
        "Протокол межведомственного взаимодействия по случаям домашнего насилия и насилия в "
        "отношении женщин",
        "Protocol for multi-agency co-operation in cases of domestic violence and violence "
        "against women",
    ),
    "roles": [{"agency_kind": kind, "text": text} for kind, text in ROLES],
    "pathways": [
        {
            "id": pathway_id,
            "situation": situation,
            "service_kind": kind,
            "response_hours": hours,
            "min_risk": min_risk,
        }
        for pathway_id, kind, hours, min_risk, situation in PATHWAYS
    ],
    "contacts": [{"agency": code, "text": text} for code, text in CONTACTS],
    "information_sharing": INFORMATION_SHARING,
}

# Written by the administrator who drafted it: in the demo's language (in_demo_language).
PROTOCOL_V1_NOTE = (
    "İştirakçı qurumların razılaşdırdığı ilk versiya.",
    "Первая версия, согласованная участвующими ведомствами.",
    "The first version, agreed by the participating agencies.",
)
