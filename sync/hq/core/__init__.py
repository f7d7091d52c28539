"""Settings of the HQ receiver."""
