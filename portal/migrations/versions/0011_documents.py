"""documents (issue 9): documents as records, their bytes in the database when chosen, and the
signed PDF's document on each signature

Revision ID: 0011
Revises: 0010

The lead re-chains this one after the other branches' migrations. signature.document_id is a
plain ADD COLUMN (as 0006 does); on SQLite its reference stays unenforced by the database.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SIGNATURE_DOCUMENT = 'fk_signature_document_id_document'


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_document_application_id_application')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_document_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['document.id'], name=op.f('fk_document_superseded_by_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_document_storage_key')),
    )
    op.create_index('ix_document_application_id', 'document', ['application_id'])
    op.create_index('ix_document_lookup', 'document',
                    ['application_id', 'kind', 'language', 'content_version'])
    op.create_table('document_blob',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_document_blob')),
    )
    op.add_column('signature', sa.Column('document_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(SIGNATURE_DOCUMENT, 'signature', 'document', ['document_id'], ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(SIGNATURE_DOCUMENT, 'signature', type_='foreignkey')
    with op.batch_alter_table('signature') as batch:
        batch.drop_column('document_id')
    op.drop_table('document_blob')
    op.drop_index('ix_document_lookup', 'document')
    op.drop_index('ix_document_application_id', 'document')
    op.drop_table('document')
