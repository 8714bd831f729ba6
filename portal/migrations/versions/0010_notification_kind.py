"""notification kind: notifications render in the reader's current language

Revision ID: 0010
Revises: 0003 (the lead re-chains it after the flow engine's 0004/0005)
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # what happened, as a code; the message text is made when the notification is read
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_column('kind')
