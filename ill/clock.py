"""Deadlines in Swedish working days. Every function takes `now`/`start` so tests control the clock."""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone


def answer_working_days() -> int:
    return settings.ILL_ANSWER_WORKING_DAYS


@cache
def swedish_holidays(year: int) -> frozenset[date]:
    """Days libraries are closed: public holidays and the de-facto closed eves (midsommarafton,
    julafton, nyårsafton), from the maintained `holidays` library (Sundays are not holidays in
    themselves here: the callers decide about weekends)."""
    return frozenset(holidays.Sweden(years=year, include_sundays=False, categories=("public", "de_facto")))


def is_holiday(day: date) -> bool:
    return day in swedish_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


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
