"""notification texts: notifications render in the reader's current language

Revision ID: 0010
Revises: 0008 (first written on 0003; re-chained when main was merged into usability)
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the message in every language ({"kk": …, "ru": …, "en": …}); shown in the reader's own
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('texts', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_column('texts')
