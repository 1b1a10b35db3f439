"""Deadlines in Swedish working days. Every function takes `now`/`start` so tests control the clock."""

from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone


def answer_working_days() -> int:
    return settings.ILL_ANSWER_WORKING_DAYS


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@cache
def swedish_holidays(year: int) -> frozenset[date]:
    """Weekdays libraries are closed: public holidays and the customary eves (midsummer, christmas)."""
    easter = easter_sunday(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    moving = [
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        midsummer_eve,
    ]
    return frozenset([date(year, m, d) for m, d in fixed] + moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in swedish_holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` working days (weekends and Swedish holidays skipped), same local time of day."""
    moment = timezone.localtime(start) if timezone.is_aware(start) else start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            remaining -= 1
    return moment


def answer_deadline(asked_at: datetime) -> datetime:
    """When a lender asked at `asked_at` must have answered before we ask the next one."""
    return add_working_days(asked_at, answer_working_days())
