"""Settings for the email intake (``LADO_MAIL__*``), with one sub-model per source and sender."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

#: file types kept as attachments; anything else is recorded as "refused" (the bytes stay
#: in the stored raw message, nothing is dropped)
DEFAULT_ATTACHMENT_TYPES = (
    "pdf,doc,docx,odt,rtf,txt,csv,xls,xlsx,ods,jpg,jpeg,png,gif,heic,tif,tiff,bmp,eml,msg,mp3,"
    "m4a,wav,mp4,mov"
)


class MaildirSettings(BaseModel):
    """The local folder source (``LADO_MAIL__MAILDIR__*``)."""

    min_age_seconds: float = Field(
        default=1.0,
        ge=0,
        le=600,
        description="Leave a dropped .eml file alone until it is this old (it may still be "
        "being copied)",
    )


class ImapSettings(BaseModel):
    """IMAP source (``LADO_MAIL__IMAP__*``); the server is named in LADO_MAIL__SOURCE."""

    password: SecretStr = Field(default=SecretStr(""), description="IMAP password")
    tls: Literal["auto", "tls", "starttls", "none"] = Field(
        default="auto",
        description="auto: TLS for imaps://, STARTTLS for imap://; none only for local tests",
    )
    processed_folder: str = Field(default="Processed", description="Folder for processed mail")
    quarantine_folder: str = Field(
        default="Quarantine", description="Folder for mail that could not be processed"
    )
    timeout_seconds: float = Field(default=60, ge=1, le=600, description="Socket timeout")


class EwsSettings(BaseModel):
    """Exchange Web Services source and sender (``LADO_MAIL__EWS__*``), for on-premises
    Exchange Server."""

    service_endpoint: str = Field(
        default="",
        description="EWS URL, e.g. https://mail.example.gov.uk/EWS/Exchange.asmx",
    )
    username: str = Field(default="", description="Service account (DOMAIN\\user or UPN)")
    password: SecretStr = Field(default=SecretStr(""), description="Service account password")
    auth_type: Literal["NTLM", "basic", "OAuth 2.0", "no authentication"] = Field(
        default="NTLM", description="How to authenticate to EWS"
    )
    mailbox: str = Field(
        default="", description="SMTP address of the LADO mailbox (default: LADO_MAIL__ADDRESS)"
    )
    processed_folder: str = Field(default="Processed", description="Folder for processed mail")
    quarantine_folder: str = Field(
        default="Quarantine", description="Folder for mail that could not be processed"
    )
    max_wait_seconds: int = Field(
        default=300, ge=0, le=3600, description="How long to honour server back-off in total"
    )
    ca_bundle: str = Field(
        default="", description="Extra CA certificate file to trust (TLS-inspecting proxies)"
    )


class GraphSettings(BaseModel):
    """Microsoft Graph source and sender (``LADO_MAIL__GRAPH__*``), for Exchange Online."""

    tenant_id: str = Field(default="", description="Microsoft Entra tenant id")
    client_id: str = Field(default="", description="App registration (client) id")
    client_secret: SecretStr = Field(default=SecretStr(""), description="Client secret")
    mailbox: str = Field(default="", description="The shared mailbox (default: LADO_MAIL__ADDRESS)")
    folder: str = Field(default="inbox", description="Folder read (a well-known name or an id)")
    processed_folder: str = Field(default="Processed", description="Folder for processed mail")
    quarantine_folder: str = Field(
        default="Quarantine", description="Folder for mail that could not be processed"
    )
    authority_url: str = Field(
        default="https://login.microsoftonline.com", description="Sign-in authority"
    )
    graph_url: str = Field(default="https://graph.microsoft.com/v1.0", description="Graph API base")
    ca_bundle: str = Field(
        default="", description="Extra CA certificate file to trust (TLS-inspecting proxies)"
    )
    max_retry_after_seconds: int = Field(
        default=120, ge=1, le=3600, description="Longest 429 Retry-After honoured before failing"
    )


class SmtpSettings(BaseModel):
    """SMTP sender for acknowledgements (``LADO_MAIL__SMTP__*``)."""

    host: str = Field(default="", description="SMTP server (empty: no SMTP sending)")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port")
    tls: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="starttls, tls (implicit, port 465) or none (tests)"
    )
    username: str = Field(default="", description="SMTP user (empty: no authentication)")
    password: SecretStr = Field(default=SecretStr(""), description="SMTP password")
    timeout_seconds: float = Field(default=60, ge=1, le=600, description="Socket timeout")


class MailSettings(BaseModel):
    """The email intake (``LADO_MAIL__*``)."""

    source: str = Field(
        default="maildir:var/mail",
        description="Where mail comes from: maildir:/path, imaps://user@host[:port][/folder], "
        "imap://user@host (STARTTLS), ews, graph, or none",
    )
    sender: Literal["auto", "maildir", "smtp", "graph", "ews", "none"] = Field(
        default="auto",
        description="How acknowledgements leave: auto = maildir outbox for a maildir source, "
        "SMTP for IMAP, Graph for graph, EWS for ews",
    )
    address: str = Field(
        default="", description="The LADO mailbox address (default: LADO_AUTHORITY__DUTY_EMAIL)"
    )
    poll_in_service: bool | None = Field(
        default=None,
        description="Run the poller inside `lado serve` (default: on in dev, off in prod, where "
        "`lado poll` runs as its own process)",
    )
    interval_seconds: float = Field(
        default=30, ge=0.1, le=3600, description="Pause between polls in `lado poll`"
    )
    backoff_max_seconds: float = Field(
        default=600, ge=1, le=86400, description="Longest pause after repeated errors"
    )
    lock_seconds: int = Field(
        default=120,
        ge=1,
        le=3600,
        description="The single-poller lock expires this long after its last heartbeat",
    )
    heartbeat_stale_seconds: int = Field(
        default=300, ge=5, le=86400, description="`lado poll --check` fails past this age"
    )
    max_message_kb: int = Field(
        default=25 * 1024, ge=16, le=500 * 1024, description="Larger messages are quarantined"
    )
    max_attachment_kb: int = Field(
        default=15 * 1024,
        ge=1,
        le=500 * 1024,
        description="Larger attachments are recorded but not stored separately",
    )
    attachment_types: str = Field(
        default=DEFAULT_ATTACHMENT_TYPES,
        description="Comma-separated file extensions stored as attachments",
    )
    acknowledge: bool = Field(default=True, description="Send acknowledgements")
    ack_limit_per_sender: int = Field(
        default=10, ge=0, le=1000, description="Most acknowledgements to one address per day"
    )
    trusted_authserv_ids: str = Field(
        default="",
        description="Comma-separated authserv-ids of our own mail gateways whose "
        "Authentication-Results are shown (empty: the topmost header)",
    )
    web_chat_url: str = Field(
        default="",
        description="Where a referrer resumes in the web chat (default: LADO_BASE_URL + /chat)",
    )
    maildir: MaildirSettings = Field(default_factory=MaildirSettings)
    imap: ImapSettings = Field(default_factory=ImapSettings)
    ews: EwsSettings = Field(default_factory=EwsSettings)
    graph: GraphSettings = Field(default_factory=GraphSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)

    @property
    def source_kind(self) -> str:
        """maildir, imap, ews, graph or none."""
        value = self.source.strip().lower()
        if value.startswith("maildir:"):
            return "maildir"
        if value.startswith(("imap://", "imaps://")):
            return "imap"
        if value in ("ews", "graph", "none", ""):
            return value or "none"
        return "invalid"

    @property
    def sender_kind(self) -> str:
        if self.sender != "auto":
            return self.sender
        return {"maildir": "maildir", "imap": "smtp", "ews": "ews", "graph": "graph"}.get(
            self.source_kind, "none"
        )

    def extensions(self) -> frozenset[str]:
        return frozenset(
            e.strip().lower().lstrip(".") for e in self.attachment_types.split(",") if e.strip()
        )

    def authserv_ids(self) -> frozenset[str]:
        return frozenset(
            s.strip().lower() for s in self.trusted_authserv_ids.split(",") if s.strip()
        )

    def problems(self) -> list[str]:
        """Settings that cannot work in any environment."""
        kind = self.source_kind
        problems: list[str] = []
        if kind == "invalid":
            problems.append(
                "LADO_MAIL__SOURCE must be maildir:/path, imaps://user@host, imap://user@host, "
                "ews, graph or none"
            )
        if kind == "graph" and not (
            self.graph.tenant_id and self.graph.client_id and self.graph.client_secret
        ):
            problems.append(
                "LADO_MAIL__GRAPH__TENANT_ID, CLIENT_ID and CLIENT_SECRET are needed for graph"
            )
        if kind == "ews" and not self.ews.service_endpoint:
            problems.append("LADO_MAIL__EWS__SERVICE_ENDPOINT is needed for ews")
        if self.sender_kind == "smtp" and not self.smtp.host:
            problems.append("LADO_MAIL__SMTP__HOST is needed to send acknowledgements by SMTP")
        return problems

    def production_problems(self) -> list[str]:
        problems = self.problems()
        kind = self.source_kind
        if kind == "imap" and self.imap.tls == "none":
            problems.append("LADO_MAIL__IMAP__TLS=none sends the mailbox password in clear")
        if self.sender_kind == "smtp" and self.smtp.tls == "none":
            problems.append("LADO_MAIL__SMTP__TLS=none sends mail in clear")
        for name, url in (
            (
                "LADO_MAIL__EWS__SERVICE_ENDPOINT",
                self.ews.service_endpoint if kind == "ews" else "",
            ),
            ("LADO_MAIL__GRAPH__GRAPH_URL", self.graph.graph_url if kind == "graph" else ""),
        ):
            if url and not url.lower().startswith("https://"):
                problems.append(f"{name} must be an https:// address in prod")
        return problems
