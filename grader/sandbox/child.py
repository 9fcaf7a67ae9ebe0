"""The child's harness: confine itself, import the student's module, answer the judge's calls.

This code runs in the child, next to the student's code, which may patch or replace any of it.
That is fine: the child can only ever send plain data, and the judge decides everything from
that data. Nothing here knows an expected value.

Requests and answers (dicts, see :mod:`grader.sandbox.protocol`)::

    {"op": "load", "files": {"activations.py": "<source>"}, "module": "activations"}
    -> {"ok": True} | {"ok": False, "error": {...}}
    {"op": "call", "fn": "sigmoid", "args": [...], "kwargs": {...}}
    -> {"ok": True, "value": ..., "args": [...], "kwargs": {...}, "warnings": [...]}
     | {"ok": False, "error": {"kind", "type", "message", "where"}, "warnings": [...]}
    {"op": "batch", "calls": [{"fn": ..., "args": ..., "kwargs": ...}, ...]}
    -> {"ok": True, "answers": [<an answer to "call">, ...]}

``args``/``kwargs`` in an answer are the child's copies of the arguments after the call, so
that the judge can see a function that modifies its arguments in place; both are left out
when every argument is exactly as it was received (the judge then takes the arguments it
sent), and ``warnings`` is left out when there are none. Either way the arguments after the
call are this process's report, as they always were: student code could change what is sent
back as easily as it could change the comparison, so leaving them out trusts the child with
nothing new (and a hostile child gains nothing a check pays for: a check that needs to know
judges by the judge's own computation). A ``call`` or
``batch`` with ``"reseed": True`` (the first request of each check) first seeds Python's
``random`` and numpy's global generator with :data:`SEED`, as ``load`` does before the import:
student code that draws from them unseeded gets the same numbers on every run.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import random
import socket
import struct
import sys
import warnings
from typing import Any, NoReturn

import numpy as np

from grader.sandbox import families, isolation
from grader.sandbox.imports import restrict_imports
from grader.sandbox.protocol import ProtocolError, Tagged, decode, frame

SEED = 0  # of Python's random and numpy's global generator, before the import and every check
MAX_TEXT = 500
MAX_WARNINGS = 20
MAX_ITEMS = 1_000_000
ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def run(config: isolation.SandboxConfig, *, protocol_fd: int, output_fd: int, workdir: str | None) -> NoReturn:
    """Entry point right after the zygote's fork: confine, then serve until told to stop."""
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.dup2(protocol_fd, 3)
        os.closerange(4, 1 << 16)
        isolation.apply_child_limits(config.limits, count_processes=config.uid is not None)
        isolation.enter_child_namespaces(config)
        # Without namespaces, the folder the judge made for this child; else a private /tmp.
        here = workdir if config.mode == "none" else isolation.fresh_tmp(config)
        if here is None:
            raise ValueError("isolation none needs the folder the judge made for this child")
        isolation.drop_privileges(config)
        isolation.confine(config)  # one core, the syscall filter: the last step before student code
        if config.mode != "none":
            isolation.set_parent_death_signal()
        os.chdir(here)
        os.environ.clear()
        os.environ.update(ENV, HOME=here, TMPDIR=here)
        sys.stdout = open(1, "w", buffering=1, errors="backslashreplace", closefd=False)
        sys.stderr = open(2, "w", buffering=1, errors="backslashreplace", closefd=False)
        sys.stdin = open(0, closefd=False)
        sys.path[:] = [here] + [p for p in sys.path if p and os.path.isdir(p)]
        sys.dont_write_bytecode = True
        sock = socket.socket(fileno=3)
    except BaseException:  # noqa: BLE001 - the child cannot start: exit code 70 says so
        os._exit(70)
    try:
        Server(sock, here).serve()
    finally:
        os._exit(0)


