"""Composition root: settings, the aiohttp application, the command line, and the
web-facing adapters (officer review UI, web chat, Teams)."""
