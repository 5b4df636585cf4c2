"""Settings of the Teams channel and its alerts (``LADO_TEAMS__*``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr

#: the public cloud's Bot Framework endpoints (override only for tests or sovereign clouds)
BOT_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_TOKEN_ISSUER = "https://api.botframework.com"  # noqa: S105 (an issuer URL)
BOT_OAUTH_SCOPE = "https://api.botframework.com/.default"
#: Teams posts from regional hosts under this address (e.g. .../uk/, .../emea/)
TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/"


class TeamsSettings(BaseModel):
    """Microsoft Teams through an Azure Bot registered as single tenant."""

    enabled: bool = Field(
        default=False,
        description="Serve the Teams endpoint POST /api/messages and send duty alerts to "
        "Teams (needs APP_ID, TENANT_ID and APP_PASSWORD or CERTIFICATE_PATH)",
    )
    app_id: str = Field(
        default="", description="Microsoft App ID of the Azure Bot (its app registration)"
    )
    app_password: SecretStr = Field(
        default=SecretStr(""), description="Client secret of the bot's app registration"
    )
    certificate_path: str = Field(
        default="",
        description="PEM file with the app registration's certificate and private key "
        "(instead of APP_PASSWORD)",
    )
    tenant_id: str = Field(
        default="", description="The council's Microsoft Entra tenant id (single tenant)"
    )
    allowed_service_urls: str = Field(
        default=TEAMS_SERVICE_URL,
        description="Comma-separated Bot Connector addresses the bot may reply to; an "
        "activity naming any other serviceUrl is refused and nothing is sent to it",
    )
    openid_metadata_url: str = Field(
        default=BOT_OPENID_METADATA,
        description="OpenID metadata of the Bot Framework token service (its keys sign "
        "every inbound request)",
    )
    token_issuer: str = Field(
        default=BOT_TOKEN_ISSUER, description="Issuer required in inbound tokens"
    )
    login_url: str = Field(
        default="https://login.microsoftonline.com",
        description="Microsoft Entra sign-in authority the bot gets its outbound tokens from",
    )
    ca_bundle: str = Field(
        default="",
        description="Extra CA certificate file to trust for the calls above (a "
        "TLS-inspecting proxy)",
    )
    timeout_seconds: float = Field(
        default=15, ge=1, le=120, description="Timeout of each call to the Bot Framework"
    )
    alert_referrals: bool = Field(
        default=False,
        description="Also alert the duty officer about REFERRAL items (URGENT items always)",
    )
    alert_poll_seconds: float = Field(
        default=5,
        ge=0,
        le=600,
        description="How often the service looks for alerts to send (0 = this instance sends none)",
    )
    alert_max_attempts: int = Field(
        default=10, ge=1, le=100, description="Attempts per alert and recipient before giving up"
    )
    alert_max_age_hours: int = Field(
        default=24, ge=1, le=24 * 14, description="An alert not sent within this time is dropped"
    )
    manifest_id: str = Field(
        default="",
        description="Teams app id (a GUID) in the app package (empty: the bot's APP_ID)",
    )
    app_name: str = Field(
        default="LADO Intake", max_length=30, description="Name of the app in Teams"
    )
    privacy_url: str = Field(
        default="", description="Privacy notice shown in Teams (empty: LADO_BASE_URL)"
    )
    terms_url: str = Field(
        default="", description="Terms of use shown in Teams (empty: LADO_BASE_URL)"
    )

    # ------------------------------------------------------------ derived

    @property
    def service_urls(self) -> list[str]:
        return [u.strip() for u in self.allowed_service_urls.split(",") if u.strip()]

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self.tenant_id and self.has_credential)

    @property
    def has_credential(self) -> bool:
        return bool(self.app_password.get_secret_value() or self.certificate_path)

    def problems(self) -> list[str]:
        """What stops the channel from working (any environment), when enabled."""
        if not self.enabled:
            return []
        problems = []
        if not self.app_id:
            problems.append(
                "LADO_TEAMS__APP_ID is empty: without it the Bot Framework SDK would accept "
                "unauthenticated requests"
            )
        if not self.tenant_id:
            problems.append("LADO_TEAMS__TENANT_ID is empty (the bot is single tenant)")
        if not self.has_credential:
            problems.append("set LADO_TEAMS__APP_PASSWORD or LADO_TEAMS__CERTIFICATE_PATH")
        if not self.service_urls:
            problems.append("LADO_TEAMS__ALLOWED_SERVICE_URLS is empty")
        for url in self.service_urls:
            parts = urlsplit(url)
            if parts.scheme not in ("https", "http") or not parts.hostname:
                problems.append(f"LADO_TEAMS__ALLOWED_SERVICE_URLS: not an address: {url[:80]}")
        return problems

    def production_problems(self) -> list[str]:
        problems = self.problems()
        if not self.enabled:
            return problems
        for name, url in (
            ("LADO_TEAMS__OPENID_METADATA_URL", self.openid_metadata_url),
            ("LADO_TEAMS__LOGIN_URL", self.login_url),
            *(("LADO_TEAMS__ALLOWED_SERVICE_URLS", u) for u in self.service_urls),
        ):
            if not url.lower().startswith("https://"):
                problems.append(f"{name} must use https:// in prod")
        return problems
