"""The HQ receiver: FastAPI app (`sync.hq.main`), admin functions (`sync.hq.admin`).

Importing this package imports nothing heavy: the CLI loads `sync.hq.admin` without FastAPI.
"""
