"""The conferences API's serializers: what it answers (output) and what it accepts
(input, with field-level errors; the services check the rules)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from birge.agencies.models import Agency, Region, User
from birge.agencies.selectors import users_with_capability
from birge.conferences.api._common import FIRST_DAY, LAST_DAY, MAX_ID, _id, _text
from birge.conferences.models import (
    AgendaItem,
    Cadence,
    Concern,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchTopic,
)
from birge.conferences.services.meetings import MAX_MINUTES
from birge.privacy.ids import NOT_A_CHOICE
from birge.web.api import LineField, TextField
from birge.web.api_fields import CountField, RateField

MAX_POSITION = 999  # an agenda's places, as the service allows
MAX_MEMBERS = 500

# --- Output -----------------------------------------------------------------------------


class ConferenceSeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = LineField()
    name = LineField()
    region = serializers.IntegerField(source="region_id")
    chair = serializers.IntegerField(source="chair_id")
    members = serializers.SerializerMethodField()
    cadence = serializers.ChoiceField(choices=Cadence.choices)
    quorum = serializers.IntegerField(help_text=_("Member agencies present for a quorum."))
    minutes_per_case = serializers.IntegerField()
    is_active = serializers.BooleanField()

    def get_members(self, series) -> list[int]:
        return sorted(agency.pk for agency in series.members.all())


class ConferenceQueueRowSerializer(serializers.Serializer):
    """A case waiting in the queue: identifiers and why it is there; nothing about her."""

    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    criterion = serializers.ChoiceField(choices=ConferenceReferral.Criterion.choices)
    is_repeat = serializers.BooleanField()
    risk_level = LineField()
    referred_at = serializers.DateTimeField()
    risk_assessment = serializers.IntegerField(source="risk_assessment_id", allow_null=True)


class ConferenceWatchRowSerializer(ConferenceQueueRowSerializer):
    heard_at = serializers.DateTimeField()
    heard_meeting = serializers.IntegerField(source="heard_meeting_id")


class ConferenceSeriesDetailSerializer(ConferenceSeriesSerializer):
    queue = ConferenceQueueRowSerializer(
        many=True, allow_null=True, help_text=_("The chair side only; null for others.")
    )
    watch = ConferenceWatchRowSerializer(
        many=True,
        allow_null=True,
        help_text=_("Cases heard and under the watch. The chair side only; null for others."),
    )


class ConferenceReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    series = serializers.IntegerField(source="series_id")
    criterion = serializers.ChoiceField(choices=ConferenceReferral.Criterion.choices)
    status = serializers.ChoiceField(
        choices=ConferenceReferral.Status.choices,
    )
    is_repeat = serializers.BooleanField()
    risk_level = LineField()
    risk_assessment = serializers.IntegerField(source="risk_assessment_id", allow_null=True)
    referred_at = serializers.DateTimeField()


class ConferenceAgencyAttendanceSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    agency_name = LineField()
    attended = serializers.IntegerField()
    held = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class ConferenceMonthSerializer(serializers.Serializer):
    month = LineField(help_text=_("YYYY-MM"))
    cases_heard = CountField(help_text=_("Null when hidden."))
    suppressed = serializers.BooleanField(source="cases_heard.suppressed")


class ConferenceFiguresSerializer(serializers.Serializer):
    """Aggregates of the meetings held in the period: no case, no person. Counts of cases
    and actions below `min_cell`, and every number that would give one away, are null
    and named in `suppressed`."""

    series = serializers.IntegerField(source="series_id")
    since = serializers.DateField()
    until = serializers.DateField()
    min_cell = serializers.IntegerField(help_text=_("Counts below this are hidden."))
    suppressed = serializers.ListField(
        child=serializers.CharField(), help_text=_("The names of the figures hidden.")
    )
    meetings_held = serializers.IntegerField()
    cases_heard = CountField()
    distinct_cases = CountField()
    repeat_cases = CountField()
    repeat_rate = RateField(help_text=_("Percent of the cases heard."))
    population = serializers.IntegerField(allow_null=True)
    per_10000 = RateField(help_text=_("Null also while the population is not set."))
    actions_agreed = CountField()
    actions_judged = CountField(help_text=_("Done, or open past the due date."))
    actions_on_time = CountField()
    actions_late = CountField()
    on_time_share = RateField(help_text=_("Percent of the actions judged."))
    actions_open = CountField()
    actions_overdue = CountField()
    actions_not_yet_due = CountField()
    attendance = ConferenceAgencyAttendanceSerializer(many=True)
    by_month = ConferenceMonthSerializer(many=True)


class ConferenceMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    starts_at = serializers.DateTimeField()
    place = LineField()
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    agenda_sent_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ConferenceItemSerializer(serializers.Serializer):
    """A case on the agenda: identifiers, why it is there and what came of it."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    minutes = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    risk_level = serializers.CharField(source="referral.risk_level")
    criterion = serializers.ChoiceField(
        source="referral.criterion", choices=ConferenceReferral.Criterion.choices
    )
    is_repeat = serializers.BooleanField(source="referral.is_repeat")
    outcome = serializers.ChoiceField(choices=AgendaItem.Outcome.choices)


class ConferenceActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    meeting = serializers.IntegerField(source="item.meeting_id")
    item = serializers.IntegerField(source="item_id")
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    text = TextField()
    agency = serializers.IntegerField(source="agency_id")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    due_on = serializers.DateField()
    concerns = serializers.ListField(child=serializers.ChoiceField(choices=Concern.choices))
    status = serializers.ChoiceField(
        choices=ConferenceAction.Status.choices,
    )
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    note = TextField(help_text=_("The completion note, or why it was cancelled."))
    version = serializers.IntegerField()


class ConferenceMeetingDetailSerializer(ConferenceMeetingSerializer):
    quorum = serializers.IntegerField(source="series.quorum")
    agencies_present = serializers.ListField(child=serializers.IntegerField())
    quorum_reached = serializers.BooleanField()
    you_attend = serializers.BooleanField(
        help_text=_("You accepted this meeting's confidentiality statement.")
    )
    items = ConferenceItemSerializer(many=True, source="visible_items")
    open_actions_from_earlier = ConferenceActionSerializer(
        many=True,
        allow_null=True,
        help_text=_("Open actions of the series' earlier meetings: attendees and the chair side."),
    )


class ConferenceBriefPersonSerializer(serializers.Serializer):
    part = LineField()
    name = LineField()
    birth = LineField(help_text=_("The date of birth, or ≈ the age."))


class ConferenceBriefSerializer(serializers.Serializer):
    sealed = serializers.BooleanField(help_text=_("A sealed case shows nobody in it."))
    people = ConferenceBriefPersonSerializer(many=True)


class ConferenceResearchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField(source="agency_id")
    topic = serializers.ChoiceField(choices=ResearchTopic.choices)
    text = TextField()
    created_at = serializers.DateTimeField()


class ConferenceItemDetailSerializer(ConferenceItemSerializer):
    """An agenda case with what research needs; the discussion and the actions for the
    meeting's attendees (null for others)."""

    brief = ConferenceBriefSerializer()
    risk_reasons = serializers.ListField(child=serializers.CharField())
    research = ConferenceResearchSerializer(many=True, source="visible_research")
    summary = serializers.CharField(source="shown_summary", allow_null=True)
    victim_view = serializers.CharField(source="shown_victim_view", allow_null=True)
    risks = serializers.CharField(source="shown_risks", allow_null=True)
    actions = ConferenceActionSerializer(many=True, source="shown_actions", allow_null=True)
    version = serializers.IntegerField()


# --- Input ------------------------------------------------------------------------------


class ConferenceVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("The version you last read; refused if stale."),
    )


class ConferenceReasonSerializer(serializers.Serializer):
    reason = _text()


class ConferenceNoteSerializer(serializers.Serializer):
    note = _text()


class ConferenceSeriesSaveSerializer(serializers.Serializer):
    """A series' settings, the whole of them (administrators). The service checks the
    chair and the quorum. With the context's `series`, the settings of that series."""

    code = serializers.SlugField(
        max_length=60, help_text=_("Short, unique, latin letters, digits and hyphens.")
    )
    name_az = LineField(max_length=200)
    name_ru = LineField(max_length=200)
    name_en = LineField(max_length=200)
    region = _id(help_text=_("The area the conference covers."))
    chair = _id(help_text=_("An active user whose role may chair conferences."))
    members = serializers.ListField(
        child=_id(), max_length=MAX_MEMBERS, help_text=_("The member agencies.")
    )
    cadence = serializers.ChoiceField(choices=Cadence.choices)
    quorum = serializers.IntegerField(
        min_value=1, max_value=MAX_MEMBERS, help_text=_("Member agencies present for a quorum.")
    )
    minutes_per_case = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES)
    confidentiality_az = LineField(help_text=_("Every attendee accepts it at every meeting."))
    confidentiality_ru = LineField()
    confidentiality_en = LineField()
    legal_basis = LineField(help_text=_("The legal basis for sharing at the conference."))
    adult_women_population = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Adult women living in the area, for the figures."),
    )
    is_active = serializers.BooleanField(default=True)

    def validate(self, data):
        series = self.context.get("series")
        errors = {}
        others = ConferenceSeries.objects.filter(code=data["code"])
        if series is not None:
            others = others.exclude(pk=series.pk)
        if others.exists():
            errors["code"] = [_("Another conference series has this code.")]
        data["region"] = Region.objects.filter(pk=data["region"]).first()
        if data["region"] is None:
            errors["region"] = [_("There is no such area.")]
        # Ids outside what may be chosen, whatever the reason, get one answer each
        # (birge.privacy.ids): the service's words for the chair, the list's for members.
        data["chair"] = users_with_capability("conference.chair").filter(pk=data["chair"]).first()
        if data["chair"] is None:
            errors["chair"] = [
                _("The chair must be an active user whose role may chair conferences.")
            ]
        wanted = set(data["members"])
        current = series.members.all() if series else Agency.objects.none()
        # As on the page: an agency closed since it joined may stay, none may join.
        choosable = Agency.objects.filter(is_active=True) | current
        agencies = list(choosable.filter(pk__in=wanted).distinct().order_by("pk"))
        if len(agencies) < len(wanted):
            errors["members"] = [NOT_A_CHOICE]
        data["members"] = agencies
        if errors:
            raise ValidationError(errors)
        return data


