"""The per-submission YAML report of ``grader grade``.

:func:`build_report` assembles the report (a :class:`~grader.results.Report`, keys in the
order of the course contract): the one place a report is made. :func:`write_report` writes
it atomically, :func:`read_report` reads one back, and :func:`unique_report_paths` names the
files so that two submissions of one run never overwrite each other's report.

Layout: ``OUT/<assignment>/<submission>.yaml`` (:func:`assignment_folder`), so that grading
several assignments into one ``--out`` keeps every report.
"""

from __future__ import annotations

import functools
import hashlib
import numbers
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path, PurePath

import yaml

from grader.course import Assignment
from grader.errors import ReportNotWritable
from grader.i18n import _, language
from grader.results import CheckResult, Report
from grader.submission import Submission

__all__ = [
    "OUTPUT_LIMIT",
    "assignment_folder",
    "build_report",
    "escape_output",
    "read_report",
    "report_path",
    "unique_report_paths",
    "write_report",
]

OUTPUT_LIMIT = 4000  # characters of the student's output that a report shows
_STEM_BYTES = 150  # of a report's file name, leaving room for "-NN.yaml" under 255 bytes

_STATUSES = ("graded", "error")


def build_report(
    *,
    assignment: Assignment,
    submission: Submission,
    results: list[CheckResult],
    status: str,
    reason: str | None,
    grader_version: str,
    rubric: str,
    graded_at: datetime,
    duration_s: float,
    sandbox: dict,
    output: str = "",
    hidden_output: str = "",
    notes: tuple = (),
    max_score: float | None = None,
    public_checks: str = "",
) -> Report:
    """The report of one submission, as plain data ready for :func:`write_report`.

    ``rubric`` is :func:`grader.rubric.rubric_digest` of what graded it; ``duration_s`` the
    seconds this submission took (loading and checks, not the worker's start).
    ``graded_at`` must be timezone-aware; it is written in UTC. ``output`` is the
    student's raw captured output: it is passed through :func:`escape_output` here, as is
    ``hidden_output``, what the student's code printed during hidden checks (the instructor's
    only: no other writer shows it).
    The report's notes are the submission's notes followed by ``notes`` (repeats
    dropped). ``reason`` is written only for ``status="error"``. ``max_score`` is the
    sum of the checks' ``max_points`` unless given, as an error report without checks
    may want to show the assignment's total. ``public_checks`` is the digest of the public
    checks that graded it (:func:`grader.release.public_digest`), the one a students' copy
    records, so that a student's copy and a report can be compared; written when given.
    ``lang`` is the language the run speaks (:func:`grader.i18n.language`), in which the
    feedback was written.
    """
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {_STATUSES}, not {status!r}")
    if graded_at.tzinfo is None or graded_at.utcoffset() is None:
        raise ValueError("graded_at must be timezone-aware, e.g. datetime.now(timezone.utc)")

    total = sum(r.max_points for r in results) if max_score is None else max_score
    report: dict = {
        "assignment": assignment.name,
        "submission": submission.name,
        "sha256": dict(submission.sha256),
        **({"commit": submission.commit} if submission.commit else {}),
        "grader_version": grader_version,
        "rubric": rubric,
        "graded_at": graded_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(float(duration_s), 3),
        "score": _score(sum(r.points for r in results)),
        "max_score": _score(total),
        "status": status,
    }
    if status == "error":
        report["reason"] = reason or "the grader gave no reason"
    all_notes = list(dict.fromkeys((*submission.notes, *notes)))
    if all_notes:
        report["notes"] = all_notes
    if public_checks:
        report["public_checks"] = public_checks
    report["sandbox"] = dict(sandbox)
    report["lang"] = language()  # the language of the feedback and descriptions (grader.i18n)
    if output:
        report["output"] = escape_output(output)
    if hidden_output:  # printed during hidden checks, which it may reveal: for the instructor only
        report["hidden_output"] = escape_output(hidden_output)
    # A check's description is its suite's English docstring: written in the run's language.
    report["tests"] = [{**r.as_dict(), "description": _(r.description)} for r in results]
    return _yaml_safe(report)  # type: ignore[return-value]


