"""signed copies, advert details and organisation logos

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 08:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signed_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_description_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('postholder', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('produced_at', sa.DateTime(), nullable=False),
    sa.Column('produced_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_by', sa.String(length=300), nullable=True),
    sa.Column('signed_recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(trim(postholder)) > 0', name=op.f('ck_signed_copies_postholder_named')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_signed_copies_sha256_length')),
    sa.CheckConstraint('(signed_on IS NULL AND signed_by IS NULL) OR (signed_on IS NOT NULL AND signed_by IS NOT NULL)', name=op.f('ck_signed_copies_signed_on_and_by_together')),
    sa.ForeignKeyConstraint(['job_description_id', 'version_number'], ['job_description_versions.job_description_id', 'job_description_versions.number'], name=op.f('fk_signed_copies_job_description_id_job_description_versions')),
    sa.ForeignKeyConstraint(['job_description_id'], ['job_descriptions.id'], name=op.f('fk_signed_copies_job_description_id_job_descriptions')),
    sa.ForeignKeyConstraint(['produced_by_id'], ['users.id'], name=op.f('fk_signed_copies_produced_by_id_users')),
    sa.ForeignKeyConstraint(['signed_recorded_by_id'], ['users.id'], name=op.f('fk_signed_copies_signed_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_copies'))
    )
    op.create_table('advert_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_description_id', sa.Integer(), nullable=False),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('interview_date', sa.Date(), nullable=True),
    sa.Column('start_date', sa.String(length=100), nullable=True),
    sa.Column('how_to_apply', sa.Text(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=True),
    sa.Column('safeguarding_statement', sa.Text(), nullable=False),
    sa.Column('online_search_statement', sa.Text(), nullable=False),
    sa.Column('equality_statement', sa.Text(), nullable=False),
    sa.Column('right_to_work_statement', sa.Text(), nullable=False),
    sa.Column('full_time_hours', sa.Double(), nullable=False),
    sa.Column('weeks_in_year', sa.Double(), nullable=False),
    sa.Column('leave_days', sa.Double(), nullable=False),
    sa.Column('paid_weeks', sa.String(length=30), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closing_date IS NULL OR interview_date IS NULL OR closing_date <= interview_date', name=op.f('ck_advert_details_closing_before_interview')),
    sa.CheckConstraint('full_time_hours > 0', name=op.f('ck_advert_details_full_time_hours_positive')),
    sa.CheckConstraint('weeks_in_year IN (52, 52.143)', name=op.f('ck_advert_details_weeks_in_year_known')),
    sa.CheckConstraint('leave_days >= 0', name=op.f('ck_advert_details_leave_days_not_negative')),
    sa.ForeignKeyConstraint(['job_description_id'], ['job_descriptions.id'], name=op.f('fk_advert_details_job_description_id_job_descriptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advert_details')),
    sa.UniqueConstraint('job_description_id', name=op.f('uq_advert_details_job_description_id'))
    )
    op.create_table('organisation_logos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=30), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("content_type IN ('image/png', 'image/jpeg')", name=op.f('ck_organisation_logos_content_type_known')),
    sa.CheckConstraint('length(content) > 0 AND length(content) <= 1048576', name=op.f('ck_organisation_logos_content_size')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_logos_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_organisation_logos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_logos')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_organisation_logos_organisation_id'))
    )


def downgrade() -> None:
    op.drop_table('organisation_logos')
    op.drop_table('advert_details')
    op.drop_table('signed_copies')
