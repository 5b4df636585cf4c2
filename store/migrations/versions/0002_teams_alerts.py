"""Teams conversations, officer links and the durable alert outbox

Revision ID: 0002_teams_alerts
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_teams_alerts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "teams_officer",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("officer_id"),
        sa.UniqueConstraint("aad_object_id"),
    )
    op.create_table(
        "teams_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_key", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("team_id", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("reference", JSON_TYPE, nullable=False),
        sa.Column("duty_channel", sa.Boolean(), nullable=False),
        sa.Column("installed", sa.Boolean(), nullable=False),
        sa.Column("dialog_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dialog_id"], ["conversation_state.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_key"),
    )
    with op.batch_alter_table("teams_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_teams_conversation_aad_object_id"), ["aad_object_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_teams_conversation_duty_channel"), ["duty_channel"], unique=False
        )

    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("unrouted", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("referral_id", "reason", name="uq_alert_referral_reason"),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_status"), ["status"], unique=False)

    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activity_id", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["teams_conversation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id", "target_id", name="uq_alert_delivery_target"),
    )
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_delivery_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_delivery_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_alert_delivery_alert_id"))
    op.drop_table("alert_delivery")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_status"))
    op.drop_table("alert")
    with op.batch_alter_table("teams_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_conversation_duty_channel"))
        batch_op.drop_index(batch_op.f("ix_teams_conversation_aad_object_id"))
    op.drop_table("teams_conversation")
    op.drop_table("teams_officer")
