"""Send acknowledgements over SMTP (aiosmtplib): STARTTLS, implicit TLS, or plain for
local tests. 5xx answers are permanent failures; everything else is retried on the
next pass."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from intake.mail.config import SmtpSettings
from intake.mail.source import SendError


class SmtpSender:
    kind = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.host,
                port=s.port,
                username=s.username or None,
                password=s.password.get_secret_value() or None,
                use_tls=s.tls == "tls",
                start_tls=s.tls == "starttls",
                timeout=s.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise SendError("the recipient was refused", permanent=True) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise SendError(f"SMTP {exc.code}", permanent=500 <= exc.code < 600) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise SendError(f"SMTP unavailable ({type(exc).__name__})") from exc

    async def close(self) -> None:
        return None