def read_report(path: Path) -> Report | None:
    """The report at ``path``, or None when there is none or it is not a report of this grader
    (unreadable, not YAML, or without the contract's keys)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not _REPORT_KEYS <= data.keys() or not isinstance(data.get("tests"), list):
        return None
    return data  # type: ignore[return-value]


_REPORT_KEYS = frozenset({"assignment", "submission", "sha256", "score", "max_score", "status"})


def _score(value: float) -> int | float:
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def _yaml_safe(value: object) -> object:
    """``value`` made of what ``yaml.safe_dump`` writes: numpy scalars and paths become plain."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, Mapping):
        return {str(key): _yaml_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_yaml_safe(item) for item in value]
    if isinstance(value, PurePath):
        return str(value)
    item = getattr(value, "item", None)  # numpy bool_ and 0-d arrays
    if callable(item) and getattr(value, "shape", None) == ():
        return _yaml_safe(item())
    return str(value)


class _ReportDumper(yaml.SafeDumper):
    """``yaml.safe_dump``'s dumper, writing multi-line strings (output, feedback) as blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # the emitter falls back when a block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReportDumper.add_representer(str, _represent_str)


def write_report(report: Mapping, path: Path) -> str:
    """Write ``report`` as YAML to ``path`` atomically, creating its folder if needed; return
    the sha256 (hex) of the bytes written, to tell later whether the file is still the grader's.

    The YAML is what ``yaml.safe_dump(report, sort_keys=False, allow_unicode=True,
    width=100)`` writes, except that multi-line strings are literal blocks.
    Raises :class:`~grader.errors.ReportNotWritable` when the file cannot be written;
    a reader of ``path`` sees the old report or the new one, never half of one.
    """
    data = _dump(report).encode("utf-8")
    _write_atomically(Path(path), data)
    return hashlib.sha256(data).hexdigest()


def write_text(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` atomically (for the other formats of a report)."""
    _write_atomically(Path(path), text.encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportNotWritable(str(path), _reason(exc)) from None
    temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    created = False
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        created = True
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        if created:
            try:
                temporary.unlink()
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise ReportNotWritable(str(path), _reason(exc)) from None
        raise


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


# --------------------------------------------------------------------- file names


def assignment_folder(out_dir: Path, assignment: Assignment) -> Path:
    """``out_dir/<assignment name>``: where ``grader grade`` writes an assignment's reports."""
    return Path(out_dir) / assignment.name


def report_path(out_dir: Path, submission_name: str) -> Path:
    """``out_dir/<name>.yaml``, the name made safe for a file name.

    Within one run, use :func:`unique_report_paths`: two names may make the same file name.
    """
    return Path(out_dir) / f"{_safe_stem(submission_name)}.yaml"


def unique_report_paths(out_dir: Path, names: Iterable[str]) -> list[Path]:
    """One report path per name, in order; a name whose file name is taken gets ``-2``, ``-3``...

    Names are compared ignoring case, as a file system may: ``Alice`` and ``alice``
    get ``Alice.yaml`` and ``alice-2.yaml``.
    """
    taken: set[str] = set()
    paths = []
    for name in names:
        base = _safe_stem(name)
        stem, number = base, 2
        while stem.casefold() in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem.casefold())
        paths.append(Path(out_dir) / f"{stem}.yaml")
    return paths


_UNSAFE_IN_NAMES = frozenset('/\\:*?"<>|')


