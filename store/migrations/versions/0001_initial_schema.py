"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

#: prev_hash of the first audit event
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("detail", JSON_TYPE, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_officer_id"), ["officer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "mailbox_cursor",
        sa.Column("mailbox", sa.String(length=320), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("last_uid", sa.BigInteger(), nullable=True),
        sa.Column("sync_state", sa.Text(), nullable=True),
        sa.Column("delta_link", sa.Text(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_owner", sa.String(length=120), nullable=True),
        sa.Column("lock_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    )
    op.create_table(
        "officer",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "reference_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "officer_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("officer_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_officer_session_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_officer_session_officer_id"), ["officer_id"], unique=False
        )

    op.create_table(
        "referral",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aware_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("incident_on", sa.Date(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.Column("referrer_name", sa.String(length=200), nullable=True),
        sa.Column("referrer_role", sa.String(length=200), nullable=True),
        sa.Column("referrer_organisation", sa.String(length=300), nullable=True),
        sa.Column("referrer_org_type", sa.String(length=40), nullable=True),
        sa.Column("referrer_email", sa.String(length=320), nullable=True),
        sa.Column("referrer_phone", sa.String(length=40), nullable=True),
        sa.Column("referrer_is_dsl", sa.Boolean(), nullable=True),
        sa.Column("adult_name", sa.String(length=200), nullable=True),
        sa.Column("adult_dob", sa.Date(), nullable=True),
        sa.Column("adult_address", sa.String(length=500), nullable=True),
        sa.Column("adult_role", sa.String(length=200), nullable=True),
        sa.Column("adult_employer", sa.String(length=300), nullable=True),
        sa.Column("adult_employment_basis", sa.String(length=20), nullable=True),
        sa.Column("adult_other_roles", sa.String(length=1000), nullable=True),
        sa.Column("adult_status", sa.String(length=30), nullable=True),
        sa.Column("adult_informed", sa.Boolean(), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("sector_detail", sa.String(length=40), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("non_recent", sa.Boolean(), nullable=False),
        sa.Column("immediate_danger", sa.Boolean(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("in_work", sa.String(length=20), nullable=True),
        sa.Column("restraint", sa.Boolean(), nullable=True),
        sa.Column("injury", sa.String(length=500), nullable=True),
        sa.Column("previous_concerns", sa.String(length=2000), nullable=True),
        sa.Column("police_informed", sa.Boolean(), nullable=True),
        sa.Column("crime_reference", sa.String(length=60), nullable=True),
        sa.Column("csc_informed", sa.Boolean(), nullable=True),
        sa.Column("parents_informed", sa.Boolean(), nullable=True),
        sa.Column("details", JSON_TYPE, nullable=False),
        sa.Column("triage_suggestion", sa.String(length=20), nullable=True),
        sa.Column("triage_criteria", JSON_TYPE, nullable=False),
        sa.Column("triage_categories", JSON_TYPE, nullable=False),
        sa.Column("triage_evidence", JSON_TYPE, nullable=False),
        sa.Column("triage_rationale", sa.Text(), nullable=True),
        sa.Column("triage_missing", JSON_TYPE, nullable=False),
        sa.Column("triage_confidence", sa.Float(), nullable=True),
        sa.Column("triage_rules_version", sa.String(length=80), nullable=True),
        sa.Column("triage_other_experiencer", sa.Boolean(), nullable=False),
        sa.Column("triage_works_with_children", sa.Boolean(), nullable=True),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("aware_wd_index", sa.Integer(), nullable=False),
        sa.Column("categories", JSON_TYPE, nullable=False),
        sa.Column("adult_employer_key", sa.String(length=120), nullable=True),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=24), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("waiting_on", sa.String(length=20), nullable=True),
        sa.Column("waiting_reason", sa.String(length=500), nullable=True),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("strategy_meeting_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("police_outcome", sa.String(length=20), nullable=True),
        sa.Column("employer_outcome", sa.String(length=20), nullable=True),
        sa.Column("dbs_referral", sa.Boolean(), nullable=True),
        sa.Column("regulator_referral", sa.String(length=100), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_adult_employer_key"), ["adult_employer_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_claimed_by_id"), ["claimed_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_decision"), ["decision"], unique=False)
        batch_op.create_index(
            "ix_referral_queue", ["priority", "aware_wd_index", "received_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_referral_status_queue",
            ["status", "priority", "aware_wd_index", "received_at"],
            unique=False,
        )

    op.create_table(
        "adult_name_key",
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("referral_id", "key"),
    )
    with op.batch_alter_table("adult_name_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adult_name_key_key"), ["key"], unique=False)

    op.create_table(
        "child",
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("send", sa.Boolean(), nullable=True),
        sa.Column("send_details", sa.String(length=300), nullable=True),
        sa.Column("looked_after", sa.Boolean(), nullable=True),
        sa.Column("on_plan", sa.Boolean(), nullable=True),
        sa.Column("social_worker", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_referral_id"), ["referral_id"], unique=False)

    op.create_table(
        "conversation_state",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("state", JSON_TYPE, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("has_concern", sa.Boolean(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("resume_code_hash", sa.String(length=200), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversation_state", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_state_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conversation_state_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversation_state_token_hash"), ["token_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_state_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_state_user_key"), ["user_key"], unique=False
        )

    op.create_table(
        "message",
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("sender_name", sa.String(length=200), nullable=True),
        sa.Column("recipients", sa.String(length=2000), nullable=True),
        sa.Column("subject", sa.String(length=998), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flags", JSON_TYPE, nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("mailbox", sa.String(length=320), nullable=True),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("in_reply_to", sa.String(length=998), nullable=True),
        sa.Column("references", sa.Text(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("auth_results", JSON_TYPE, nullable=False),
        sa.Column("delivery_status", sa.String(length=20), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_message_referral_id"), ["referral_id"], unique=False)
        batch_op.create_index(
            "uq_message_mailbox_message_id", ["mailbox", "message_id"], unique=True
        )

    op.create_table(
        "note",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_referral_id"), ["referral_id"], unique=False)

    op.create_table(
        "referral_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("linked_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["linked_id"],
            ["referral.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("referral_id", "linked_id", name="uq_referral_link"),
    )
    with op.batch_alter_table("referral_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_link_linked_id"), ["linked_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_link_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("extracted", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_message_id"), ["message_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attachment_referral_id"), ["referral_id"], unique=False
        )

    op.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)").bindparams(h=GENESIS)
    )
    _create_append_only_guards()


def _create_append_only_guards() -> None:
    """The audit log is append-only: the database itself refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )


def _drop_append_only_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def downgrade() -> None:
    _drop_append_only_guards()
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_referral_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_message_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("referral_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_link_referral_id"))
        batch_op.drop_index(batch_op.f("ix_referral_link_linked_id"))

    op.drop_table("referral_link")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_referral_id"))

    op.drop_table("note")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("uq_message_mailbox_message_id")
        batch_op.drop_index(batch_op.f("ix_message_referral_id"))
        batch_op.drop_index(batch_op.f("ix_message_conversation_id"))

    op.drop_table("message")
    with op.batch_alter_table("conversation_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_state_user_key"))
        batch_op.drop_index(batch_op.f("ix_conversation_state_updated_at"))
        batch_op.drop_index(batch_op.f("ix_conversation_state_token_hash"))
        batch_op.drop_index(batch_op.f("ix_conversation_state_status"))
        batch_op.drop_index(batch_op.f("ix_conversation_state_referral_id"))

    op.drop_table("conversation_state")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_referral_id"))

    op.drop_table("child")
    with op.batch_alter_table("adult_name_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adult_name_key_key"))

    op.drop_table("adult_name_key")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_status_queue")
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index("ix_referral_queue")
        batch_op.drop_index(batch_op.f("ix_referral_decision"))
        batch_op.drop_index(batch_op.f("ix_referral_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_referral_claimed_by_id"))
        batch_op.drop_index(batch_op.f("ix_referral_adult_employer_key"))

    op.drop_table("referral")
    with op.batch_alter_table("officer_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_session_officer_id"))
        batch_op.drop_index(batch_op.f("ix_officer_session_expires_at"))

    op.drop_table("officer_session")
    op.drop_table("reference_counter")
    op.drop_table("officer")
    op.drop_table("mailbox_cursor")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_referral_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_officer_id"))

    op.drop_table("audit_event")
