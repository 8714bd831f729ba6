"""Persistent models (plain SQLAlchemy, no Flask import)."""
from .accounts import (ClientRole, Organisation, PasswordHistory, SetPasswordToken, StaffRole,
                       User, UserSession)
from .applications import (Application, Comment, HistoryEntry, ProcedureVersion, Snapshot,
                           StageState)
from .base import Base, utcnow
from .calendar import CalendarDay
from .directory import ExchangeInsider, NormativeDocument, Partnership
from .messaging import Notification, OutboxMail

__all__ = [
    "Base", "utcnow", "ClientRole", "StaffRole", "Organisation", "User", "UserSession",
    "PasswordHistory", "SetPasswordToken", "Partnership", "NormativeDocument", "ExchangeInsider",
    "Notification", "OutboxMail", "ProcedureVersion", "Application", "StageState", "Snapshot",
    "Comment", "HistoryEntry", "CalendarDay",
]
