"""exchange desk: incoming numbers and their yearly counters, portal settings, queue indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00

Columns are added in place (a batch copy of `application`
trips SQLite's foreign keys on a database with data, as 0004 notes).
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('application', sa.Column('incoming_number', sa.String(length=32), nullable=True))
    op.add_column('application', sa.Column('registered_on', sa.Date(), nullable=True))
    # a unique index, not a constraint: SQLite cannot add a constraint to an existing table
    op.create_index('uq_application_incoming_number', 'application', ['incoming_number'],
                    unique=True)
    op.create_index('ix_application_phase_status', 'application', ['phase', 'status'])
    op.create_index('ix_application_executor_due', 'application',
                    ['staff_executor_id', 'next_due_on'])
    op.create_index('ix_application_submitted_at', 'application', ['submitted_at'])
    op.create_table('registration_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_registration_counter'))
    )
    op.create_table('portal_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_portal_setting_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_portal_setting'))
    )


def downgrade() -> None:
    op.drop_table('portal_setting')
    op.drop_table('registration_counter')
    for name in ('ix_application_submitted_at', 'ix_application_executor_due',
                 'ix_application_phase_status', 'uq_application_incoming_number'):
        op.drop_index(name, table_name='application')
    with op.batch_alter_table('application') as batch_op:
        batch_op.drop_column('registered_on')
        batch_op.drop_column('incoming_number')
