"""Dates and times as the portal's users read them: DD.MM.YYYY (the form people in Kazakhstan
write), times in the exchange's time zone (EXCHANGE_TIMEZONE), never bare UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from portal.domain.procedures.values import parse_date

DAY = "%d.%m.%Y"


def day(value) -> str:
    """A date (or a date-time, or a stored ISO text) as DD.MM.YYYY; other text as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = local(value)
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            return value
    return value.strftime(DAY)


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) time in the exchange's time zone."""
    zone = ZoneInfo(current_app.config["EXCHANGE_TIMEZONE"])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone)


def moment(value: datetime | None, seconds: bool = False) -> str:
    """A stored time as DD.MM.YYYY HH:MM in the exchange's time zone."""
    if value is None:
        return ""
    return local(value).strftime(DAY + (" %H:%M:%S" if seconds else " %H:%M"))


def init_app(app: Flask) -> None:
    ZoneInfo(app.config["EXCHANGE_TIMEZONE"])  # a wrong setting fails at start, not on a page
    app.jinja_env.filters.update(day=day, moment=moment)

