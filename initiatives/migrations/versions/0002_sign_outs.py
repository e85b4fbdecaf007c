"""Sign-outs: each ended sign-in (the identity provider's subject and the time its token was issued), so that a
copy of the identity cookie taken before the editor signed out writes nothing afterwards, in any process.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_outs",
        sa.Column("subject", sa.Text, primary_key=True),
        sa.Column("issued_at", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("signed_out_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_outs")
