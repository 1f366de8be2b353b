"""clause library: clauses, merges, and links from duties, criteria and statements

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:20:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

LINKED_TABLES = ('duties', 'criteria', 'statements')


def upgrade() -> None:
    op.create_table('clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('matching_key', sa.Text(), nullable=False),
    sa.Column('key_hash', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=300), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('duty', 'criterion', 'statement')", name=op.f('ck_clauses_kind_known')),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id <> id', name=op.f('ck_clauses_not_own_variant')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['clauses.id'], name=op.f('fk_clauses_merged_into_id_clauses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clauses')),
    sa.UniqueConstraint('kind', 'key_hash', name=op.f('uq_clauses_kind_key_hash'))
    )
    op.create_index(op.f('ix_clauses_key_hash'), 'clauses', ['key_hash'], unique=False)
    op.create_index(op.f('ix_clauses_merged_into_id'), 'clauses', ['merged_into_id'], unique=False)
    op.create_table('clause_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('canonical_clause_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('previous_text', sa.Text(), nullable=False),
    sa.Column('canonical_text', sa.Text(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_clause_merges_score_in_range')),
    sa.CheckConstraint('undone_by_id IS NULL OR undone_at IS NOT NULL', name=op.f('ck_clause_merges_undone_when')),
    sa.ForeignKeyConstraint(['canonical_clause_id'], ['clauses.id'], name=op.f('fk_clause_merges_canonical_clause_id_clauses')),
    sa.ForeignKeyConstraint(['merged_by_id'], ['users.id'], name=op.f('fk_clause_merges_merged_by_id_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_clause_merges_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clause_merges'))
    )
    op.create_table('clause_merge_members',
    sa.Column('merge_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('previous_canonical_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_clause_merge_members_clause_id_clauses')),
    sa.ForeignKeyConstraint(['previous_canonical_id'], ['clauses.id'], name=op.f('fk_clause_merge_members_previous_canonical_id_clauses')),
    sa.ForeignKeyConstraint(['merge_id'], ['clause_merges.id'], name=op.f('fk_clause_merge_members_merge_id_clause_merges')),
    sa.PrimaryKeyConstraint('merge_id', 'clause_id', name=op.f('pk_clause_merge_members'))
    )
    # On SQLite a plain ADD COLUMN ... REFERENCES (allowed for a nullable column) rather than a
    # batch table rebuild, which foreign keys forbid for `criteria` (criterion_methods refers to it).
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in LINKED_TABLES:
        constraint = f'fk_{table}_clause_id_clauses'
        if sqlite:
            op.execute(
                f'ALTER TABLE {table} ADD COLUMN clause_id INTEGER '
                f'CONSTRAINT {constraint} REFERENCES clauses (id)'
            )
        else:
            op.add_column(table, sa.Column('clause_id', sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(constraint), table, 'clauses', ['clause_id'], ['id'])
        op.create_index(op.f(f'ix_{table}_clause_id'), table, ['clause_id'], unique=False)


def downgrade() -> None:
    for table in LINKED_TABLES:
        op.drop_index(op.f(f'ix_{table}_clause_id'), table_name=table)
        if op.get_bind().dialect.name == 'sqlite':  # SQLite 3.35+ drops a column in place
            op.execute(f'ALTER TABLE {table} DROP COLUMN clause_id')
        else:
            op.drop_constraint(op.f(f'fk_{table}_clause_id_clauses'), table, type_='foreignkey')
            op.drop_column(table, 'clause_id')
    op.drop_table('clause_merge_members')
    op.drop_table('clause_merges')
    op.drop_index(op.f('ix_clauses_merged_into_id'), table_name='clauses')
    op.drop_index(op.f('ix_clauses_key_hash'), table_name='clauses')
    op.drop_table('clauses')
