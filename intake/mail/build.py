"""Build the configured source, sender and poller from the settings."""

from __future__ import annotations

from intake.config import AuthoritySettings
from intake.mail.config import MailSettings
from intake.mail.maildir import MaildirOutbox, MaildirSource, folder_of
from intake.mail.poller import Poller
from intake.mail.source import MailSender, MailSource, NoSender
from intake.triager import Triager
from store.engine import Database


class MailNotConfigured(Exception):
    """LADO_MAIL__SOURCE is none, or the mail settings cannot work (``problems``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def mailbox_address(settings: MailSettings, authority: AuthoritySettings) -> str:
    return (settings.address or authority.duty_email).strip().lower()


def build_source(settings: MailSettings, address: str) -> MailSource:
    kind = settings.source_kind
    if kind == "maildir":
        return MaildirSource(
            folder_of(settings.source), min_age_seconds=settings.maildir.min_age_seconds
        )
    if kind == "imap":
        from intake.mail.imap import ImapSource

        return ImapSource(settings.source, settings.imap)
    if kind == "graph":
        from intake.mail.graph import GraphClient, GraphSource

        return GraphSource(
            GraphClient(settings.graph, settings.graph.mailbox or address), settings.graph
        )
    if kind == "ews":
        from intake.mail.ews import EwsSource

        return EwsSource(settings.ews, settings.ews.mailbox or address)
    raise MailNotConfigured(["LADO_MAIL__SOURCE is none: no mailbox to read"])


def build_sender(settings: MailSettings, address: str) -> MailSender:
    kind = settings.sender_kind
    if not settings.acknowledge or kind == "none":
        return NoSender()
    if kind == "maildir":
        folder = (
            folder_of(settings.source)
            if settings.source_kind == "maildir"
            else folder_of("maildir:var/mail")
        )
        return MaildirOutbox(folder)
    if kind == "smtp":
        from intake.mail.smtp import SmtpSender

        return SmtpSender(settings.smtp)
    if kind == "graph":
        from intake.mail.graph import GraphClient, GraphSender

        return GraphSender(GraphClient(settings.graph, settings.graph.mailbox or address))
    from intake.mail.ews import EwsSender

    return EwsSender(settings.ews, settings.ews.mailbox or address)


def build_poller(
    db: Database,
    settings: MailSettings,
    authority: AuthoritySettings,
    *,
    base_url: str,
    triager: Triager | None,
) -> Poller:
    problems = settings.problems()
    if settings.source_kind == "none":
        problems = ["LADO_MAIL__SOURCE is none: no mailbox to read", *problems]
    if problems:
        raise MailNotConfigured(problems)
    address = mailbox_address(settings, authority)
    chat_url = settings.web_chat_url or base_url.rstrip("/") + "/chat"
    return Poller(
        db,
        build_source(settings, address),
        build_sender(settings, address),
        settings=settings,
        authority=authority,
        triager=triager,
        mailbox=address,
        chat_url=chat_url,
    )
