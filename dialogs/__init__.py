"""The guided referral conversation: a channel-neutral engine and the referral script."""
