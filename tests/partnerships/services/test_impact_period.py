"""The period of a dashboard: the last twelve months unless a person typed dates, and a clear
message for dates that are not dates or do not make a period."""

from datetime import date

import pytest

from partnerships.services.impact import (
    ImpactError,
    Period,
    default_period,
    parse_period,
)

TODAY = date(2026, 11, 29)


def test_the_default_period_is_the_last_twelve_months_up_to_today():
    assert default_period(TODAY) == Period(date(2025, 12, 1), TODAY)
    assert default_period(date(2026, 1, 31)) == Period(date(2025, 2, 1), date(2026, 1, 31))
    assert len(default_period(TODAY).months) == 12


def test_a_period_lists_every_month_it_touches():
    period = Period(date(2025, 11, 30), date(2026, 2, 1))

    assert period.months == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert Period(date(2026, 3, 5), date(2026, 3, 6)).months == [date(2026, 3, 1)]


def test_empty_dates_give_the_default_period():
    assert parse_period("", "", today=TODAY) == default_period(TODAY)
    assert parse_period("  ", None, today=TODAY) == default_period(TODAY)


def test_typed_dates_give_that_period():
    assert parse_period("2026-01-01", "2026-03-31", today=TODAY) == Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )
    assert parse_period("2026-01-01", "2026-01-01", today=TODAY).months == [date(2026, 1, 1)]


def test_one_empty_date_is_filled_in():
    assert parse_period("2026-05-01", "", today=TODAY) == Period(date(2026, 5, 1), TODAY)
    assert parse_period("", "2026-03-15", today=TODAY) == Period(
        date(2025, 4, 1), date(2026, 3, 15)
    )


def test_an_end_in_the_future_is_cut_to_today():
    assert parse_period("2026-01-01", "2027-06-30", today=TODAY) == Period(date(2026, 1, 1), TODAY)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("yesterday", "", "The start is not a date"),
        ("2026-02-30", "", "The start is not a date"),
        ("2026-1-1", "", "The start is not a date"),
        ("2026-01-01", "31/03/2026", "The end is not a date"),
        ("2026-03-01", "2026-02-28", "The end date is before the start date"),
        ("1999-12-31", "2000-06-30", "Figures start in 2000"),
        ("2010-01-01", "2020-01-01", "at most 10 years"),
        ("2026-12-01", "2027-01-01", "cannot start after today"),
    ],
)
def test_bad_dates_are_refused_with_a_message(start, end, message):
    with pytest.raises(ImpactError, match=message):
        parse_period(start, end, today=TODAY)


def test_ten_years_exactly_is_allowed():
    period = parse_period("2016-01-01", "2025-12-31", today=TODAY)

    assert len(period.months) == 120
