"""Process A of the two-process tests: several connections, writing in a loop.

``python -m support.db_writer DATABASE SEED`` (with the repository and
``tests/`` on ``PYTHONPATH``) opens three connections with crumail's own
``open_database``, then stores generated mail through the store's batch
commit, one message a transaction, on a connection picked at random.  Every
few messages it opens one more connection (as the daemon's threads and the
desk's do) and, past eight, closes the oldest.  After each COMMIT has
returned it prints the message's row id and flushes: a line on standard
output is a promise that the row is committed.  It runs until it is killed.
"""

from __future__ import annotations

import random
import sys

from crumail.intake.prepare import prepare
from crumail.model import RawMessage
from crumail.store import batch, open_database
from support import mailgen

FIRST_CONNECTIONS = 3
OPEN_EVERY = 5
MOST_CONNECTIONS = 8


def main(database: str, seed: int) -> None:
    rng = random.Random(seed)
    connections = [open_database(database) for _ in range(FIRST_CONNECTIONS)]
    number = 0
    while True:
        number += 1
        raw = RawMessage(data=mailgen.message(number, f"writer{seed}"), source="writer",
                         key=f"writer/{number}", origin=f"writer/{number}")
        (done,) = batch.commit(rng.choice(connections), [prepare(raw)])
        print(done.message, flush=True)
        if number % OPEN_EVERY == 0:
            connections.append(open_database(database))
        if len(connections) > MOST_CONNECTIONS:
            connections.pop(0).close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
