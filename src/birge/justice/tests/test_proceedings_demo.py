"""The demo gains proceedings at different stages and two programme referrals."""

from birge.agencies.models import User
from birge.cases.tests.factories import register_case
from birge.demo.proceedings import proceedings_load
from birge.demo.services import demo_load
from birge.justice.models import Proceeding, ProgrammeReferral


def test_the_demo_has_a_conviction_a_dismissal_an_investigation_and_two_programmes(db):
    demo_load()
    officer = User.objects.get(username="officer")
    for _ in range(5):
        register_case(officer)

    added = proceedings_load()

    assert added
    rows = set(Proceeding.objects.values_list("stage", "outcome"))
    assert rows == {("outcome", "conviction"), ("outcome", "dismissal"), ("investigation", "")}
    ended = set(ProgrammeReferral.objects.values_list("status", flat=True))
    assert ended == {"completed", "dropped_out"}
    assert Proceeding.objects.get(outcome="conviction").sentence
    assert proceedings_load() == []  # run again: nothing added
    assert Proceeding.objects.count() == 3
