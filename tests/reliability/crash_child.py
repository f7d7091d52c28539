"""Child process of the crash test: register passages forever, report each one once saved.

Prints "ready" once the gate is open, then the id of every entry right after
`register_person` returned (the moment the screen would say "saved"). With a fourth
argument N, the terminal's background checkpointer runs and checkpoints every N commits,
so a kill often lands while a checkpoint is copying pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages
from gateui.services.context import open_gate
from gateui.services.lookup import find
from gateui.store.checkpoint import Checkpointer


def main(db_path: str, guard_id: str, person_ids: list[str], checkpoint_every: int) -> None:
    ctx = open_gate(Path(db_path), SiteConfig())
    if checkpoint_every:
        ctx.db.start_checkpointer(Checkpointer(ctx.db.path, every_commits=checkpoint_every))
    normal = normal_answers(ctx.checklist)
    print("ready", flush=True)
    i = 0
    while True:
        pid = person_ids[i % len(person_ids)]
        card_direction = find(ctx, "zl")  # a read in the loop too, like the gate screen
        assert card_direction is not None
        direction = Direction.IN if (i // len(person_ids)) % 2 == 0 else Direction.OUT
        result = passages.register_person(
            ctx, guard_id, passages.PersonPassage(pid, direction, normal)
        )
        print(result.entry_id, flush=True)
        i += 1


if __name__ == "__main__":
    every = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(","), every)
