"""Calendar arithmetic of the collector's agenda."""

from datetime import timedelta

SATURDAY = 5


def next_working_day(day):
    """The first day after ``day`` from Monday to Friday."""
    day += timedelta(days=1)
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day
