"""Email intake: mailbox sources (maildir, IMAP, EWS, Graph), the parser, the
classifier, acknowledgements and the poller. See docs/mail.md."""