class Server:
    """Answers the judge's requests, one at a time, in order."""

    def __init__(self, sock: socket.socket, workdir: str) -> None:
        self.sock = sock
        self.workdir = workdir
        self.module: Any = None
        self.objects: dict[int, Any] = {}  # instances of the student's classes, by handle
        self.student_modules: set[str] = set()
        restrict_imports(self.student_modules)  # numpy and the standard library, on every machine

    def serve(self) -> None:
        while True:
            request = self.receive()
            if request is None:
                return
            op = request.get("op")
            if request.get("reseed") is True:
                reseed()
            if op == "load":
                answer = self.load(request)
            elif op == "call":
                answer = self.call(request)
            elif op == "batch":
                answer = {"ok": True, "answers": self.batch(request["calls"])}
            else:
                return
            self.send(answer)

    # -- wire -------------------------------------------------------------------------
    def receive(self) -> dict | None:
        header = self._read_exact(4)
        if header is None:
            return None
        (size,) = struct.unpack(">I", header)
        body = self._read_exact(size)
        if body is None:
            return None
        try:
            return decode(body)
        except ProtocolError:
            return None

    def _read_exact(self, n: int) -> bytes | None:
        chunks, left = [], n
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def send(self, answer: dict) -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a stream replaced by the submission
                pass
        try:
            data = frame(answer)
        except ProtocolError as exc:
            data = frame({"ok": False, "error": _error("bad_return", "ValueError", str(exc), "")})
        self.sock.sendall(data)

    # -- operations -------------------------------------------------------------------
    def load(self, request: dict) -> dict:
        for name, source in request["files"].items():
            with open(os.path.join(self.workdir, name), "w", encoding="utf-8") as handle:
                handle.write(source)
        module_name = request["module"]
        self.student_modules.update(name[:-3] for name in request["files"] if name.endswith(".py"))
        try:
            reseed()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.module = importlib.import_module(module_name)
        except SyntaxError as exc:
            where = f"{os.path.basename(exc.filename or module_name + '.py')}, line {exc.lineno}"
            return {"ok": False, "error": _error("syntax", type(exc).__name__, str(exc.msg), where, text=exc.text)}
        except SystemExit as exc:
            return {"ok": False, "error": _error("exit", "SystemExit", _text(exc.code), _where(exc, self.workdir))}
        except BaseException as exc:  # noqa: BLE001 - whatever the import raised is reported
            return {"ok": False, "error": _error("exception", type(exc).__name__, _text(exc), _where(exc, self.workdir))}
        return {"ok": True, "names": sorted(n for n in vars(self.module) if not n.startswith("_"))[:500]}

    def batch(self, requests: list) -> list:
        """Answer several calls; warnings are recorded once and shared out to each call."""
        answers = []
        with warnings.catch_warnings(record=True) as caught, np.errstate(
            divide="warn", over="warn", under="ignore", invalid="warn"
        ):
            warnings.simplefilter("always")
            for request in requests:
                start = len(caught)
                answer = self.call(request, recording=False)
                if len(caught) > start:
                    answer["warnings"] = _warnings(caught[start:], self.workdir)
                answers.append(answer)
        return answers

    def call(self, request: dict, *, recording: bool = True) -> dict:
        """Run one request of kind ``call`` (a module-level function), ``new`` (an instance of
        a class), ``method``, ``get`` or ``set`` (an attribute of an instance), ``keep`` (a copy
        of an array, kept here and answered with a handle) or ``assign`` (``kept[...] = value``).

        ``recording``: record the call's warnings here (False when :meth:`batch` does)."""
        kind, name = request.get("kind", "call"), request["fn"]
        target: Any = None  # the function or class called (call, new)
        owner: Any = None  # the object or array a handle stands for (the other kinds)
        if kind in ("call", "new"):
            target = getattr(self.module, name, None) if self.module is not None else None
            if target is None or not callable(target):
                what = "has no " + ("class" if kind == "new" else "function")
                if target is not None:
                    what = "defines a non-callable"
                return {"ok": False, "error": _error("missing", "AttributeError", f"{what} {name}", ""), "warnings": []}
        elif kind != "keep":
            owner = self.objects.get(request.get("handle", 0))
            if owner is None:
                return {"ok": False, "error": _error("missing", "LookupError", "object no longer exists", ""), "warnings": []}
        received_args, received_kwargs = request.get("args", []), request.get("kwargs", {})
        try:
            args = [self.revive(a) for a in received_args]
            kwargs = {k: self.revive(v) for k, v in received_kwargs.items()}
            arrays = _snapshot([received_args, received_kwargs])
        except (ProtocolError, ValueError) as exc:
            return {"ok": False, "error": _error("exception", "ValueError", str(exc), ""), "warnings": []}
        caught: list = []
        try:
            with contextlib.ExitStack() if recording else contextlib.nullcontext() as stack:
                if stack is not None:  # recording
                    caught = stack.enter_context(warnings.catch_warnings(record=True))
                    stack.enter_context(np.errstate(divide="warn", over="warn", under="ignore", invalid="warn"))
                    warnings.simplefilter("always")
                if kind == "call":
                    value = target(*args, **kwargs)
                elif kind == "new":
                    value = self.keep(target(*args, **kwargs))
                elif kind == "method":
                    value = getattr(owner, name)(*args, **kwargs)
                elif kind == "get":
                    value = getattr(owner, name)
                elif kind == "set":
                    setattr(owner, name, args[0])
                    value = None
                elif kind == "keep":  # an array kept alive here, passed by handle, changed later
                    value = self.keep(np.array(args[0]))
                elif kind == "assign":  # change a kept array in place (aliasing checks)
                    owner[...] = args[0]
                    value = None
                else:
                    raise ProtocolError(f"unknown kind {kind!r}")
                plain = self.returned_data(value)
        except SystemExit as exc:
            error = _error("exit", "SystemExit", _text(exc.code), _where(exc, self.workdir))
            return {"ok": False, "error": error, "warnings": _warnings(caught, self.workdir)}
        except BadReturn as exc:
            error = _error("bad_return", "TypeError", str(exc), "")
            return {"ok": False, "error": error, "warnings": _warnings(caught, self.workdir)}
        except BaseException as exc:  # noqa: BLE001 - whatever the call raised is reported
            error = _error("exception", type(exc).__name__, _text(exc), _where(exc, self.workdir))
            return {"ok": False, "error": error, "warnings": _warnings(caught, self.workdir)}
        answer = {"ok": True, "value": plain}
        if not _call_left_unchanged(args, kwargs, received_args, received_kwargs, arrays):
            answer["args"] = [_returned_data_or_none(a, self) for a in args]
            answer["kwargs"] = {k: _returned_data_or_none(v, self) for k, v in kwargs.items()}
        if caught:
            answer["warnings"] = _warnings(caught, self.workdir)
        return answer

    # -- objects and functions that cross as records --------------------------------------
    def keep(self, obj: Any) -> Tagged:
        """Keep an instance of the student's class here; the judge gets a handle to it."""
        for handle, kept in self.objects.items():
            if kept is obj:
                return Tagged("handle", {"id": handle, "type": type(obj).__name__[:100]})
        handle = len(self.objects) + 1
        while handle in self.objects:
            handle += 1
        self.objects[handle] = obj
        return Tagged("handle", {"id": handle, "type": type(obj).__name__[:100]})

    def revive(self, value: Any) -> Any:
        """A received argument as the student's code gets it: handles and functions rebuilt."""
        if isinstance(value, Tagged):
            if value.tag == "handle":
                obj = self.objects.get(value.value.get("id", 0) if isinstance(value.value, dict) else 0)
                if obj is None:
                    raise ProtocolError("unknown handle")
                return obj
            if value.tag == "fn" and isinstance(value.value, dict):
                return families.build(value.value)
            raise ProtocolError(f"unknown record {value.tag!r}")
        if isinstance(value, list):
            return [self.revive(v) for v in value]
        return value

    def keep_if_students(self, value: Any) -> Tagged | None:
        """A handle for an instance of a class of the student's own files, else None."""
        if getattr(type(value), "__module__", None) in self.student_modules:
            return self.keep(value)
        return None

    def returned_data(self, value: Any) -> Any:
        return returned_data(value, keep=self.keep_if_students)


