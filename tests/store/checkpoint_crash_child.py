"""Child process of the checkpointer's crash test: the crash test's save loop, with the
background checkpointer running and checkpointing every few commits.

Prints "ready" once the gate is open and the checkpointer started, then the id of every
entry right after `register_person` returned.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages
from gateui.services.context import open_gate
from gateui.store.checkpoint import Checkpointer


def main(db_path: str, guard_id: str, person_ids: list[str]) -> None:
    ctx = open_gate(Path(db_path), SiteConfig())
    # Every 3 commits: a kill often lands while a checkpoint is copying pages.
    ctx.db.start_checkpointer(Checkpointer(ctx.db.path, every_commits=3))
    normal = normal_answers(ctx.checklist)
    print("ready", flush=True)
    i = 0
    while True:
        pid = person_ids[i % len(person_ids)]
        direction = Direction.IN if (i // len(person_ids)) % 2 == 0 else Direction.OUT
        req = passages.PersonPassage(pid, direction, normal)
        print(passages.register_person(ctx, guard_id, req).entry_id, flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(","))
