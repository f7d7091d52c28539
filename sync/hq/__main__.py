"""`python -m sync.hq --db URL --port N --workers W`: run the receiver (tests, ops)."""

from __future__ import annotations

import argparse

from sync.hq.core.config import HQSettings
from sync.hq.main import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sync.hq", description=__doc__)
    parser.add_argument("--db", help="database URL or SQLite file path")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    settings = HQSettings(database_url=args.db) if args.db else HQSettings()
    serve(settings, args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
