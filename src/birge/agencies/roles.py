"""The standard roles that a fresh Birge starts with. Administrators may change them."""

FRONTLINE = [
    "case.view",
    "case.create",
    "case.edit",
    "risk.assess",
    "safety.plan",
    "referral.send",
    "referral.receive",
]

STANDARD_ROLES = [
    {
        "code": "frontline_officer",
        "names": ("İlkin əlaqə əməkdaşı", "Сотрудник первого контакта", "Frontline officer"),
        "capabilities": FRONTLINE,
        "assignable_by_agency_lead": True,
    },
    {
        "code": "case_coordinator",
        "names": ("İş koordinatoru", "Координатор случая", "Case coordinator"),
        "capabilities": [
            *FRONTLINE,
            "case.coordinate",
            "case.emergency_access",
            "conference.refer",
            "conference.attend",
            "justice.record",
        ],
        "assignable_by_agency_lead": True,
    },
    {
        "code": "conference_chair",
        "names": ("Konfrans sədri", "Председатель конференции", "Conference chair"),
        "capabilities": ["case.view", "conference.attend", "conference.chair"],
        "assignable_by_agency_lead": True,
    },
    {
        # An agency's representative at the risk conference: attends, researches, refers.
        "code": "conference_member",
        "names": (
            "Konfrans nümayəndəsi",
            "Представитель на конференции",
            "Conference representative",
        ),
        "capabilities": ["case.view", "conference.attend", "conference.refer"],
        "assignable_by_agency_lead": True,
    },
    {
        "code": "agency_lead",
        "names": ("Qurum rəhbəri", "Руководитель ведомства", "Agency lead"),
        "capabilities": ["case.view", "referral.receive", "agency.oversee", "users.manage"],
        "assignable_by_agency_lead": True,
    },
    {
        "code": "analyst",
        "names": ("Analitik", "Аналитик", "Analyst"),
        "capabilities": ["stats.view"],
        "assignable_by_agency_lead": False,
    },
    {
        "code": "auditor",
        "names": ("Auditor", "Аудитор", "Auditor"),
        "capabilities": ["audit.read"],
        "assignable_by_agency_lead": False,
    },
    {
        "code": "administrator",
        "names": ("Sistem inzibatçısı", "Системный администратор", "System administrator"),
        "capabilities": ["agencies.manage", "users.manage", "protocol.manage"],
        "assignable_by_agency_lead": False,
    },
    {
        # Runs training sessions on case studies (birge.training); anyone signed in may take part.
        "code": "trainer",
        "names": ("Təlimçi", "Тренер", "Trainer"),
        "capabilities": ["training.facilitate"],
        "assignable_by_agency_lead": True,
    },
]
