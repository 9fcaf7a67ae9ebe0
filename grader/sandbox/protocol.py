"""The wire format between the judge and a submission's child process.

Only plain data crosses: ``None``, booleans, integers (int64), floats, strings,
lists, dicts with string keys, numeric numpy arrays (sent as dtype, shape and
raw bytes), and :class:`Tagged` records that the two sides agree on (a handle to
an object living in the child, a description of a function the child rebuilds).
Nothing is ever pickled: the child is hostile, and a pickle is a program.

A frame is a 4-byte big-endian length followed by that many bytes of one
encoded value. :func:`decode` checks every length against what is left in the
frame, so a lying child cannot make the judge allocate more than the frame it
already sent, and :class:`FrameReader` refuses a frame larger than its limit
before reading it.

This module is imported by the child too: it must stay free of anything the
judge knows (expected values, hidden checks).
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "DEFAULT_MAX_FRAME",
    "FrameReader",
    "ProtocolError",
    "Tagged",
    "decode",
    "encode",
    "frame",
]

DEFAULT_MAX_FRAME = 8 * 1024 * 1024  # MLP parameters are ~0.2 MB; iris ~5 KB
MAX_DEPTH = 32
MAX_NDIM = 32
MAX_ITEMS = 200_000  # values (numbers, strings, lists, arrays...) in one frame
MAX_ARRAY_ENTRIES = 2**40
MEMORY_FACTOR = 16
MEMORY_SLACK = 256 * 1024
# Bytes of Python objects each value costs the judge (tracemalloc), whatever its encoding.
_COST = {b"l": 64, b"m": 200, b"r": 100, b"a": 112, b"s": 56}

_HEADER = struct.Struct(">I")
_U32 = struct.Struct("<I")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")

# One byte per allowed dtype; numeric dtypes only, always little-endian.
_DTYPES = {
    b"?": np.dtype("|b1"),
    b"b": np.dtype("|i1"),
    b"B": np.dtype("|u1"),
    b"h": np.dtype("<i2"),
    b"H": np.dtype("<u2"),
    b"i": np.dtype("<i4"),
    b"I": np.dtype("<u4"),
    b"q": np.dtype("<i8"),
    b"Q": np.dtype("<u8"),
    b"e": np.dtype("<f2"),
    b"f": np.dtype("<f4"),
    b"d": np.dtype("<f8"),
    b"F": np.dtype("<c8"),
    b"D": np.dtype("<c16"),
}
_CODES = {dtype: code for code, dtype in _DTYPES.items()}


class ProtocolError(Exception):
    """The other side sent something that is not a valid frame or value."""


class Tagged(NamedTuple):
    """A record both sides understand: ``tag`` names its kind, ``value`` is plain data."""

    tag: str
    value: Any


def _code_for(dtype: np.dtype) -> bytes:
    code = _CODES.get(dtype.newbyteorder("<") if dtype.byteorder == ">" else dtype)
    if code is None:
        raise ProtocolError(f"arrays of dtype {dtype} cannot be sent (numeric dtypes only)")
    return code


def encode(value: Any) -> bytes:
    """Encode plain data; raises :class:`ProtocolError` for anything else."""
    out: list[bytes] = []
    _encode(value, out, 0)
    return b"".join(out)


def _encode(value: Any, out: list[bytes], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels")
    if value is None:
        out.append(b"N")
    elif value is True or value is False:
        out.append(b"T" if value else b"F")
    elif type(value) is int:
        if not -(2**63) <= value < 2**63:
            raise ProtocolError("integer out of the int64 range")
        out.append(b"i" + _I64.pack(value))
    elif type(value) is float:
        out.append(b"f" + _F64.pack(value))
    elif type(value) is str:
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s" + _U32.pack(len(data)) + data)
    elif type(value) in (list, tuple):
        out.append(b"l" + _U32.pack(len(value)))
        for item in value:
            _encode(item, out, depth + 1)
    elif type(value) is dict:
        out.append(b"m" + _U32.pack(len(value)))
        for key, item in value.items():
            if type(key) is not str:
                raise ProtocolError("dict keys must be strings")
            _encode(key, out, depth + 1)
            _encode(item, out, depth + 1)
    elif type(value) is Tagged:
        out.append(b"r")
        _encode(str(value.tag), out, depth + 1)
        _encode(value.value, out, depth + 1)
    elif type(value) is np.ndarray:
        code = _code_for(value.dtype)
        if value.ndim > MAX_NDIM:
            raise ProtocolError(f"arrays of more than {MAX_NDIM} dimensions cannot be sent")
        data = np.ascontiguousarray(value, dtype=_DTYPES[code]).tobytes()
        out.append(b"a" + code + bytes([value.ndim]))
        out.extend(_I64.pack(n) for n in value.shape)
        out.append(data)
    else:
        raise ProtocolError(f"values of type {type(value).__name__} cannot be sent")


def decode(data: bytes, *, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS) -> Any:
    """Decode one value that fills ``data`` exactly; raises :class:`ProtocolError`.

    At most ``max_items`` values, and objects worth at most about ``MEMORY_FACTOR`` times the
    frame's size (a list, dict, record or array costs ~200 bytes in Python however small its
    encoding): decoding costs the judge time and memory in proportion to the frame, never more.
    """
    view = memoryview(data)
    # What decoding may cost the judge, in bytes of Python objects: a few times the frame.
    budget = [max_items, MEMORY_FACTOR * len(view) + MEMORY_SLACK]
    try:
        value, pos = _decode(view, 0, 0, max_depth, budget)
    except ProtocolError:
        raise
    except (ValueError, TypeError, OverflowError, MemoryError, RecursionError) as exc:
        raise ProtocolError(f"an invalid value ({type(exc).__name__})") from None
    if pos != len(view):
        raise ProtocolError(f"{len(view) - pos} stray bytes after the value")
    return value


def _need(view: memoryview, pos: int, n: int) -> int:
    end = pos + n
    if n < 0 or end > len(view):
        raise ProtocolError("frame ends in the middle of a value")
    return end


def _decode(view: memoryview, pos: int, depth: int, max_depth: int, budget: list[int]) -> tuple[Any, int]:
    if depth > max_depth:
        raise ProtocolError(f"value nested deeper than {max_depth} levels")
    budget[0] -= 1
    if budget[0] < 0:
        raise ProtocolError("too many values in one frame")
    budget[1] -= _COST.get(bytes(view[pos : pos + 1]), 32)
    if budget[1] < 0:
        raise ProtocolError("too many lists, dicts or arrays for the size of the frame")
    end = _need(view, pos, 1)
    tag = bytes(view[pos:end])
    pos = end
    if tag == b"N":
        return None, pos
    if tag == b"T":
        return True, pos
    if tag == b"F":
        return False, pos
    if tag == b"i":
        end = _need(view, pos, 8)
        return _I64.unpack_from(view, pos)[0], end
    if tag == b"f":
        end = _need(view, pos, 8)
        return _F64.unpack_from(view, pos)[0], end
    if tag == b"s":
        end = _need(view, pos, 4)
        n = _U32.unpack_from(view, pos)[0]
        stop = _need(view, end, n)
        try:
            return str(view[end:stop], "utf-8", "surrogatepass"), stop
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"string is not UTF-8: {exc.reason}") from None
    if tag == b"l" or tag == b"m":
        end = _need(view, pos, 4)
        n = _U32.unpack_from(view, pos)[0]
        pos = end
        # Every item takes at least one byte: a count beyond the bytes left is a lie.
        _need(view, pos, n * (2 if tag == b"m" else 1))
        if tag == b"l":
            items = []
            for _ in range(n):
                item, pos = _decode(view, pos, depth + 1, max_depth, budget)
                items.append(item)
            return items, pos
        mapping = {}
        for _ in range(n):
            key, pos = _decode(view, pos, depth + 1, max_depth, budget)
            if type(key) is not str:
                raise ProtocolError("dict key is not a string")
            mapping[key], pos = _decode(view, pos, depth + 1, max_depth, budget)
        return mapping, pos
    if tag == b"r":
        name, pos = _decode(view, pos, depth + 1, max_depth, budget)
        if type(name) is not str:
            raise ProtocolError("record tag is not a string")
        value, pos = _decode(view, pos, depth + 1, max_depth, budget)
        return Tagged(name, value), pos
    if tag == b"a":
        end = _need(view, pos, 2)
        dtype = _DTYPES.get(bytes(view[pos : pos + 1]))
        if dtype is None:
            raise ProtocolError(f"unknown array dtype code {bytes(view[pos:pos + 1])!r}")
        ndim = view[pos + 1]
        if ndim > MAX_NDIM:
            raise ProtocolError(f"array with {ndim} dimensions")
        pos = end
        end = _need(view, pos, 8 * ndim)
        shape = tuple(_I64.unpack_from(view, pos + 8 * k)[0] for k in range(ndim))
        if any(n < 0 for n in shape):
            raise ProtocolError("array with a negative dimension")
        count = 1
        for n in shape:
            count *= n
        if count > MAX_ARRAY_ENTRIES or any(n > MAX_ARRAY_ENTRIES for n in shape):
            raise ProtocolError("array with an impossible shape")
        stop = _need(view, end, count * dtype.itemsize)
        array = np.frombuffer(view[end:stop], dtype=dtype).reshape(shape).copy()
        return array, stop
    raise ProtocolError(f"unknown value tag {tag!r}")


def frame(value: Any) -> bytes:
    """Encode ``value`` as one complete frame (length prefix included)."""
    body = encode(value)
    if len(body) > 0xFFFFFFFF:
        raise ProtocolError("value too large for one frame")
    return _HEADER.pack(len(body)) + body


class FrameReader:
    """Splits a byte stream into frames, refusing any larger than ``max_size``.

    Feed it whatever ``recv`` returned; it never buffers more than one frame's
    header plus ``max_size`` bytes.
    """

    def __init__(self, *, max_size: int = DEFAULT_MAX_FRAME) -> None:
        if max_size <= 0:
            raise ValueError(f"max_size must be positive, got {max_size}")
        self.max_size = max_size
        self._buffer = bytearray()
        self._expected: int | None = None

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the frame bodies completed by them."""
        self._buffer += data
        frames = []
        while True:
            if self._expected is None:
                if len(self._buffer) < _HEADER.size:
                    break
                (self._expected,) = _HEADER.unpack_from(self._buffer)
                del self._buffer[: _HEADER.size]
                if self._expected > self.max_size:
                    raise ProtocolError(
                        f"a frame of {self._expected} bytes, over the limit of {self.max_size}"
                    )
            if len(self._buffer) < self._expected:
                break
            frames.append(bytes(self._buffer[: self._expected]))
            del self._buffer[: self._expected]
            self._expected = None
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole frame."""
        return len(self._buffer) + (_HEADER.size if self._expected is not None else 0)
