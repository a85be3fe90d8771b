"""The header's numbers, counted in one query."""

from birge.home.context_processors import counts
from birge.notifications.models import Notification


def test_counts_answers_each_queryset_in_one_query(db, django_assert_num_queries, officer):
    Notification.objects.create(recipient=officer, kind="test", params={})
    everything = Notification.objects.all()

    with django_assert_num_queries(1):
        found = counts(all=everything, none_read=everything.filter(read_at__isnull=False))

    assert found == {"all": 1, "none_read": 0}


def test_a_queryset_that_can_hold_nothing_counts_zero(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert counts(some=Notification.objects.all(), nothing=Notification.objects.none()) == {
            "some": 0,
            "nothing": 0,
        }
