"""The demo's risk conferences: `birge demo` sets them up so that the whole flow shows.

- A series for Baku and one for Ganja, chaired by the coordinating body's `chair`, set up
  by the administrator through `series_save`.
- Their queues: open cases of the area at high or critical risk, referred on the risk
  criterion through `conference_queue` (the risk hook runs on live assessments only; the
  synthetic cases are bulk-loaded with their level already set), at most QUEUE_CAP each.
- Baku's last meeting, about five weeks ago and closed: four cases on its agenda (three
  heard, one deferred), research from three member agencies, attendance of four, and
  actions with named persons: one done on time, one done late, one open and overdue
  (the scheduler of `make demo` escalates it within minutes of starting), one open and
  not yet due. A heard case has had a new incident since, so the repeat rule has put it
  back in the queue.
- Baku's next meeting, five days ahead, planned with an empty agenda: the chair builds
  it from the queue.

Everything goes through birge.conferences.services (and birge.cases.services for the
new incident), so the audit log, the circles and the notifications are what they would
be. The services act now, and the last meeting lies in the past: where a service refuses
the past (planning a meeting, a due date already gone) or stamps the current time, the
row is written or re-dated directly afterwards. That is demo history, not a path a user
can take. Notifications of that history are dated when it happened and marked read;
those of the present (the queue since the last meeting, the repeat) stay unread. No
email goes out while the demo is built.

Safe to run again: a series that exists is left as it is (an administrator may have
changed it), the last meeting is written only while none has sat, a case is queued only
if it was never referred to the series, and a meeting is planned only when none is
planned ahead.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Exists, IntegerField, Max, OuterRef, Value, When
from django.test.utils import override_settings
from django.utils import timezone

from birge.agencies.models import Agency, Region, User
from birge.audit.services import event_record
from birge.cases.models import Case, CasePerson, CircleMember, Part
from birge.cases.services.registration import incident_record
from birge.conferences import services
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    Concern,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchNote,
    ResearchTopic,
)
from birge.conferences.services.queue import WAITING
from birge.demo.data import Texts, in_demo_language
from birge.demo.synthetic import DEFAULT_SEED
from birge.jobs.conferences import conference_action_deadlines
from birge.notifications.models import Notification

QUEUE_CAP = 25  # cases waiting in one series: a realistic queue, not every high-risk case
HISTORY_CASES = 4
LAST_MEETING_DAYS_AGO = 35
NEXT_MEETING_IN_DAYS = 5

CONFIDENTIALITY = {
    "az": (
        "Bu iclasda paylaşılan məlumat iclas daxilində qalır. Mən ondan yalnız zorakılığa "
        "məruz qalan qadının və onun uşaqlarının müdafiəsi üçün istifadə edəcəyəm. Qanuni "
        "əsas olmadan onu heç kimə ötürməyəcəyəm; öz qurumumda isə yalnız razılaşdırılmış "
        "tədbirləri həyata keçirənlərə bildirəcəyəm. Müzakirənin və tədbirlərin protokola "
        "yazıldığını, iştirakımın və bu bəyanatı qəbul etməyimin də qeydə alındığını başa "
        "düşürəm."
    ),
    "ru": (
        "Сведения, которыми делятся на этом заседании, остаются в его пределах. Я буду "
        "использовать их только для защиты пострадавшей и её детей. Без законного "
        "основания я никому их не передам, а в своём ведомстве сообщу только тем, кто "
        "выполняет согласованные меры. Я понимаю, что обсуждение и меры заносятся в "
        "протокол, а моё участие и принятие этого заявления также фиксируются."
    ),
    "en": (
        "What is shared at this meeting stays within it. I will use it only to protect "
        "the victim and her children. I will not pass it on without a legal basis, and "
        "within my agency only to those who carry out the agreed actions. I understand "
        "that the discussion and the actions are recorded in the minutes, and that my "
        "attendance and my acceptance of this statement are recorded too."
    ),
}

LEGAL_BASIS = (
    "Azərbaycan Respublikasının «Məişət zorakılığının qarşısının alınması haqqında» Qanunu "
    "(məişət zorakılığının qarşısının alınmasında və onun qurbanlarının müdafiəsində "
    "səlahiyyətli orqanların əməkdaşlığı) və üzv qurumların əməkdaşlıq protokolu "
    "(çoxqurumlu risk konfransı): məlumat zərərçəkmiş qadının və onun uşaqlarının "
    "müdafiəsi üçün paylaşılır.",
    "Закон Азербайджанской Республики «О предотвращении бытового насилия» (взаимодействие "
    "компетентных органов в предотвращении бытового насилия и защите его жертв) и протокол "
    "взаимодействия ведомств-участников (межведомственная конференция по рискам): сведения "
    "передаются для защиты пострадавшей и её детей.",
    "Law of the Republic of Azerbaijan “On Prevention of Domestic Violence” (co-operation "
    "of the competent bodies in preventing domestic violence and protecting its victims) "
    "and the co-operation protocol of the member agencies (the multi-agency risk "
    "conference): information is shared to protect the victim and her children.",
)
PLACE = (
    "Konfrans zalı, Dövlət Komitəsi (Bakı)",
    "Конференц-зал, Государственный комитет (Баку)",
    "Conference room, State Committee (Baku)",
)


@dataclass(frozen=True)
class SeriesSpec:
    code: str
    region: str
    names: tuple[str, str, str]
    members: tuple[str, ...]
    # Illustrative figures, not official statistics: for the "heard per 10,000" figure.
    adult_women_population: int


SERIES = (
    SeriesSpec(
        "baku-marac",
        "baku",
        (
            "Bakı çoxqurumlu risk konfransı",
            "Межведомственная конференция по рискам — Баку",
            "Baku multi-agency risk conference",
        ),
        ("scfwca", "police-baku", "mlspp-baku", "shelter-baku"),
        850_000,
    ),
    SeriesSpec(
        "ganja-marac",
        "ganja",
        (
            "Gəncə çoxqurumlu risk konfransı",
            "Межведомственная конференция по рискам — Гянджа",
            "Ganja multi-agency risk conference",
        ),
        ("scfwca", "police-ganja", "mlspp-ganja", "legal-aid-ganja"),
        125_000,
    ),
)

# Who does what at Baku's last meeting (demo usernames).
CHAIR = "chair"
POLICE = "police-baku"
ATTENDEES = (
    ("chair", "az"),
    ("police.marac", "az"),
    ("coordinator", "az"),
    ("shelter", "ru"),
)

# What the meeting heard of each case: synthetic, about nobody. The first case has
# children (it is chosen so). Each text as (az, ru, en): the demo writes it in its language.
DISCUSSIONS: tuple[tuple[Texts, Texts, Texts], ...] = (
    (
        (
            "Son altı ayda təkrarlanan fiziki zorakılıq, sonuncusu onu boğmağa cəhdlə; "
            "cərimədən sonra o, sərbəst buraxılıb. Uşaqlar son hadisəni görüblər.",
            "Повторяющиеся физические нападения за последние полгода, последнее — с "
            "попыткой её задушить; после штрафа его отпустили. Дети видели последний "
            "инцидент.",
            "Repeated physical assaults over the last six months, the latest with an attempt "
            "to strangle her; he was released after a fine. The children saw the last "
            "incident.",
        ),
        (
            "Kişi evdən uzaq tutularsa, o, uşaqlarla evdə qalmaq istəyir. Kişi qayıtsa, "
            "sığınacağa gedəcək.",
            "Она хочет остаться дома с детьми, если его будут держать на расстоянии. Если он "
            "вернётся, она уйдёт в приют.",
            "She wants to stay at home with the children if he is kept away. She will go to "
            "the shelter if he comes back.",
        ),
        (
            "Boğma, hücumların tezləşməsi, onun yaxınlarda azad edilməsi, uşaqların olması. "
            "Yaxın həftələrdə ciddi zərər riski yüksəkdir.",
            "Удушение, учащение нападений, его недавнее освобождение, присутствие детей. "
            "Высокий риск серьёзного вреда в ближайшие недели.",
            "Strangulation, assaults more frequent, his recent release, children present. High "
            "risk of serious harm in the coming weeks.",
        ),
    ),
    (
        (
            "Ayrılmaq istədiyini deyəndən bəri öldürmə hədələri və nəzarət edən davranış; "
            "kişi onun telefonunu və şəxsiyyət sənədlərini əlindən alıb.",
            "Угрозы убийством и контролирующее поведение с тех пор, как она сказала, что "
            "хочет расстаться; он забрал её телефон и документы.",
            "Threats to kill and controlling behaviour since she said she wants to separate; he "
            "took her phone and her identity documents.",
        ),
        (
            "O, mühafizə orderi almaq və sənədlərini geri qaytarmaq istəyir. İşini və "
            "mənzilini tərk etmək istəmir.",
            "Она хочет получить охранный ордер и вернуть свои документы. Она не хочет уходить "
            "с работы и из квартиры.",
            "She wants a protection order and her documents back. She does not want to leave "
            "her job or her flat.",
        ),
        (
            "Ayrılıq, öldürmə hədələri, sənədlərinə və pullarına nəzarət.",
            "Расставание, угрозы убийством, контроль над её документами и деньгами.",
            "Separation, threats to kill, control of her documents and money.",
        ),
    ),
    (
        (
            "İqtisadi və psixoloji zorakılıq: bütün pulu kişi saxlayır və onu ailəsindən "
            "təcrid edir. Son qiymətləndirmədən bəri fiziki zorakılıq barədə məlumat yoxdur.",
            "Экономическое и психологическое насилие: он держит все деньги у себя и отрезает "
            "её от семьи. С последней оценки о физическом насилии не сообщалось.",
            "Economic and psychological violence: he keeps all the money and cuts her off from "
            "her family. No physical violence reported since the last assessment.",
        ),
        (
            "Getmək barədə qərar verməzdən əvvəl öz gəliri ilə yaşamaq üçün kömək istəyir.",
            "Прежде чем решить, уходить ли, она хочет помощи, чтобы жить на собственный доход.",
            "She wants help to live on her own income before she decides whether to leave.",
        ),
        (
            "Təcrid və maddi asılılıq; getməyə cəhd etsə, risk arta bilər.",
            "Изоляция и финансовая зависимость; риск может вырасти, если она попытается уйти.",
            "Isolation and financial dependence; the risk may rise if she tries to leave.",
        ),
    ),
)

# (case, username, topic, text), added before the meeting.
RESEARCH: tuple[tuple[int, str, str, Texts], ...] = (
    (
        0,
        "police.marac",
        ResearchTopic.INCIDENTS,
        (
            "Son səkkiz ayda bu ünvana dörd çağırış olub; kişi bir dəfə cərimələnib və "
            "sərbəst buraxılıb. Yazda qısamüddətli mühafizə orderi verilib.",
            "За последние восемь месяцев — четыре вызова по этому адресу; его один раз "
            "оштрафовали и отпустили. Весной был выдан краткосрочный охранный ордер.",
            "Four call-outs to the address in the last eight months; he was fined once and "
            "released. A temporary protection order was issued in the spring.",
        ),
    ),
    (
        1,
        "police.marac",
        ResearchTopic.INCIDENTS,
        (
            "Keçən ay hədələrdən sonra bir çağırış olub; həbs olmayıb. Kişinin qeydiyyatda "
            "olan ov tüfəngi var.",
            "Один вызов после угроз в прошлом месяце; задержания не было. У него есть "
            "зарегистрированное охотничье ружьё.",
            "One call-out after threats last month; no arrest. He has a registered hunting rifle.",
        ),
    ),
    (
        0,
        "shelter",
        ResearchTopic.OTHER,
        (
            "Keçən il o, uşaqları ilə üç həftə sığınacağımızda qalıb və evə qayıdıb; "
            "əməkdaşlarımıza hədələrin tezliklə yenidən başladığını deyib.",
            "В прошлом году она три недели жила с детьми в нашем приюте и вернулась домой; "
            "она рассказала нашим сотрудникам, что вскоре угрозы возобновились.",
            "She stayed in our shelter with her children for three weeks last year and went "
            "back home; she told our staff the threats started again soon after.",
        ),
    ),
    (
        0,
        "coordinator",
        ResearchTopic.CHILDREN,
        (
            "Uşaq müdafiəsi bölməmiz keçən yaz məktəb narahatlıq bildirəndən bəri uşaqları "
            "tanıyır; sosial işçi bir dəfə baş çəkib.",
            "Наш отдел защиты детей знает этих детей с прошлой весны, когда школа сообщила о "
            "тревожных признаках; социальный работник приходил один раз.",
            "Our child protection unit has known the children since their school reported "
            "concerns last spring; a social worker visited once.",
        ),
    ),
    (
        1,
        "coordinator",
        ResearchTopic.ORDERS,
        (
            "Keçən il qısamüddətli mühafizə orderi verilib və müddəti bitib; onun işində "
            "uzunmüddətli order yoxdur.",
            "В прошлом году был выдан краткосрочный охранный ордер, срок его истёк; "
            "долгосрочного ордера в её деле нет.",
            "A temporary protection order was issued last year and has expired; her file holds "
            "no long-term order.",
        ),
    ),
    (
        1,
        "shelter",
        ResearchTopic.HEALTH,
        (
            "Psixoloqumuz bu il onu iki dəfə qəbul edib. O, baş ağrılarından, pis yuxudan və "
            "qaranlıq düşəndən sonra evə getməyə qorxduğundan danışıb.",
            "Наш психолог принимал её дважды в этом году. Она говорила о головных болях, "
            "плохом сне и о том, что боится идти домой после наступления темноты.",
            "Our psychologist saw her twice this year. She spoke of headaches and poor sleep, "
            "and of being afraid to go home after dark.",
        ),
    ),
    (
        2,
        "coordinator",
        ResearchTopic.OTHER,
        (
            "O, yazda işini itirib və kişinin gəlirindən asılıdır. Ünvanlı dövlət sosial "
            "yardımı üçün müraciətinə başlanıb, lakin tamamlanmayıb.",
            "Весной она потеряла работу и зависит от его дохода. Её заявление на адресную "
            "социальную помощь начато, но не завершено.",
            "She lost her job in the spring and depends on his income. Her application for "
            "targeted social assistance was started and not finished.",
        ),
    ),
    (
        3,
        "coordinator",
        ResearchTopic.OTHER,
        (
            "Bu ailə barədə məlumatımız yoxdur.",
            "У нас нет сведений об этой семье.",
            "We hold no information on this family.",
        ),
    ),
)


@dataclass(frozen=True)
class ActionSpec:
    case: int
    agency: str
    person: str
    text: Texts
    concerns: tuple[str, ...]
    due_after: int  # days after the meeting
    done_after: int | None = None  # days after the meeting; None while open


OVERDUE_BY = 3  # days

ACTIONS = (
    ActionSpec(
        0,
        "police-baku",
        "officer",
        (
            "Hər həftə evə baş çəkmək və mühafizə orderinə əməl olunduğunu yoxlamaq; hər "
            "hansı pozuntu barədə elə həmin gün sədrə məlumat vermək.",
            "Еженедельно посещать дом и проверять соблюдение охранного ордера; о любом "
            "нарушении сообщать председателю в тот же день.",
            "Visit the home every week and check that the protection order is kept; report "
            "any breach to the chair the same day.",
        ),
        (Concern.VICTIM, Concern.PERPETRATOR),
        due_after=14,
        done_after=12,
    ),
    ActionSpec(
        0,
        "shelter-baku",
        "shelter",
        (
            "Ona və uşaqlara sığınacaqda otaq və təhlükəsizlik planlaşdırması görüşü təklif "
            "etmək; onun qərarını sədrə bildirmək.",
            "Предложить ей и детям комнату в приюте и встречу по планированию безопасности; "
            "сообщить председателю о её решении.",
            "Offer her and the children a room in the shelter and a safety-planning session; "
            "tell the chair what she decides.",
        ),
        (Concern.VICTIM, Concern.CHILDREN),
        due_after=7,
        done_after=12,
    ),
    ActionSpec(
        1,
        "police-baku",
        "officer",
        (
            "Uzunmüddətli mühafizə orderi üçün məhkəməyə müraciət etmək və məhkəmə iclasının "
            "tarixini onun koordinatoruna bildirmək.",
            "Обратиться в суд за долгосрочным охранным ордером и сообщить её координатору "
            "дату заседания.",
            "Apply to the court for a long-term protection order and tell her coordinator the "
            "date of the hearing.",
        ),
        (Concern.VICTIM, Concern.PERPETRATOR),
        due_after=LAST_MEETING_DAYS_AGO - OVERDUE_BY,  # due three days ago: overdue
    ),
    ActionSpec(
        2,
        "mlspp-baku",
        "coordinator",
        (
            "Ünvanlı dövlət sosial yardımı üçün müraciətini tamamlamağa kömək etmək və "
            "psixoloji məsləhət görüşləri təşkil etmək; növbətidən sonrakı iclasda məlumat "
            "vermək.",
            "Помочь ей оформить заявление на адресную социальную помощь и организовать "
            "консультации психолога; доложить на заседании через одно.",
            "Help her complete her application for targeted social assistance and arrange "
            "counselling sessions; report at the meeting after next.",
        ),
        (Concern.VICTIM,),
        due_after=90,
    ),
)

COMPLETION_NOTES: dict[int, Texts] = {
    0: (
        "Həftəlik baş çəkmələr edilib; orderin pozulması aşkar edilməyib.",
        "Еженедельные посещения проведены; нарушений ордера не выявлено.",
        "Weekly visits made; no breach of the order found.",
    ),
    1: (
        "O, iki həftəlik otağı qəbul edib və təhlükəsizlik planı var.",
        "Она согласилась на комнату на две недели, у неё есть план безопасности.",
        "She accepted a room for two weeks and has a safety plan.",
    ),
}


@dataclass(frozen=True)
class SeriesSummary:
    """What one demo conference holds, for the command to print."""

    name: str
    queued: int
    last_meeting: date | None = None
    heard: int = 0
    overdue: int = 0
    next_meeting: date | None = None


def conferences_load(*, seed: int = DEFAULT_SEED) -> list[SeriesSummary]:
    """Set up the demo's risk conferences (see the module's docstring); safe to run
    again. Demo agencies and users must be loaded (`demo_load`)."""
    rng = random.Random(seed)  # noqa: S311 -- synthetic data
    loaded = []
    with _no_email(), transaction.atomic():
        users = {u.username: u for u in User.objects.select_related("agency")}
        if CHAIR not in users or "admin" not in users:
            return []
        for spec in SERIES:
            series = _series_ensure(spec, admin=users["admin"], chair=users[CHAIR])
            if series is None:
                continue
            if spec.region == "baku":
                if not _has_sat(series):
                    _last_meeting(series, users=users, rng=rng)
                _next_meeting(series, chair=users[CHAIR])
            _queue(series, rng=rng)
            loaded.append(series)
    return [_summarise(series) for series in loaded]


@contextmanager
def _no_email() -> Iterator[None]:
    """The console backend of the demo would print an email per notification into the
    command's output; the demo's history sends none."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def _has_sat(series: ConferenceSeries) -> bool:
    """A meeting of the series has sat, or was due to (a planned one ahead does not
    count: `birge demo` without cases plans one)."""
    return (
        series.meetings.exclude(status=Meeting.Status.PLANNED).exists()
        or series.meetings.filter(starts_at__lte=timezone.now()).exists()
    )


