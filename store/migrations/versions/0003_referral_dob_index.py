"""Index the adult's date of birth (previous-concern matching looks it up).

Revision ID: 0003_referral_dob_index
Revises: 0002_teams_alerts
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_referral_dob_index"
down_revision: str | None = "0002_teams_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_adult_dob"), ["adult_dob"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_adult_dob"))
