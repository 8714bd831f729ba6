"""flows: flow versions, clocks, the portal-wide audit trail

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:20:00

The application history becomes the portal's one audit trail (audit_event, anchored by
audit_head): existing history rows are copied into it in order and chained anew.
"""
import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
PHASES = {"draft": "applicant", "awaiting_approval": "first_head", "approved": "first_head",
          "submitted": "exchange"}


def digest(prev, row) -> str:
    # the same canonical form as portal.domain.workflow.audit.digest (kept here: a migration
    # must not change when the code does)
    body = json.dumps([prev, row["id"], row["application_id"], row["actor_id"], row["role"],
                       row["organisation_id"], row["action"], row["from_state"],
                       row["to_state"], row["detail"], row["address"],
                       row["created_at"].isoformat()],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def upgrade() -> None:
    op.create_table('flow_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_version')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_flow_version_code')),
    sa.UniqueConstraint('digest', name=op.f('uq_flow_version_digest'))
    )
    with op.batch_alter_table('flow_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_version_code'), ['code'], unique=False)

    # plain ADD COLUMN: a batch copy of `application` would trip the foreign keys that point
    # at it on SQLite; there the two new references stay unenforced by the database
    op.add_column('application', sa.Column('flow_version_id', sa.Integer(), nullable=True))
    op.add_column('application', sa.Column('phase', sa.String(length=16), nullable=False,
                                           server_default='applicant'))
    op.add_column('application', sa.Column('next_due_on', sa.Date(), nullable=True))
    op.add_column('application', sa.Column('staff_executor_id', sa.Integer(), nullable=True))
    op.add_column('application', sa.Column('signed_content_version', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(op.f('fk_application_flow_version_id_flow_version'), 'application',
                              'flow_version', ['flow_version_id'], ['id'])
        op.create_foreign_key(op.f('fk_application_staff_executor_id_user_account'),
                              'application', 'user_account', ['staff_executor_id'], ['id'])
    op.create_index(op.f('ix_application_phase'), 'application', ['phase'], unique=False)
    op.create_index(op.f('ix_application_next_due_on'), 'application', ['next_due_on'],
                    unique=False)
    op.create_index(op.f('ix_application_staff_executor_id'), 'application',
                    ['staff_executor_id'], unique=False)
    op.create_index('ix_application_phase_due', 'application', ['phase', 'next_due_on'],
                    unique=False)
    application = sa.table('application', sa.column('status', sa.String), sa.column('phase', sa.String))
    op.execute(application.update().values(phase='closed')
               .where(application.c.status.not_in(list(PHASES))))
    for status, phase in PHASES.items():
        op.execute(application.update().values(phase=phase).where(application.c.status == status))

    op.create_table('application_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.String(length=120), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('counted_from', sa.Date(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('paused_on', sa.Date(), nullable=True),
    sa.Column('stopped_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_clock_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_clock')),
    sa.UniqueConstraint('application_id', 'deadline', name=op.f('uq_application_clock_application_id'))
    )
    with op.batch_alter_table('application_clock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_clock_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_clock_due_on'), ['due_on'], unique=False)

    audit = op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('from_state', sa.String(length=32), nullable=True),
    sa.Column('to_state', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_audit_event_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_application_id'), ['application_id'], unique=False)
    head = op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )

    conn = op.get_bind()
    old = conn.execute(sa.text(
        "SELECT h.id, h.application_id, h.actor_id, h.action, h.from_status, h.to_status, "
        "h.detail, h.created_at, u.organisation_id FROM application_history h "
        "LEFT JOIN user_account u ON u.id = h.actor_id ORDER BY h.id")).mappings().all()
    prev, last_id = GENESIS, 0
    for n, r in enumerate(old, start=1):
        detail = r["detail"] if isinstance(r["detail"], dict) else json.loads(r["detail"] or "{}")
        created = r["created_at"]
        if isinstance(created, str):  # SQLite returns the stored text
            created = datetime.fromisoformat(created)
        row = dict(id=n, application_id=r["application_id"], actor_id=r["actor_id"], role=None,
                   organisation_id=r["organisation_id"], action=r["action"],
                   from_state=r["from_status"], to_state=r["to_status"], detail=detail,
                   address=None, created_at=created)
        row["prev_hash"] = prev
        row["hash"] = prev = digest(prev, row)
        op.bulk_insert(audit, [row])
        last_id = n
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "hash": prev}])
    if conn.dialect.name == "postgresql" and last_id:  # ids were given: move the sequence on
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), :n)"),
                     {"n": last_id})
    op.drop_table('application_history')


def downgrade() -> None:
    raise NotImplementedError("0004 folds the history into the audit trail; restore a backup")
