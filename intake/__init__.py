"""The application core: submit referrals from any channel, review actions, acknowledgements."""
