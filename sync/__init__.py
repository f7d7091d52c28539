"""Sync between gate terminals and headquarters (see DESIGN.md)."""
