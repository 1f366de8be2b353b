"""organisations as records: schools and trusts in one table, with address, contact, standard
statements and pay rules; a JD's school is an organisation of kind "school"

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PROFILE_COLUMNS = (
    ("address", sa.Text()),
    ("contact", sa.Text()),
    ("safeguarding_statement", sa.Text()),
    ("online_search_statement", sa.Text()),
    ("equality_statement", sa.Text()),
    ("right_to_work_statement", sa.Text()),
    ("full_time_hours", sa.Float()),
    ("weeks_divisor", sa.Float()),
    ("leave_days", sa.Float()),
    ("paid_weeks", sa.String(30)),
)


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(20), nullable=False, server_default="trust")
        )
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        for name, type_ in PROFILE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organisations_parent_id_organisations"),
            "organisations",
            ["parent_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_kind_known"), "kind IN ('trust', 'school')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_not_own_parent"), "parent_id IS NULL OR parent_id <> id"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_hours_positive"),
            "full_time_hours IS NULL OR full_time_hours > 0",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_divisor_known"),
            "weeks_divisor IS NULL OR weeks_divisor IN (52, 52.143)",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_leave_not_negative"),
            "leave_days IS NULL OR leave_days >= 0",
        )

    # Every school becomes an organisation of kind "school" under its trust (one already named
    # exactly the same is used instead: names are unique, and approved versions print the name,
    # so it must not change), and the JDs point at it.
    connection = op.get_bind()
    organisations = {
        name: id_ for id_, name in connection.execute(sa.text("SELECT id, name FROM organisations"))
    }
    moved: dict[int, int] = {}
    for school_id, name, trust_id in connection.execute(
        sa.text("SELECT id, name, organisation_id FROM schools ORDER BY id")
    ).all():
        key = name
        if key not in organisations:
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (name, kind, parent_id) "
                    "VALUES (:name, 'school', :parent)"
                ),
                {"name": name, "parent": trust_id},
            )
            organisations[key] = connection.scalar(
                sa.text("SELECT id FROM organisations WHERE name = :name"), {"name": name}
            )
        moved[school_id] = organisations[key]

    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_job_description_versions_school_id_schools"), type_="foreignkey"
        )
    for old, new in moved.items():
        connection.execute(
            sa.text("UPDATE job_description_versions SET school_id = :new WHERE school_id = :old"),
            {"new": new, "old": old},
        )
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_job_description_versions_school_id_organisations"),
            "organisations",
            ["school_id"],
            ["id"],
        )
    op.drop_table("schools")


def downgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_schools_organisation_id_organisations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_schools"),
        sa.UniqueConstraint("name", "organisation_id", name="uq_schools_name_organisation_id"),
    )
    connection = op.get_bind()
    # A school keeps its ID, so the JDs' school_id stays valid; its trust link is kept only
    # when it points at a trust (the older schema has no school-inside-school).
    connection.execute(
        sa.text(
            "INSERT INTO schools (id, name, organisation_id) "
            "SELECT s.id, s.name, t.id FROM organisations s "
            "LEFT JOIN organisations t ON t.id = s.parent_id AND t.kind = 'trust' "
            "WHERE s.id IN (SELECT school_id FROM job_description_versions) "
            "OR s.kind = 'school'"
        )
    )
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('schools', 'id'), "
                "coalesce((SELECT max(id) FROM schools), 0) + 1, false)"
            )
        )
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_job_description_versions_school_id_organisations"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_job_description_versions_school_id_schools"),
            "schools",
            ["school_id"],
            ["id"],
        )
    with op.batch_alter_table("organisations") as batch_op:
        for name in (
            "leave_not_negative", "divisor_known", "hours_positive", "not_own_parent", "kind_known"
        ):  # fmt: skip
            batch_op.drop_constraint(batch_op.f(f"ck_organisations_{name}"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_organisations_parent_id_organisations"), type_="foreignkey"
        )
        for name, _type in reversed(PROFILE_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("parent_id")
        batch_op.drop_column("kind")
