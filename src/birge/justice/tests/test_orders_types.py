"""The order types are data: the shipped file loads, a broken one is refused with a
sentence that names the problem, and the bounds people meet are the file's."""

# ruff: noqa: F811 - the cast is imported as fixtures and named as parameters

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from birge.justice.order_types import (
    SHIPPED,
    OrderTypesError,
    days_in_force,
    order_types,
    order_types_load,
    order_types_load_file,
)
from birge.justice.services import orders as services
from birge.justice.tests.factories import (  # noqa: F401 - the cast
    _english,
    _known_keys,
    bounds,
    coordinator,
    court,
    executive,
    judge,
    local_authority,
    order_apply,
    order_case,
)


def test_the_shipped_file_loads_with_a_short_and_a_long_term_order():
    types = order_types_load_file(SHIPPED)

    short, long = types.get("short_term"), types.get("long_term")
    assert short.issuing_agency_kinds == ("local_authority",)
    assert long.issuing_agency_kinds == ("court",)
    assert short.is_short_term and not long.is_short_term
    assert short.min_days <= short.max_days <= long.min_days <= long.max_days
    assert set(long.applicants) == {"victim", "executive_authority", "prosecutor"}
    for kind in types.types.values():
        assert set(kind.names) == {"az", "ru", "en"}
        for condition in kind.conditions:
            assert set(types.condition_names[condition]) == {"az", "ru", "en"}


def test_names_are_in_the_readers_language():
    kind = order_types().get("short_term")
    with translation.override("ru"):
        assert kind.name == kind.names["ru"]
    with translation.override("en"):
        assert kind.name == "Short-term protection order"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("max_days: 30\n", "max_days: thirty\n"), "types/0/max_days"),
        (lambda t: t.replace("min_days: 30", "min_days: 300"), "min_days is more than max_days"),
        (lambda t: t.replace("code: long_term", "code: short_term"), "used twice"),
        (lambda t: t.replace("[local_authority]", "[ministry]"), "issuing_agency_kinds"),
        (lambda t: t.replace("attend_programme]", "fly_away]"), "fly_away"),
        (lambda t: t.replace("      en: Short-term protection order\n", ""), "'en' is a required"),
        (lambda t: t + "\n  : [\n", "not valid YAML"),
    ],
)
def test_a_broken_file_is_refused_saying_what_is_wrong(change, problem):
    text = change(SHIPPED.read_text(encoding="utf-8"))

    with pytest.raises(OrderTypesError) as refused:
        order_types_load(text, file="broken.yaml")

    assert str(refused.value).startswith("broken.yaml")
    assert problem in str(refused.value)


def test_days_count_both_ends():
    today = timezone.localdate()
    assert days_in_force(today, today) == 1
    assert days_in_force(today, today + timedelta(days=29)) == 30


def _issue(executive, order, days):
    today = timezone.localdate()
    return services.order_issue(
        actor=executive,
        order=order,
        issued_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=days - 1),
        conditions=["no_contact"],
    )


def test_a_short_term_order_of_the_longest_duration_the_file_allows_is_issued(
    coordinator,
    executive,
    local_authority,
    order_case,
):
    _least, most = bounds("short_term")
    order = order_apply(coordinator, order_case, agency=local_authority)

    _issue(executive, order, most)

    order.refresh_from_db()
    assert order.status == "issued"
    assert days_in_force(order.starts_on, order.ends_on) == most


def test_one_day_more_than_the_file_allows_is_refused_with_a_clear_message(
    coordinator,
    executive,
    local_authority,
    order_case,
):
    _least, most = bounds("short_term")
    order = order_apply(coordinator, order_case, agency=local_authority)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _issue(executive, order, most + 1)

    message = refused.value.message_dict["ends_on"][0]
    assert f"at most {most} days" in message
    assert f"make {most + 1}" in message
    order.refresh_from_db()
    assert order.status == "applied"


def test_a_long_term_order_shorter_than_the_file_allows_is_refused(
    coordinator,
    judge,
    court,
    order_case,
):
    least, most = bounds("long_term")
    order = order_apply(coordinator, order_case, agency=court, order_type="long_term")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _issue(judge, order, least - 1)
    assert f"at least {least} days" in refused.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError):
        _issue(judge, order, most + 1)

    _issue(judge, order, least)
    order.refresh_from_db()
    assert order.status == "issued"


def test_the_message_is_in_the_users_language(
    coordinator,
    executive,
    local_authority,
    order_case,
):
    _least, most = bounds("short_term")
    order = order_apply(coordinator, order_case, agency=local_authority)

    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        _issue(executive, order, most + 5)

    assert "Краткосрочный охранный ордер" in refused.value.message_dict["ends_on"][0]


def test_another_file_in_force_changes_the_bounds(
    settings,
    tmp_path,
    coordinator,
    executive,
    local_authority,
    order_case,
):
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        SHIPPED.read_text(encoding="utf-8").replace("max_days: 30\n", "max_days: 15\n", 1),
        encoding="utf-8",
    )
    settings.BIRGE_ORDER_TYPES_FILE = str(changed)
    order = order_apply(coordinator, order_case, agency=local_authority)

    with pytest.raises(ValidationError):
        _issue(executive, order, 16)
    _issue(executive, order, 15)