def _series_ensure(spec: SeriesSpec, *, admin: User, chair: User) -> ConferenceSeries | None:
    existing = ConferenceSeries.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    members = list(Agency.objects.filter(code__in=spec.members))
    region = Region.objects.filter(code=spec.region).first()
    if region is None or len(members) != len(spec.members):
        return None
    az, ru, en = spec.names
    return services.series_save(
        actor=admin,
        data={
            "code": spec.code,
            "name_az": az,
            "name_ru": ru,
            "name_en": en,
            "region": region,
            "chair": chair,
            "cadence": "monthly",
            "quorum": 3,
            "minutes_per_case": 15,
            "confidentiality_az": CONFIDENTIALITY["az"],
            "confidentiality_ru": CONFIDENTIALITY["ru"],
            "confidentiality_en": CONFIDENTIALITY["en"],
            "legal_basis": in_demo_language(LEGAL_BASIS),
            "adult_women_population": spec.adult_women_population,
            "is_active": True,
        },
        members=members,
    )


def _candidates(series: ConferenceSeries):
    """Open cases of the series' area at high or critical risk, never referred to it:
    critical first, then the oldest."""
    referred = ConferenceReferral.objects.filter(series=series, case=OuterRef("pk"))
    rank = When_(
        When(risk_level="critical", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Case.objects.filter(
            region_id=series.region_id,
            status=Case.Status.OPEN,
            risk_level__in=["high", "critical"],
            sealed=False,
        )
        .exclude(Exists(referred))
        .annotate(rank=rank)
        .order_by("rank", "id")
    )


def _queue(series: ConferenceSeries, *, rng: random.Random) -> None:
    """Refer the area's high-risk cases on the risk criterion, as the risk hook would
    have, up to QUEUE_CAP waiting; each dated some time since the series' last meeting."""
    waiting = series.referrals.filter(status__in=WAITING).count()
    room = max(QUEUE_CAP - waiting, 0)
    if not room:
        return
    last = series.meetings.filter(status=Meeting.Status.CLOSED).aggregate(m=Max("starts_at"))["m"]
    now = timezone.now()
    since = (last or now - timedelta(days=30)) + timedelta(days=1)
    history = _History()
    for case in list(_candidates(series)[:room]):
        referral = services.conference_queue(case=case, criterion="risk", series=series)
        if referral is None:
            continue
        # Demo history: referred when the risk hook would have run, after the last meeting.
        moment = _between(rng, max(since, case.opened_at), now)
        _redate_referral(referral, moment)
        history.dated(moment, read=False)


def _last_meeting(series: ConferenceSeries, *, users: dict, rng: random.Random) -> None:
    """Baku's last meeting, closed, with its agenda, research, discussion and actions."""
    chair = users[CHAIR]
    today = timezone.localdate()
    starts_at = _at(today - timedelta(days=LAST_MEETING_DAYS_AGO), 10)
    cases = _history_cases(series, before=starts_at - timedelta(days=10))
    if len(cases) < HISTORY_CASES:
        return
    history = _History()

    referrals = []
    for case in cases:
        referral = services.conference_queue(case=case, criterion="risk", series=series)
        moment = _between(
            rng,
            max(case.opened_at, starts_at - timedelta(days=30)),
            starts_at - timedelta(days=8),
        )
        _redate_referral(referral, moment)
        history.dated(moment)
        referrals.append(referral)

    # meeting_plan refuses a start in the past: the planned meeting is written directly.
    planned_at = starts_at - timedelta(days=21)
    meeting = Meeting.objects.create(
        series=series,
        starts_at=starts_at,
        place=in_demo_language(PLACE),
        created_by=chair,
    )
    Meeting.objects.filter(pk=meeting.pk).update(created_at=planned_at)
    event_record(
        action="conference.meeting_planned",
        actor=chair,
        object_type="meeting",
        object_id=meeting.pk,
        data={"series": series.pk},
    )
    items = [
        services.agenda_add(actor=chair, meeting=meeting, referral=referral)
        for referral in referrals
    ]
    history.dated(planned_at)
    services.agenda_send(actor=chair, meeting=meeting)
    sent_at = starts_at - timedelta(days=10)
    Meeting.objects.filter(pk=meeting.pk).update(agenda_sent_at=sent_at)
    history.dated(sent_at)

    for index, username, topic, text in RESEARCH:
        note = services.research_add(
            actor=users[username], item=items[index], topic=topic, text=in_demo_language(text)
        )
        written = starts_at - timedelta(days=rng.randint(2, 8), hours=rng.randint(0, 6))
        ResearchNote.objects.filter(pk=note.pk).update(created_at=written)

    meeting.refresh_from_db()
    services.meeting_open(actor=chair, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(opened_at=starts_at - timedelta(minutes=5))
    for minute, (username, language) in enumerate(ATTENDEES):
        attendance = services.meeting_attend(
            actor=users[username], meeting=meeting, accept=True, language=language
        )
        Attendance.objects.filter(pk=attendance.pk).update(
            accepted_at=starts_at - timedelta(minutes=4 - minute)
        )

    moment = starts_at
    for item, discussion in zip(items, DISCUSSIONS, strict=False):
        summary, victim_view, risks = (in_demo_language(texts) for texts in discussion)
        moment += timedelta(minutes=series.minutes_per_case + rng.randint(-3, 5))
        services.item_discuss(
            actor=chair, item=item, summary=summary, victim_view=victim_view, risks=risks
        )
        AgendaItem.objects.filter(pk=item.pk).update(discussed_at=moment)
        CircleMember.objects.filter(
            case_id=item.case_id, route=CircleMember.Route.CONFERENCE
        ).update(added_at=moment)
        history.dated(moment)
    # The last case was not reached: it goes back to the queue, the oldest there.
    services.item_defer(actor=chair, item=items[-1])

    actions = [_action(spec, items=items, users=users, starts_at=starts_at) for spec in ACTIONS]
    history.dated(moment)

    closed_at = moment + timedelta(minutes=10)
    meeting.refresh_from_db()
    services.meeting_close(actor=chair, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=closed_at)
    history.dated(closed_at)

    for number, (spec, action) in enumerate(zip(ACTIONS, actions, strict=True)):
        if spec.done_after is not None:
            _complete(number, spec, action, users=users, starts_at=starts_at, history=history)
    # The overdue action's reminder went out once three quarters of its time had passed:
    # the deadline job, run as of a moment after that, sends it (nothing else is due then;
    # the escalation is the scheduler's, after the demo starts).
    overdue = actions[2]
    overdue.refresh_from_db()
    reminded = starts_at + (_end_of(overdue.due_on) - starts_at) * 0.8
    conference_action_deadlines(now=reminded)
    history.dated(reminded)

    # Since the meeting, a new incident between the same two people: the repeat rule
    # puts the first case back in the queue (unread by the chair: it is news).
    case = Case.objects.get(pk=items[0].case_id)
    incident_record(
        actor=users["officer"],
        case=case,
        data={
            "occurred_on": today - timedelta(days=1),
            "forms": ["physical", "psychological"],
            "injuries": True,
            "children_present": True,
            "children_witnessed": True,
            "narrative": "He came back to the flat at night, shouted threats and pushed her "
            "against the wall in front of the children.",
        },
    )


def _history_cases(series: ConferenceSeries, *, before: datetime) -> list[Case]:
    """The last meeting's cases: registered by the police (whose officer records the new
    incident and carries out actions), victim and perpetrator recorded, opened well before
    the meeting; the first one with children (its actions concern them)."""
    parts = CasePerson.objects.filter(case=OuterRef("pk"))
    candidates = list(
        _candidates(series)
        .filter(opened_at__lt=before, owning_agency__code=POLICE)
        .filter(Exists(parts.filter(part=Part.VICTIM)), Exists(parts.filter(part=Part.PERPETRATOR)))
        .annotate(children=Exists(parts.filter(part=Part.CHILD)))[:50]
    )
    with_children = [c for c in candidates if c.children]
    if not with_children:
        return []
    first = with_children[0]
    return [first, *[c for c in candidates if c.pk != first.pk][: HISTORY_CASES - 1]]


def _action(spec: ActionSpec, *, items: list, users: dict, starts_at: datetime) -> ConferenceAction:
    """Agreed at the meeting. action_add refuses a due date in the past, so the action is
    added due tomorrow and its real due date written afterwards (demo history). An action
    done on time keeps tomorrow until it is done, so that the completion's audit event
    says "on time"; a late one gets its past due date first, so that it says "late"."""
    action = services.action_add(
        actor=users[CHAIR],
        item=items[spec.case],
        text=in_demo_language(spec.text),
        agency=Agency.objects.get(code=spec.agency),
        person=users[spec.person],
        due_on=timezone.localdate() + timedelta(days=1),
        concerns=list(spec.concerns),
    )
    changes = {"created_at": starts_at + timedelta(minutes=30)}
    if spec.done_after is None or spec.done_after > spec.due_after:
        changes["due_on"] = _due_on(spec, starts_at)
    ConferenceAction.objects.filter(pk=action.pk).update(**changes)
    return action


def _complete(
    number: int,
    spec: ActionSpec,
    action: ConferenceAction,
    *,
    users: dict,
    starts_at: datetime,
    history: "_History",
) -> None:
    """Reported done by its named person, then dated when that happened."""
    action.refresh_from_db()
    services.action_complete(
        actor=users[spec.person], action=action, note=in_demo_language(COMPLETION_NOTES[number])
    )
    done_at = starts_at + timedelta(days=spec.done_after, hours=5)
    ConferenceAction.objects.filter(pk=action.pk).update(
        due_on=_due_on(spec, starts_at), completed_at=done_at
    )
    history.dated(done_at)


def _due_on(spec: ActionSpec, starts_at: datetime) -> date:
    return timezone.localtime(starts_at).date() + timedelta(days=spec.due_after)


def _next_meeting(series: ConferenceSeries, *, chair: User) -> None:
    """The next meeting, planned with an empty agenda: the chair builds it from the queue."""
    now = timezone.now()
    if series.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=now).exists():
        return
    starts_at = _at(timezone.localdate() + timedelta(days=NEXT_MEETING_IN_DAYS), 10)
    services.meeting_plan(
        actor=chair,
        series=series,
        starts_at=starts_at,
        place=in_demo_language(PLACE),
    )


def _summarise(series: ConferenceSeries) -> SeriesSummary:
    now = timezone.now()
    meetings = series.meetings.order_by("starts_at")
    last = meetings.filter(status=Meeting.Status.CLOSED).last()
    upcoming = meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=now).first()
    return SeriesSummary(
        name=series.name_en,
        queued=series.referrals.filter(status=ConferenceReferral.Status.QUEUED).count(),
        last_meeting=timezone.localtime(last.starts_at).date() if last else None,
        heard=last.items.filter(outcome=AgendaItem.Outcome.HEARD).count() if last else 0,
        overdue=ConferenceAction.objects.filter(
            series=series,
            status=ConferenceAction.Status.OPEN,
            due_on__lt=timezone.localdate(),
        ).count(),
        next_meeting=timezone.localtime(upcoming.starts_at).date() if upcoming else None,
    )


# --- Dating the history ----------------------------------------------------------------


class _History:
    """Notifications raised while the demo writes its past: dated when they happened, and
    read by then unless they are news."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return Notification.objects.aggregate(m=Max("id"))["m"] or 0

    def dated(self, moment: datetime, *, read: bool = True) -> None:
        Notification.objects.filter(pk__gt=self.mark).update(
            created_at=moment, read_at=moment if read else None
        )
        self.mark = self._last()


def _redate_referral(referral: ConferenceReferral, moment: datetime) -> None:
    ConferenceReferral.objects.filter(pk=referral.pk).update(referred_at=moment)
    referral.referred_at = moment
    Case.objects.filter(pk=referral.case_id, conference_queued_at__isnull=False).update(
        conference_queued_at=moment
    )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _end_of(day: date) -> datetime:
    return _at(day + timedelta(days=1), 0)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment from start to end, in working hours when there are any between."""
    if end <= start:
        return start
    moment = timezone.localtime(start + (end - start) * rng.random())
    working = moment.replace(hour=rng.randint(9, 17), minute=rng.randrange(60))
    return working if start <= working <= end else moment
