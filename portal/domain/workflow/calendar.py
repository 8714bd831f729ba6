"""Working days in Kazakhstan: public holidays from the `holidays` package, corrected by the
days the exchange maintains (government-moved days off and extra working days)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

from portal.domain.procedures.rules import add_months


@dataclass
class WorkingCalendar:
    days_off: set[date] = field(default_factory=set)  # extra days off the exchange entered
    working_days: set[date] = field(default_factory=set)  # weekend days made working days

    def is_working(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in holidays.country_holidays("KZ", years=day.year)

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
