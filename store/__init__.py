"""Persistence: SQLModel tables, the async engine, repository functions, migrations, reports."""
