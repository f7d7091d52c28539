"""Tests of the HQ receiver (sync/hq), against a real server process."""
