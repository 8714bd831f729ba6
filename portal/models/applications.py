"""Applications: the procedure version they run under, their stages' data, comments, history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.models.accounts import Organisation, User
from portal.models.base import Base, utcnow


class FrozenVersion:
    """A frozen copy of a definition, numbered per code and found by its digest."""

    @declared_attr.directive
    def __table_args__(cls):  # a constraint of each table's own
        return (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcedureVersion(FrozenVersion, Base):
    """A procedure definition; applications point at the one they began under."""

    __tablename__ = "procedure_version"


class FlowVersion(FrozenVersion, Base):
    """A resolved flow; applications keep the one they began under."""

    __tablename__ = "flow_version"


class Application(Base):
    __tablename__ = "application"
    __table_args__ = (Index("ix_application_phase_due", "phase", "next_due_on"),
                      # the staff queue's filters and sorts (migration 0006)
                      Index("ix_application_phase_status", "phase", "status"),
                      Index("ix_application_executor_due", "staff_executor_id", "next_due_on"),
                      Index("ix_application_submitted_at", "submitted_at"),
                      Index("uq_application_incoming_number", "incoming_number", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    procedure_version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id"))
    flow_version_id: Mapped[int | None] = mapped_column(ForeignKey("flow_version.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)  # a state of its flow
    phase: Mapped[str] = mapped_column(String(16), index=True, default="applicant")
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)  # earliest running clock
    staff_executor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                          index=True)
    # the office's registration (G-23): incoming number from the year's counter, and its date
    incoming_number: Mapped[str | None] = mapped_column(String(32))
    registered_on: Mapped[date | None] = mapped_column(Date)
    signed_content_version: Mapped[int | None] = mapped_column(Integer)  # set by verified EDS
    content_version: Mapped[int] = mapped_column(Integer, default=1)  # +1 at each return
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    procedure_version: Mapped[ProcedureVersion] = relationship()
    flow_version: Mapped[FlowVersion | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    staff_executor: Mapped[User | None] = relationship(foreign_keys=[staff_executor_id])
    stages: Mapped[list["StageState"]] = relationship(back_populates="application",
                                                      cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": row_version}


class StageState(Base):
    """One stage of one application: its data, status and assigned executor."""

    __tablename__ = "stage_state"
    __table_args__ = (UniqueConstraint("application_id", "stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    stage_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="empty")  # empty|draft|filled|skipped
    executor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="stages")
    executor: Mapped[User | None] = relationship()


class Snapshot(Base):
    """All field values of an application as a version was handed on (for field-by-field diffs)."""

    __tablename__ = "application_snapshot"
    __table_args__ = (UniqueConstraint("application_id", "content_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    content_version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A comment on one field, made on one version; answers point at their parent."""

    __tablename__ = "field_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    field_id: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("field_comment.id"))
    text: Mapped[str] = mapped_column(Text)
    value_then: Mapped[str | None] = mapped_column(Text)  # the field's value when written
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[datetime | None]  # drafts become visible to others after "Save"
    resolved_at: Mapped[datetime | None]

    author: Mapped[User] = relationship()


class Clock(Base):
    """A deadline of one application: started by an event or a date field, paused while the
    application is back with the applicant, stopped when its side's work is done."""

    __tablename__ = "application_clock"
    __table_args__ = (UniqueConstraint("application_id", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    deadline: Mapped[str] = mapped_column(String(120))  # procedure:<n> or process:<id>
    side: Mapped[str] = mapped_column(String(16))        # applicant | exchange
    started_on: Mapped[date] = mapped_column(Date)
    # running: due_on = `amount` units of `unit` counted from counted_from (kept, so a changed
    # calendar can count again); paused: `amount` is what was left, frozen, and due_on is None
    counted_from: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    paused_on: Mapped[date | None] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date)

