"""The suppression every figure goes through (birge.privacy.disclosure)."""

from birge.privacy.disclosure import SUPPRESSED, Figure, count, protect_line, rate, subtotal


def test_a_count_below_the_threshold_is_hidden_and_zero_with_it():
    assert [count(n, 10) for n in (0, 1, 9)] == [SUPPRESSED] * 3
    assert count(10, 10) == Figure(10)


def test_a_rate_is_hidden_when_its_numerator_or_complement_is_small():
    assert rate(9, 100, 10) == SUPPRESSED  # 9 of 100
    assert rate(95, 100, 10) == SUPPRESSED  # 5 without: 100 − 95
    assert rate(25, 100, 10, scale=100) == Figure(25.0)


def test_one_hidden_part_of_a_shown_total_takes_the_smallest_shown_part_with_it():
    values = [3, 40, 12, 25]
    cells = protect_line([count(v, 10) for v in values], values, True)

    assert cells == [SUPPRESSED, Figure(40), SUPPRESSED, Figure(25)]


def test_without_a_shown_total_nothing_more_is_hidden():
    values = [3, 40]

    assert protect_line([count(v, 10) for v in values], values, False) == [SUPPRESSED, Figure(40)]


def test_hidden_parts_that_add_up_to_a_small_number_take_more_with_them():
    # 2 + 3 hidden, 40 and 50 shown: the total 95 would tell that they make 5 together.
    values = [2, 3, 40, 50]
    cells = protect_line([count(v, 10) for v in values], values, True, min_cell=10)

    assert cells == [SUPPRESSED, SUPPRESSED, SUPPRESSED, Figure(50)]


def test_a_subtotal_is_shown_only_when_it_gives_no_hidden_part_away():
    assert subtotal(30, [Figure(10), Figure(20)]) == Figure(30)
    assert subtotal(25, [SUPPRESSED, Figure(20)]) == SUPPRESSED
    # The line's total minus its other, shown, parts gives it anyway.
    assert subtotal(25, [SUPPRESSED, Figure(20)], total=Figure(60), rest=[Figure(35)]) == Figure(25)
    assert subtotal(25, [SUPPRESSED, Figure(20)], total=Figure(60), rest=[SUPPRESSED]) == SUPPRESSED
