"""Child processes of a process, for tests that fork."""

import os


def children_of(pid: int) -> list[int]:
    """The children of ``pid``, zombies included (from /proc: a `ps` would be one itself)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
        except (OSError, ValueError):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if entry.isdigit() and int(fields[1]) == pid:
            found.append(int(entry))
    return found
