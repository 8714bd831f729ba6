"""Working days in Kazakhstan: public holidays from the `holidays` package, corrected by the
days the exchange maintains (government-moved days off and extra working days), and the
exchange's own date (its time zone, not UTC: at 02:00 in Almaty it is already the next day)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from portal.domain.procedures.rules import add_months

DEFAULT_TIMEZONE = "Asia/Almaty"


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Kazakhstan's public holidays of one year, built once per process."""
    return frozenset(holidays.country_holidays("KZ", years=year))


def exchange_today(now_utc: datetime, zone: str = DEFAULT_TIMEZONE) -> date:
    """The exchange's calendar date at a moment stored as naive UTC."""
    return now_utc.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).date()


@dataclass
class WorkingCalendar:
    days_off: set[date] = field(default_factory=set)  # extra days off the exchange entered
    working_days: set[date] = field(default_factory=set)  # weekend days made working days

    def is_working(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in public_holidays(day.year)

    def add(self, start: date, amount: int, unit: str) -> date:
        """The day a deadline of `amount` units counted from `start` ends."""
        if unit == "calendar_days":
            return start + timedelta(days=amount)
        if unit == "months":
            return add_months(start, amount)
        day, left = start, amount
        while left:
            day += timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def count(self, start: date, end: date, unit: str) -> int:
        """Days of the deadline's kind after `start` up to and including `end` (0 if none):
        what is left of a clock paused on `start` that was due on `end`. Months count as
        calendar days here, so a resumed clock ends the same number of days later."""
        if end <= start:
            return 0
        if unit != "working_days":
            return (end - start).days
        return sum(1 for n in range(1, (end - start).days + 1)
                   if self.is_working(start + timedelta(days=n)))
