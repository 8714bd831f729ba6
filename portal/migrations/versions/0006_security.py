"""security (issue 11): first-head grants, TOTP for staff, the session's last password time

Revision ID: 0006
Revises: 0005

Plain ADD COLUMN, as 0004 does: a batch copy of user_account would trip the foreign keys that
point at it on SQLite; there the two new references stay unenforced by the database.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REFERENCES = (('fk_user_account_first_head_granted_by_user_account', 'first_head_granted_by'),
              ('fk_user_account_first_head_requested_by_user_account', 'first_head_requested_by'))


def upgrade() -> None:
    op.add_column('user_account', sa.Column('first_head_since', sa.DateTime(), nullable=True))
    op.add_column('user_account', sa.Column('first_head_granted_by', sa.Integer(), nullable=True))
    op.add_column('user_account', sa.Column('first_head_requested_at', sa.DateTime(), nullable=True))
    op.add_column('user_account', sa.Column('first_head_requested_by', sa.Integer(), nullable=True))
    op.add_column('user_account', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('user_account', sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    op.add_column('user_session', sa.Column('verified_at', sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        for name, column in REFERENCES:
            op.create_foreign_key(name, 'user_account', 'user_account', [column], ['id'])
    # first heads from before: their right counts from their account's creation
    users = sa.table('user_account', sa.column('is_first_head', sa.Boolean()),
                     sa.column('created_at', sa.DateTime()), sa.column('first_head_since', sa.DateTime()))
    op.execute(users.update().where(users.c.is_first_head.is_(True))
               .values(first_head_since=users.c.created_at))


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        for name, _column in REFERENCES:
            op.drop_constraint(name, 'user_account', type_='foreignkey')
    with op.batch_alter_table('user_session') as batch:
        batch.drop_column('verified_at')
    with op.batch_alter_table('user_account') as batch:
        for column in ('totp_last_step', 'totp_secret', 'first_head_requested_by',
                       'first_head_requested_at', 'first_head_granted_by', 'first_head_since'):
            batch.drop_column(column)
