"""Files crumail writes that hold mail data: private, whole, never through a link.

The database is 0600 because it holds personal data; an export of it is the
same data and must be as private, whatever the umask of whoever runs the
command.  The file is written under a temporary name in the same folder
(``mkstemp`` makes it 0600) and renamed over the target when complete: a
reader never sees half of it, and a symlink at the target is replaced, never
followed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator


@contextlib.contextmanager
def private_file(path: Path, mode: str = "wb", **open_args) -> Iterator[IO]:
    """Open a new file to become ``path`` (mode 0600) once the block ends well."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **open_args) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
