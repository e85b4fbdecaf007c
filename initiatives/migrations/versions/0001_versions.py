"""The versioned store: versions (who, when, note), each version's files, and its field-level changes.

Versions are append-only: the database itself refuses an UPDATE or DELETE of a version, its files or its
changes, so no code path (ours, a maintainer's SQL by mistake) rewrites the history.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("versions", "version_files", "version_changes")


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("restores", sa.Integer, nullable=True),
        sa.Column("change_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "version_files",
        sa.Column("version", sa.Integer, sa.ForeignKey("versions.number"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_table(
        "version_changes",
        sa.Column("version", sa.Integer, sa.ForeignKey("versions.number"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sheet", sa.String(64), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old", sa.Text, nullable=False),
        sa.Column("new", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION yj_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'versions are append-only'; END $$")
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION yj_append_only()")
    else:
        for table in TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                           "BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION yj_append_only()")
