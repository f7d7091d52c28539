"""HTTP routes of the HQ receiver (prefix /api/v1)."""