def reseed() -> None:
    """Seed the global generators a student may use unseeded: ``random`` and ``np.random``."""
    random.seed(SEED)
    np.random.seed(SEED)


class BadReturn(Exception):
    """The student's function returned something that is not plain data."""


def returned_data(value: Any, depth: int = 0, *, keep: Any = None) -> Any:
    """Convert what a student returned into plain data, or raise :class:`BadReturn`.

    Arrays (and ndarray subclasses) become base ndarrays of their numeric dtype, numpy
    scalars become Python numbers, lists and tuples become lists; anything else is tried
    with ``np.asarray`` and refused unless numeric.
    """
    if depth > 16:
        raise BadReturn("returned a structure nested too deeply")
    if type(value) is np.ndarray and value.dtype.kind in "biuf":  # the commonest: what the end of this function makes of it
        return np.array(value, dtype=value.dtype.newbyteorder("<"), copy=True)
    if value is None or isinstance(value, (bool, str)):
        return value[:MAX_TEXT] if isinstance(value, str) else value
    if isinstance(value, int) and type(value) is int or isinstance(value, np.integer):
        number = int(value)
        return number if -(2**63) <= number < 2**63 else float(number)
    if type(value) is float or isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Tagged):
        return value
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise BadReturn(f"returned a list of {len(value)} items")
        return [returned_data(item, depth + 1, keep=keep) for item in value]
    if isinstance(value, dict):
        return {str(k)[:100]: returned_data(v, depth + 1, keep=keep) for k, v in list(value.items())[:1000]}
    if keep is not None and not isinstance(value, np.ndarray):
        handle = keep(value)
        if handle is not None:
            return handle
    if callable(value) and not hasattr(value, "__array__"):
        raise BadReturn(f"returned a function ({type(value).__name__}), not numbers: call it, or return its result")
    try:
        array = np.asarray(value)
    except Exception as exc:  # noqa: BLE001 - a returned object's __array__ may raise anything
        raise BadReturn(f"returned a {type(value).__name__}, which numpy cannot turn into numbers ({_text(exc)})") from None
    if type(array) is not np.ndarray:
        array = array.view(np.ndarray)
    if array.dtype.kind == "O":
        array = _object_numbers(array)
    if array.dtype.kind not in "biufc":
        raise BadReturn(f"returned a {type(value).__name__} holding {array.dtype} values, not numbers")
    if array.dtype.kind == "c":
        array = array.astype(np.complex128)
    return np.array(array, dtype=array.dtype.newbyteorder("<"), copy=True)


