"""The reports a batch writes, checked and put right once no submission's process is left.

Under ``--isolation none`` (and the portable sandbox) a submission's processes have the
grader's uid and see its files: they can rewrite a report already written, plant a file or a
folder where a later student's report goes, or leave other files in the reports folder. A
:class:`Ledger` remembers what the reports folders held when the batch started and the sha256
of every report the grader wrote; :meth:`Ledger.settle`, called when every worker (and so
every sandbox and every process a submission started) has ended, writes again each report
that is not, byte for byte, the grader's, and -- when ``sweep`` is asked for (a submission ran
without isolation) -- removes what appeared or changed in those folders without the grader
writing it. Where the children cannot reach the reports (root and userns modes), it only
confirms what was written.

What it cannot undo is listed in the README (isolation ``none``): a report read before the
end of the run (a run killed before :meth:`~Ledger.settle`), and anything outside the
reports folders.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import ReportNotWritable

__all__ = ["Ledger", "file_digest"]

_MAX_REPORT_BYTES = 64 << 20  # a file this large is not a report of ours: not even read


def _identity(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_mode, info.st_size, info.st_mtime_ns)


def _entries(folder: Path) -> dict[str, tuple[int, ...]]:
    found = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return {}
    for name in names:
        try:
            found[name] = _identity(os.lstat(folder / name))
        except OSError:
            continue
    return found


def file_digest(path: Path) -> str | None:
    """The sha256 (hex) of the regular file at ``path`` (a link is not followed), or None when
    there is none, it is not a regular file, or it is too large to be a report."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_REPORT_BYTES:
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove whatever is at ``path`` (a folder with what it holds; a link, not its target)."""
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode):
        os.chmod(path, 0o700)
        for folder, dirs, _ in os.walk(path):  # folders made unwritable must be emptied too
            for name in dirs:
                try:
                    if not os.path.islink(os.path.join(folder, name)):
                        os.chmod(os.path.join(folder, name), 0o700)
                except OSError:
                    pass
        shutil.rmtree(path)
    else:
        os.unlink(path)


@dataclass
class Ledger:
    """What the reports folders held at the start, and the reports the batch wrote since."""

    folders: dict[Path, tuple[tuple[int, ...] | None, dict[str, tuple[int, ...]]]] = field(default_factory=dict)
    written: dict[Path, tuple[Mapping, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, targets: list[Path]) -> Ledger:
        """A ledger of the folders of ``targets``, as they are now (before any child runs)."""
        ledger = cls()
        for folder in sorted({Path(t).parent for t in targets}):
            try:
                own = _identity(os.lstat(folder))
            except OSError:
                own = None
            ledger.folders[folder] = (own, _entries(folder))
        return ledger

    def expect(self, target: Path, report: Mapping, digest: str | None) -> None:
        """``target`` must hold ``report``, whose bytes have ``digest`` (None: not written yet,
        something was in the way)."""
        self.written[Path(target)] = (report, digest)

    def settle(self, *, sweep: bool) -> list[str]:
        """Put the reports folders right; return what was done, one sentence per thing.

        Every expected report that is not a regular file with the digest written is written
        again (whatever is in its place removed). With ``sweep``, everything else in the
        folders that is new or changed since :meth:`of` is removed. Raises
        :class:`~grader.errors.ReportNotWritable` when a report cannot be written even so.
        """
        from grader.report.yaml_report import write_report

        done: list[str] = []
        for folder, (own, before) in self.folders.items():
            if sweep:
                done += self._sweep_folder(folder, own, before)
        for target, (report, digest) in sorted(self.written.items()):
            if digest is not None and file_digest(target) == digest:
                continue
            if os.path.lexists(target):
                try:
                    _remove(target)
                except OSError as exc:
                    raise ReportNotWritable(str(target), (exc.strerror or type(exc).__name__).lower()) from None
                done.append(f"{target} was not the report the grader wrote (changed, or something in its place): written again")
            self.written[target] = (report, write_report(report, target))
        return done

    def _sweep_folder(self, folder: Path, own: tuple[int, ...] | None, before: dict[str, tuple[int, ...]]) -> list[str]:
        done: list[str] = []
        try:
            info = os.lstat(folder)
        except OSError:
            return done
        if not stat.S_ISDIR(info.st_mode):  # a link or a file where the folder was
            _remove(folder)
            folder.mkdir()
            return [f"{folder} was replaced during the run: made again"]
        if info.st_mode & 0o700 != 0o700:
            os.chmod(folder, stat.S_IMODE(info.st_mode) | 0o700)
            done.append(f"{folder} was made unwritable during the run: made writable again")
        same_folder = own is not None and own[:2] == (info.st_dev, info.st_ino)
        for name, identity in _entries(folder).items():
            path = folder / name
            if path in self.written or (same_folder and before.get(name) == identity):
                continue
            try:
                _remove(path)
            except OSError:
                continue
            done.append(f"{path} appeared or changed during the run without the grader writing it: removed")
        return done