def _safe_stem(name: str) -> str:
    """``name`` as a file name: no separators or control characters, no leading dot."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        "_" if ch in _UNSAFE_IN_NAMES or not (ch.isprintable() or ch == " ") else ch for ch in text
    )
    text = text.strip().lstrip(".").rstrip(". ").strip()
    encoded = text.encode("utf-8")[:_STEM_BYTES]
    text = encoded.decode("utf-8", errors="ignore").rstrip(". ")
    return text or "submission"


# ------------------------------------------------------------------------- output

# CSI (colours, cursor moves), OSC (titles, links) and two-character escapes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_SHOWN_ESCAPED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def escape_output(text: str, *, limit: int = OUTPUT_LIMIT) -> str:
    """``text`` safe to show: control and format characters (ANSI escape sequences,
    bidi overrides, carriage returns) written as visible escapes such as ``\\x1b[31m``;
    newlines and tabs kept. Beyond ``limit`` characters of that, the rest is replaced
    by a last line ``... (N more characters not shown)``, N counting the characters of
    ``text`` left out. Windows line ends become newlines.
    """
    text = text.replace("\r\n", "\n")
    pieces: list[str] = []
    shown = position = 0
    while position < len(text):
        sequence = _ANSI.match(text, position) if text[position] == "\x1b" else None
        raw = sequence.group() if sequence else text[position]
        piece = "".join(_visible(ch) for ch in raw)
        if shown + len(piece) > limit:
            break
        pieces.append(piece)
        shown += len(piece)
        position += len(raw)
    result = "".join(pieces)
    left = len(text) - position
    if left:
        if result and not result.endswith("\n"):
            result += "\n"
        result += f"... ({left} more character{'s' if left != 1 else ''} not shown)"
    return result


def _visible(ch: str) -> str:
    if ch.isprintable() or ch in "\n\t" or unicodedata.category(ch) not in _SHOWN_ESCAPED:
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_DUMP = {"Dumper": _ReportDumper, "sort_keys": False, "allow_unicode": True, "width": 100}
# Parts of a report that repeat from one report to the next: written once per process.
_REPEATED = ("sandbox", "tests")


def _dump(report: Mapping) -> str:
    """``yaml.dump(report, **_DUMP)``, byte for byte, at a fraction of the cost for a class.

    A block mapping's entries, and a block sequence's items, are written one after another,
    each whatever the others are: so the ``sandbox`` section (the same in every report of a
    run) and each check's entry (most are alike: a passed check, its points, no feedback) are
    written once per process and reused, the rest as usual. Taken apart only where that gives
    the same bytes: a plain dict in which no list or dict appears twice (the whole dump would
    write an alias), and no part but the last ending open (a block scalar keeping its final
    line breaks, after which a document's end marker would follow)."""
    if type(report) is not dict or _shares_objects(report):
        return yaml.dump(report, **_DUMP)
    pieces: list[str] = []
    rest: dict = {}
    for key, value in report.items():
        frozen = _frozen(value) if key in _REPEATED and value else None
        if frozen is None:
            rest[key] = value
            continue
        if rest:
            pieces.append(yaml.dump(rest, **_DUMP))
            rest = {}
        if type(value) is list:  # an indentless block sequence: the key, then each item
            pieces.append(yaml.dump({key: None}, **_DUMP).replace(" null\n", "\n", 1))
            pieces.extend(_dumped_item(item) for item in frozen[1])
        else:
            pieces.append(_dumped_entry(key, frozen))
    if rest:
        pieces.append(yaml.dump(rest, **_DUMP))
    if any(piece.endswith("...\n") for piece in pieces[:-1]):
        return yaml.dump(report, **_DUMP)
    return "".join(pieces)


def _shares_objects(value: object) -> bool:
    """Whether a list or dict appears more than once in ``value`` (YAML would write an alias)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict or kind is list:
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)  # type: ignore[arg-type]
    return False


def _frozen(value: object) -> tuple | None:
    """``value`` as a hashable key that tells apart whatever YAML writes differently (1, 1.0
    and True; -0.0 and 0.0; dict order), or None when it holds anything but plain data."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if isinstance(value, list) and kind is list:
        items = [_frozen(item) for item in value]
        return None if any(item is None for item in items) else (kind, tuple(items))
    if isinstance(value, dict) and kind is dict:
        pairs = [(key, _frozen(item)) for key, item in value.items()]
        if any(type(key) is not str or item is None for key, item in pairs):
            return None
        return (kind, tuple(pairs))
    return None


def _thawed(frozen: tuple) -> object:
    kind, data = frozen
    if kind is float:
        return float(data)
    if kind is dict:
        return {key: _thawed(item) for key, item in data}
    if kind is list:
        return [_thawed(item) for item in data]
    return data


@functools.lru_cache(maxsize=4096)
def _dumped_item(frozen: tuple) -> str:
    """One item of a top-level block sequence, as ``yaml.dump`` writes it."""
    return yaml.dump([_thawed(frozen)], **_DUMP)


@functools.lru_cache(maxsize=64)
def _dumped_entry(key: str, frozen: tuple) -> str:
    """One entry of the top-level mapping, as ``yaml.dump`` writes it."""
    return yaml.dump({key: _thawed(frozen)}, **_DUMP)
