"""signatures: each verified signed application PDF and its certificate

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('certificate_subject', sa.String(length=1000), nullable=False),
    sa.Column('certificate_serial', sa.String(length=100), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('verification', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_signature_application_id_application')),
    sa.ForeignKeyConstraint(['signer_id'], ['user_account.id'], name=op.f('fk_signature_signer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_application_id'))
    op.drop_table('signature')