class ConferenceFiguresQuerySerializer(serializers.Serializer):
    since = serializers.DateField(
        required=False, help_text=_("The first day (default: a year before `until`).")
    )
    until = serializers.DateField(required=False, help_text=_("The last day (default: today)."))

    def validate(self, data):
        errors = {
            name: [_("Give a date from 2000 to 2099.")]
            for name in ("since", "until")
            if name in data and not FIRST_DAY <= data[name] <= LAST_DAY
        }
        if errors:
            raise ValidationError(errors)
        if "since" in data and "until" in data and data["since"] > data["until"]:
            raise ValidationError({"since": [_("The period starts after it ends.")]})
        return data


class ConferenceMeetingPlanSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = LineField(max_length=200, required=False, allow_blank=True, default="")


class ConferenceReferSerializer(serializers.Serializer):
    case = _id()
    reason = _text(help_text=_("Why the case needs the conference, in your own judgement."))


class ConferenceAgendaSerializer(serializers.Serializer):
    referral = _id(required=False, help_text=_("A referral waiting in the series' queue."))
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES, required=False)
    build = serializers.BooleanField(
        default=False,
        help_text=_("Instead of `referral`: list the queue's cases, critical first."),
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text=_("With `build`: at most so many.")
    )

    def validate(self, data):
        if data["build"] == ("referral" in data):
            raise ValidationError(
                {"referral": [_("Choose a case from the queue, or build the agenda from it.")]}
            )
        return data


class ConferenceArrangeRowSerializer(serializers.Serializer):
    item = _id(help_text=_("An agenda item of this meeting."))
    position = serializers.IntegerField(min_value=1, max_value=MAX_POSITION)
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES)


class ConferenceArrangeSerializer(serializers.Serializer):
    items = ConferenceArrangeRowSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_POSITION,
        help_text=_("Each agenda item's place and minutes; items left out keep theirs."),
    )

    def validate_items(self, rows):
        ids = [row["item"] for row in rows]
        if len(set(ids)) < len(ids):
            raise ValidationError(_("List each agenda item once."))
        return rows


class ConferenceAttendSerializer(serializers.Serializer):
    accept = serializers.BooleanField(
        help_text=_("You accept the confidentiality statement (in the language you read).")
    )


class ConferenceResearchAddSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=ResearchTopic.choices)
    text = _text(help_text=_("What your agency holds about this case."))


class ConferenceDiscussionSerializer(ConferenceVersionSerializer):
    summary = _text()
    victim_view = _text(help_text=_("Her view, as her coordinator gave it."))
    risks = _text()


class ConferenceActionAddSerializer(serializers.Serializer):
    text = _text(help_text=_("What will be done."))
    agency = _id(required=False, allow_null=True, help_text=_("The responsible agency."))
    person = _id(required=False, allow_null=True, help_text=_("The responsible person."))
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=Concern.choices),
        required=False,
        default=list,
        max_length=len(Concern.choices),
        help_text=_("Whom it protects or addresses."),
    )

    def validate(self, data):
        errors = {}
        agency_id, person_id = data.get("agency"), data.get("person")
        data["agency"] = data["person"] = None
        # One answer per field for an id that is missing, inactive or of another agency
        # (birge.privacy.ids). The person is looked for among the responsible agency's
        # active people only, as the service requires, so her id tells nothing either
        # way; without a responsible agency the answer is about the agency alone.
        if agency_id is not None:
            data["agency"] = Agency.objects.filter(pk=agency_id, is_active=True).first()
            if data["agency"] is None:
                errors["agency"] = [NOT_A_CHOICE]
        if person_id is not None and data["agency"] is not None:
            people = User.objects.filter(is_active=True, agency=data["agency"])
            data["person"] = people.filter(pk=person_id).first()
            if data["person"] is None:
                errors["person"] = [_("Name an active person of the responsible agency.")]
        if errors:
            raise ValidationError(errors)
        return data


class ConferenceActionChangeSerializer(ConferenceVersionSerializer, ConferenceActionAddSerializer):
    """The action as it should now be, the whole of it, as when it was added."""


class ConferenceActionCompleteSerializer(ConferenceVersionSerializer):
    note = _text()


class ConferenceActionCancelSerializer(ConferenceVersionSerializer):
    reason = _text(help_text=_("Why the action is no longer needed."))


class ConferenceActionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ConferenceAction.Status.choices,
        required=False,
    )
    mine = serializers.BooleanField(required=False, help_text=_("Only your agency's actions."))


def _valid(serializer_class, data, context=None) -> dict:
    serializer = serializer_class(data=data, context=context or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