class NumbersAsObjects(UserWarning):
    """Recorded with a call whose result was an array of dtype object holding only numbers."""


OBJECT_NOTE = (
    "an array of dtype object holding numbers was read as float64 "
    "(np.asarray(result, dtype=float) gives a numeric array)"
)


def _object_numbers(array: np.ndarray) -> np.ndarray:
    """An object array whose entries are all real numbers (``np.frompyfunc`` makes such
    arrays) as float64, with a :class:`NumbersAsObjects` warning; anything else unchanged."""
    if array.size > MAX_ITEMS:
        return array
    real = (int, float, np.integer, np.floating, np.bool_)
    if not all(isinstance(item, real) for item in array.flat):
        return array
    warnings.warn(OBJECT_NOTE, NumbersAsObjects, stacklevel=1)
    return array.astype(np.float64)


def _snapshot(value: Any) -> dict[int, tuple[np.dtype, tuple, bytes]]:
    """The dtype, shape and bytes of every array in a received value, by the array's id,
    taken before the call (the student's code gets these very arrays)."""
    found: dict[int, tuple[np.dtype, tuple, bytes]] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is np.ndarray:
            found[id(item)] = (item.dtype, item.shape, item.tobytes())
        elif kind is list:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.values())
    return found


def _call_left_unchanged(args: list, kwargs: dict, received_args: Any, received_kwargs: Any, arrays: dict) -> bool:
    """Whether every argument of a call is exactly as it was received (see :func:`_unchanged`)."""
    return (
        type(received_args) is list
        and type(received_kwargs) is dict
        and len(args) == len(received_args)
        and list(kwargs) == list(received_kwargs)
        and all(_unchanged(a, b, arrays) for a, b in zip(args, received_args))
        and all(_unchanged(kwargs[k], b, arrays) for k, b in received_kwargs.items())
    )


