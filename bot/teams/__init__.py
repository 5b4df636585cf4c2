"""Microsoft Teams: the referral conversation inside Teams and duty alerts (docs/teams.md).

Only this package imports the Bot Framework SDK (botbuilder, archived upstream), and
only ``bot.teams.sdk`` does so, behind a small interface of our own (``Inbound`` in,
``Outbound`` out, ``send`` for proactive messages): replacing the SDK with the
Microsoft 365 Agents SDK means rewriting that one module.

This ``__init__`` stays free of imports so that ``bot.settings`` can read
``bot.teams.config`` without loading the SDK.
"""
