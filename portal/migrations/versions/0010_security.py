"""security (issue 11): first-head grants, TOTP for staff, re-authentication time

The lead re-chains this after 0004/0005 (its down_revision is 0003 on the security branch).

Revision ID: 0010
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('first_head_since', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('first_head_granted_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('first_head_requested_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('first_head_requested_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch.create_foreign_key(op.f('fk_user_account_first_head_granted_by_user_account'),
                                 'user_account', ['first_head_granted_by'], ['id'])
        batch.create_foreign_key(op.f('fk_user_account_first_head_requested_by_user_account'),
                                 'user_account', ['first_head_requested_by'], ['id'])
    with op.batch_alter_table('user_session') as batch:
        batch.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
    # first heads from before: their right counts from their account's creation
    users = sa.table('user_account', sa.column('is_first_head', sa.Boolean()),
                     sa.column('created_at', sa.DateTime()), sa.column('first_head_since', sa.DateTime()))
    op.execute(users.update().where(users.c.is_first_head.is_(True))
               .values(first_head_since=users.c.created_at))


def downgrade() -> None:
    with op.batch_alter_table('user_session') as batch:
        batch.drop_column('verified_at')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_constraint(op.f('fk_user_account_first_head_requested_by_user_account'), type_='foreignkey')
        batch.drop_constraint(op.f('fk_user_account_first_head_granted_by_user_account'), type_='foreignkey')
        for column in ('totp_last_step', 'totp_secret', 'first_head_requested_by',
                       'first_head_requested_at', 'first_head_granted_by', 'first_head_since'):
            batch.drop_column(column)