def _unchanged(live: Any, received: Any, arrays: dict[int, tuple[np.dtype, tuple, bytes]]) -> bool:
    """Whether ``live``, an argument as the call left it, is still exactly ``received``, the
    value the judge sent: then what :func:`returned_data` makes of it is ``received`` again,
    and the answer leaves it out (the judge takes what it sent). Only lists, arrays and
    scalars qualify; anything else (a dict, which the student's code gets as it was received,
    a record, a string longer than the answers keep) is sent back as it is."""
    kind = type(received)
    if kind is np.ndarray:
        if live is not received or type(live) is not np.ndarray:
            return False
        dtype, shape, data = arrays[id(received)]
        return live.dtype == dtype and live.shape == shape and live.tobytes() == data
    if kind is list:
        return (
            type(live) is list
            and len(live) == len(received)
            and all(_unchanged(a, b, arrays) for a, b in zip(live, received))
        )
    if kind is str:
        return live is received and len(received) <= MAX_TEXT
    return live is received and (received is None or kind in (bool, int, float))


def _returned_data_or_none(value: Any, server: Server) -> Any:
    try:
        return server.returned_data(value)
    except Exception:  # noqa: BLE001 - a returned object may raise anything
        return None


def _text(value: Any) -> str:
    try:
        text = str(value)
    except BaseException:  # noqa: BLE001 - a returned object's __str__ may raise anything
        text = f"<{type(value).__name__} that cannot be printed>"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "..."


def _where(exc: BaseException, workdir: str) -> str:
    """The innermost line of the student's own files that the exception passed through.

    The line is the one :func:`traceback.extract_tb` gives, found only for the frames of the
    student's files: no source is read (``extract_tb`` reads every file's lines and looks at
    every file of the traceback, numpy's included, on each exception)."""
    found = ""
    try:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.startswith(workdir + os.sep):
                found = f"{os.path.basename(code.co_filename)}, line {_line_of(tb)}, in {code.co_name}"
            tb = tb.tb_next
    except BaseException:  # noqa: BLE001 - a traceback built by the submission
        pass
    return found


def _line_of(tb: Any) -> Any:
    """The line of a traceback entry as :func:`traceback.extract_tb` gives it: the first line of
    the instruction's position (Python 3.11 and later), else ``tb_lineno``."""
    positions = getattr(tb.tb_frame.f_code, "co_positions", None)
    if positions is None or tb.tb_lasti < 0:
        return tb.tb_lineno
    line = next(itertools.islice(positions(), tb.tb_lasti // 2, None), (None,))[0]
    return tb.tb_lineno if line is None else line


def _warnings(caught: list, workdir: str) -> list[str]:
    out = []
    for item in caught[:MAX_WARNINGS]:
        try:
            where = ""
            if str(item.filename).startswith(workdir + os.sep):
                where = f" ({os.path.basename(item.filename)}, line {item.lineno})"
            out.append(f"{item.category.__name__}: {_text(item.message)}{where}")
        except BaseException:  # noqa: BLE001 - a warning built by the submission
            continue
    return out


def _error(kind: str, type_name: str, message: str, where: str, *, text: str | None = None) -> dict:
    error = {"kind": kind, "type": type_name[:100], "message": message[:MAX_TEXT], "where": where}
    if text:
        error["text"] = text.rstrip("\n")[:200]
    return error
