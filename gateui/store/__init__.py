"""Persistence: SQLModel tables on SQLite (WAL, synchronous=FULL) and the change log."""
