"""Persistent models (plain SQLAlchemy, no Flask import)."""
from portal.models.accounts import (
    ClientRole,
    Organisation,
    PasswordHistory,
    SetPasswordToken,
    StaffRole,
    User,
    UserSession,
)
from portal.models.applications import (
    Application,
    Clock,
    Comment,
    FlowVersion,
    ProcedureVersion,
    Snapshot,
    StageState,
)
from portal.models.archive import CalendarFeed, Questionnaire
from portal.models.audit import AuditEvent, AuditHead
from portal.models.base import Base, utcnow
from portal.models.calendar import CalendarDay
from portal.models.documents import Signature
from portal.models.directory import ExchangeInsider, NormativeDocument, Partnership
from portal.models.exchange import RegistrationCounter, Setting
from portal.models.messaging import Notification, OutboxMail

__all__ = [
    "Base", "utcnow", "ClientRole", "StaffRole", "Organisation", "User", "UserSession",
    "PasswordHistory", "SetPasswordToken", "Partnership", "NormativeDocument", "ExchangeInsider",
    "Notification", "OutboxMail", "ProcedureVersion", "Application", "StageState", "Snapshot",
    "Comment", "Signature", "CalendarDay", "FlowVersion", "Clock", "AuditEvent", "AuditHead",
    "RegistrationCounter", "Setting", "Questionnaire", "CalendarFeed",
]
