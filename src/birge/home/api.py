"""My work over the API, for agencies' own systems: the same sections as the home page."""

from datetime import datetime

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.home.work import ITEM, MyWork, my_work

KINDS = list(ITEM)


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    case_reference = serializers.CharField()
    url = serializers.CharField(help_text="The page where the work is done.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="The deadline, a moment.")
    due_on = serializers.DateField(
        allow_null=True, help_text="The deadline, a day (conference actions)."
    )
    since = serializers.DateTimeField(
        allow_null=True, help_text="When it began to wait (work without a deadline)."
    )
    overdue = serializers.BooleanField()


class WorkSectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    title = serializers.CharField()
    count = serializers.IntegerField(help_text="How many wait; `items` lists the first few.")


class MyWorkSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    sections = WorkSectionSerializer(many=True)
    results = WorkItemSerializer(many=True, help_text="The listed items, most urgent first.")


def _item(item) -> dict:
    due = item.due
    return {
        "kind": item.kind,
        "case_reference": item.case_reference,
        "url": item.url,
        "due_at": due if isinstance(due, datetime) else None,
        "due_on": due if due is not None and not isinstance(due, datetime) else None,
        "since": item.since,
        "overdue": item.overdue,
    }


def work_data(work: MyWork) -> dict:
    return {
        "total": work.total,
        "sections": [{"kind": s.kind, "title": s.title, "count": s.count} for s in work.sections],
        "results": [_item(item) for item in work.items()],
    }


class MyWorkView(APIView):
    """What waits for you and your agency, as your roles allow: per section how many, and
    the first ten of each, overdue first, then by deadline (bounded, not paged)."""

    @extend_schema(operation_id="me_work", responses=MyWorkSerializer)
    def get(self, request):
        return Response(MyWorkSerializer(work_data(my_work(request.user))).data)
