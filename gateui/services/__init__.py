"""Use cases. Every write is one function here = one SQLite transaction, which writes the
domain rows and their change-log rows together. The TUI, the CLI and sync call only these."""
