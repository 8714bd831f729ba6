"""questionnaires of archived applications, organisations' deadline feeds

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=100), nullable=False),
    sa.Column('procedure_code', sa.String(length=100), nullable=False),
    sa.Column('procedure_version', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('dated_on', sa.Date(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_questionnaire_application_id_application')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_questionnaire_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['signer_id'], ['user_account.id'], name=op.f('fk_questionnaire_signer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire'))
    )
    op.create_index('ix_questionnaire_org_form', 'questionnaire', ['organisation_id', 'form_id'], unique=False)
    op.create_index(op.f('ix_questionnaire_application_id'), 'questionnaire', ['application_id'], unique=False)
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_calendar_feed_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_calendar_feed_organisation_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('calendar_feed')
    op.drop_index(op.f('ix_questionnaire_application_id'), table_name='questionnaire')
    op.drop_index('ix_questionnaire_org_form', table_name='questionnaire')
    op.drop_table('questionnaire')
