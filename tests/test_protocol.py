"""The wire format between judge and child (grader/sandbox/protocol.py), and the judge's end of it.

Round trips of every type, the limits on both sides, and fuzzing of what the judge reads: a
hostile child controls every byte on its protocol socket, so ``FrameReader.feed`` and ``decode``
must either give a value or raise ProtocolError -- never another exception, never hang, never
allocate much more than the bytes they were given. Then end to end: children that write
garbage, a huge length prefix or a stream without end on their socket (fd 3) cost their check
and nothing else.

Tests whose name says ``hole`` assert the safe behaviour and fail today (see their docstrings).
"""

from __future__ import annotations

import contextlib
import math
import re
import struct
import time
import tracemalloc

import numpy as np
import pytest
from conftest import SUBMISSIONS
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.course import COURSE_ROOT
from grader.sandbox.isolation import Limits
from grader.sandbox.protocol import (
    DEFAULT_MAX_FRAME,
    MAX_DEPTH,
    MAX_NDIM,
    MEMORY_FACTOR,
    MEMORY_SLACK,
    FrameReader,
    ProtocolError,
    Tagged,
    as_received,
    decode,
    encode,
    frame,
)
from grader.sandbox.supervisor import LOOK_EVERY_S, Sandbox, Session, SubmissionCrashed, SubmissionFault

HOSTILE = SUBMISSIONS / "activations" / "hostile"
U32, I64 = struct.Struct("<I"), struct.Struct("<q")
DTYPE_CODES = {
    "?": "|b1", "b": "|i1", "B": "|u1", "h": "<i2", "H": "<u2", "i": "<i4", "I": "<u4",
    "q": "<i8", "Q": "<u8", "e": "<f2", "f": "<f4", "d": "<f8", "F": "<c8", "D": "<c16",
}
# What a fuzzed decode may cost: the bytes it got, ten times over, plus a megabyte.
ALLOCATION_FACTOR, ALLOCATION_SLACK = MEMORY_FACTOR + 2, 1 << 20

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def same(a, b) -> bool:
    """Equal as plain data, arrays by dtype, shape and bytes (so nan == nan and -0.0 != 0.0)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            type(a) is np.ndarray and type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape
            and a.tobytes() == b.tobytes()
        )
    if isinstance(a, Tagged) or isinstance(b, Tagged):
        return type(a) is Tagged and type(b) is Tagged and a.tag == b.tag and same(a.value, b.value)
    if isinstance(a, (list, tuple)):
        return type(b) is list and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return type(b) is float and struct.pack("<d", a) == struct.pack("<d", b)
    return type(a) is type(b) and a == b


def round_trip(value):
    decoded = decode(encode(value))
    assert same(value, decoded), (value, decoded)
    return decoded


# -- round trips ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [
    None, True, False,
    0, 1, -1, 2**63 - 1, -(2**63),
    0.0, -0.0, 1.5, -2.25e-300, 5e-324, 1.7976931348623157e308, math.inf, -math.inf, math.nan,
    "", "sigmoid", "é ü ß", "😀 \u202e \x00 \n", "\ud800 lone surrogate", "x" * 100_000,
    [], [None, True, 1, 1.0, "a"], [[[]]], [[1, 2], [3, 4]],
    {}, {"ok": True, "value": 1.0}, {"": None, "é": {"nested": [1, {"deep": "er"}]}},
    Tagged("handle", {"id": 3, "type": "Dense"}), Tagged("fn", {"family": "quadratic", "params": {"a": [1.0]}}),
    Tagged("", None), [Tagged("a", Tagged("b", [1]))],
], ids=repr)
def test_plain_values_round_trip_exactly(value):
    round_trip(value)


def test_tuples_arrive_as_lists():
    assert decode(encode((1, (2.0, "x")))) == [1, [2.0, "x"]]


@pytest.mark.parametrize("code", sorted(DTYPE_CODES))
@pytest.mark.parametrize("shape", [(), (0,), (1,), (3,), (2, 3), (0, 5), (2, 0, 3), (1,) * MAX_NDIM])
def test_arrays_of_every_numeric_dtype_round_trip(code, shape):
    dtype = np.dtype(DTYPE_CODES[code])
    count = math.prod(shape)
    array = (np.arange(count) % 7 - 3).astype(dtype).reshape(shape)
    decoded = round_trip(array)
    assert decoded.flags.writeable and decoded.flags.owndata  # a copy, not a view of the frame


@pytest.mark.parametrize("array", [
    np.arange(12.0).reshape(3, 4).T,  # Fortran order
    np.arange(20.0)[::3],  # strided
    np.arange(6, dtype=">f8"),  # big-endian
    np.arange(6, dtype=">i4").reshape(2, 3),
    np.array([1 + 2j, -0.0 - 1j], dtype=">c16"),
    np.array([np.nan, -0.0, np.inf, -np.inf, 5e-324]),
    np.array([True, False, True]),
    np.array(7.5),
], ids=lambda a: f"{a.dtype.str}{a.shape}{'F' if a.flags.f_contiguous and a.ndim > 1 else ''}")
def test_non_contiguous_and_big_endian_arrays_arrive_as_little_endian_copies(array):
    decoded = decode(encode(array))
    assert decoded.dtype == array.dtype.newbyteorder("<") and decoded.dtype.byteorder in "<|="
    assert decoded.shape == array.shape
    assert np.array_equal(decoded, array, equal_nan=array.dtype.kind in "fc")
    assert decoded.flags.c_contiguous


def test_values_nested_up_to_the_limit_round_trip():
    lists = []
    for _ in range(MAX_DEPTH):
        lists = [lists]
    round_trip(lists)
    mixed = "leaf"
    for level in range(MAX_DEPTH):
        mixed = {"k": mixed} if level % 2 else [mixed]
    round_trip(mixed)


@pytest.mark.parametrize("value", [
    b"bytes", bytearray(b"x"), {1, 2}, frozenset(), object(), len, 2**63, -(2**63) - 1,
    np.float64(1.0), np.int64(3), np.bool_(True), 1 + 2j, {1: "int key"}, {("a",): 1},
    np.array(["strings"]), np.array([object()], dtype=object), np.array(["2024-01-01"], dtype="datetime64[D]"),
    np.zeros(3, dtype=[("a", "<f8")]), np.zeros(1).view(np.matrix), np.zeros((1,) * (MAX_NDIM + 1)),
    np.ma.masked_array([1.0]),
], ids=lambda v: type(v).__name__ + (f"[{v.dtype}]" if isinstance(v, np.ndarray) else ""))
def test_anything_but_plain_data_is_refused_by_encode(value):
    with pytest.raises(ProtocolError):
        encode(value)


def test_encode_refuses_values_nested_deeper_than_the_limit():
    value = []
    for _ in range(MAX_DEPTH + 2):
        value = [value]
    with pytest.raises(ProtocolError, match="nested deeper"):
        encode(value)


def test_frame_is_a_big_endian_length_and_the_encoding():
    assert frame(None) == b"\x00\x00\x00\x01N"
    body = encode({"ok": True})
    assert frame({"ok": True}) == struct.pack(">I", len(body)) + body


# -- what decode refuses ----------------------------------------------------------------------------
BAD = {
    "empty": b"",
    "unknown tag": b"X",
    "stray bytes": b"NN",
    "truncated int": b"i\x01\x02",
    "truncated float": b"f" + b"\x00" * 7,
    "string longer than the frame": b"s" + U32.pack(10) + b"abc",
    "string of 4 GiB": b"s\xff\xff\xff\xff",
    "string not UTF-8": b"s" + U32.pack(2) + b"\xc3\x28",
    "list count beyond the bytes": b"l" + U32.pack(5) + b"NN",
    "list of 4 G items": b"l\xff\xff\xff\xff" + b"N" * 16,
    "dict count beyond the bytes": b"m" + U32.pack(3) + b"s\x00\x00\x00\x00N",
    "dict with an int key": b"m" + U32.pack(1) + b"i" + I64.pack(1) + b"N",
    "record with an int tag": b"r" + b"i" + I64.pack(1) + b"N",
    "record without a value": b"r" + b"s\x00\x00\x00\x00",
    "array of unknown dtype": b"aO\x01" + I64.pack(1) + b"\x00" * 8,
    "array of dtype code 0": b"a\x00\x00",
    "array of 33 dimensions": b"ad\x21" + I64.pack(1) * 33 + b"\x00" * 8,
    "array of 255 dimensions": b"ad\xff",
    "array with a negative dimension": b"ad\x01" + I64.pack(-1),
    "array of -1 x -1": b"ad\x02" + I64.pack(-1) * 2,
    "array of 2**62 entries": b"ad\x01" + I64.pack(2**62),
    "array of 2**32 x 2**32 entries": b"ad\x02" + I64.pack(2**32) * 2 + b"\x00" * 8,
    "array shorter than its shape": b"ad\x01" + I64.pack(3) + b"\x00" * 16,
    "array with a truncated shape": b"ad\x02" + I64.pack(1),
    "array header cut": b"a",
    "nested deeper than the limit": b"l\x01\x00\x00\x00" * (MAX_DEPTH + 1) + b"N",
}


@pytest.mark.parametrize("data", list(BAD.values()), ids=list(BAD))
def test_decode_refuses_lies_with_protocol_error_and_without_allocating(data):
    peak = peak_allocation(lambda: pytest.raises(ProtocolError, decode, data))
    assert peak < 64 * 1024


def test_every_strict_prefix_of_a_valid_encoding_is_refused():
    value = {"ok": True, "value": np.arange(6.0).reshape(2, 3), "args": [[1, "é"], None, -0.5],
             "r": Tagged("handle", {"id": 1})}
    data = encode(value)
    for end in range(len(data)):
        with pytest.raises(ProtocolError):
            decode(data[:end])


def test_decode_honours_a_smaller_max_depth():
    assert decode(encode([[1]]), max_depth=2) == [[1]]  # the 1 is at depth 2
    with pytest.raises(ProtocolError):
        decode(encode([[[1]]]), max_depth=2)


def test_an_empty_array_whose_shape_overflows_is_a_protocol_error():
    """Once a hole: the entries of an array with a 0 among its dimensions take no bytes, so _need
    lets any other dimension through; numpy's reshape then raises ValueError (the shape is
    beyond what an array can have), which is not a ProtocolError. The judge catches only
    ProtocolError: as the answer to ``load`` this kills the grading worker and stops the batch
    (see tests/test_hostile.py::test_hole_a_forged_load_answer_does_not_stop_the_batch).
    Fixed by: refuse a shape whose product of non-zero dimensions is beyond np.iinfo(np.intp).max
    (or wrap the reshape and raise ProtocolError)."""
    for shape in [(2**40, 2**40, 0), (0, 2**63 - 1, 2), (2**62, 4, 0)]:
        data = b"ad" + bytes([len(shape)]) + b"".join(I64.pack(n) for n in shape)
        with pytest.raises(ProtocolError):
            decode(data)


# -- the frame reader -------------------------------------------------------------------------------
def test_frames_fed_byte_by_byte_come_out_whole_and_in_order():
    values = [None, {"ok": True}, np.arange(5.0), "é" * 300, []]
    stream = b"".join(frame(v) for v in values)
    reader, got = FrameReader(), []
    for i in range(len(stream)):
        got += reader.feed(stream[i : i + 1])
    assert len(got) == len(values) and all(same(v, decode(f)) for v, f in zip(values, got))
    assert reader.pending == 0


def test_several_frames_in_one_chunk_and_a_frame_across_chunks():
    reader = FrameReader()
    first, second = frame("a"), frame([1, 2, 3])
    assert reader.feed(first + second[:3]) == [encode("a")]
    assert reader.pending == 3
    assert reader.feed(second[3:]) == [encode([1, 2, 3])]
    assert reader.feed(b"\x00\x00\x00\x00") == [b""]  # an empty frame is a frame (decode refuses it)


def test_a_frame_of_exactly_the_limit_is_read_and_one_byte_more_is_refused_before_its_body():
    reader = FrameReader(max_size=10)
    assert reader.feed(struct.pack(">I", 10) + b"N" * 10) == [b"N" * 10]
    reader = FrameReader(max_size=10)
    with pytest.raises(ProtocolError, match="over the limit"):
        reader.feed(struct.pack(">I", 11))  # refused on the header alone
    with pytest.raises(ProtocolError):
        FrameReader().feed(b"\xff\xff\xff\xff")
    assert DEFAULT_MAX_FRAME >= 1024 * 1024  # room for an MLP's parameters (~0.2 MB)


@pytest.mark.parametrize("size", [0, -1])
def test_a_frame_reader_needs_a_positive_limit(size):
    with pytest.raises(ValueError):
        FrameReader(max_size=size)


# -- fuzzing ----------------------------------------------------------------------------------------
def peak_allocation(function) -> int:
    """Peak bytes allocated (tracemalloc: Python objects and numpy buffers) while ``function`` ran."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        function()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if started:
            tracemalloc.stop()


def decodes_safely(data: bytes, **kwargs) -> None:
    """decode(data) returns or raises ProtocolError, fast, within the allocation bound."""
    outcome = []

    def run():
        try:
            outcome.append(decode(data, **kwargs))
        except ProtocolError:
            outcome.append(ProtocolError)

    started = time.process_time()  # CPU time: the same on a busy machine
    peak = peak_allocation(run)
    assert time.process_time() - started < 2
    assert peak <= ALLOCATION_FACTOR * len(data) + ALLOCATION_SLACK, f"{peak} bytes for {len(data)}"
    assert outcome


plain_arrays = hnp.arrays(
    dtype=st.sampled_from([np.dtype(d) for d in DTYPE_CODES.values()]),
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)
plain_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats() | st.text(max_size=20) | plain_arrays,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4)
    | st.builds(Tagged, st.text(max_size=5), children),
    max_leaves=20,
)


@FUZZ
@given(plain_values)
def test_fuzz_every_plain_value_round_trips(value):
    assert same(value, decode(encode(value)))


@FUZZ
@given(plain_values | st.tuples(plain_values, plain_values) | st.builds(np.asfortranarray, plain_arrays))
def test_fuzz_as_received_is_what_decoding_the_encoding_gives(value):
    received = as_received(value)
    assert same(received, decode(encode(value)))
    assert same(encode(received), encode(value))


def test_as_received_copies_arrays_as_little_endian_and_c_ordered():
    for array in (np.arange(6.0), np.arange(6, dtype=">i4").reshape(2, 3), np.arange(12.0).reshape(3, 4).T):
        received = as_received([array])[0]
        assert received is not array and not np.shares_memory(received, array)
        assert received.flags.c_contiguous and received.dtype == array.dtype.newbyteorder("<")
        assert np.array_equal(received, array)


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes_decode_to_a_value_or_protocol_error(data):
    decodes_safely(data)


@st.composite
def lies(draw, depth=0):
    """Bytes shaped like an encoding whose every count, length, code and shape may lie."""
    counts = st.one_of(st.integers(0, 4), st.sampled_from([5, 255, 2**16, 2**31 - 1, 2**32 - 1]))
    dims = st.one_of(st.integers(0, 3), st.sampled_from([-1, -(2**63), 2**31, 2**32, 2**40, 2**62, 2**63 - 1]))
    kind = draw(st.sampled_from("NTFifslmraX" if depth < 40 else "NTFifsa"))
    if kind in "NTF":
        return kind.encode()
    if kind == "i":
        return b"i" + I64.pack(draw(st.integers(-(2**63), 2**63 - 1)))
    if kind == "f":
        return b"f" + struct.pack("<d", draw(st.floats()))
    if kind == "s":
        text = draw(st.binary(max_size=12))
        return b"s" + U32.pack(draw(st.one_of(st.just(len(text)), counts))) + text
    if kind in "lm":
        items = draw(st.lists(lies(depth + 1), max_size=3))
        return kind.encode() + U32.pack(draw(st.one_of(st.just(len(items)), counts))) + b"".join(items)
    if kind == "r":
        return b"r" + draw(lies(depth + 1)) + draw(lies(depth + 1))
    if kind == "a":
        code = draw(st.one_of(st.sampled_from(sorted(DTYPE_CODES)).map(str.encode), st.binary(min_size=1, max_size=1)))
        shape = draw(st.lists(dims, max_size=5))
        ndim = draw(st.one_of(st.just(len(shape)), st.integers(0, 255)))
        payload = draw(st.binary(max_size=64))
        return b"a" + code + bytes([ndim]) + b"".join(I64.pack(n) for n in shape) + payload
    return draw(st.binary(min_size=1, max_size=8))


@FUZZ
@given(lies())
@example(b"ad\x03" + I64.pack(2**40) * 2 + I64.pack(0))  # an empty array with an overflowing shape
@example(b"l\x01\x00\x00\x00" * 40 + b"N")  # deep nesting
@example(b"l\xff\xff\xff\xff")  # a count with nothing behind it
def test_fuzz_lying_encodings_decode_to_a_value_or_protocol_error(data):
    decodes_safely(data)


@st.composite
def damaged(draw):
    """A valid encoding with a few bytes changed, cut short, or a huge number written in."""
    data = bytearray(encode(draw(plain_values)))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "cut", "big", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[at:]
        elif how == "big":
            data[at : at + 4] = draw(st.sampled_from([b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\xff\xff\xff\x7f"]))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=9))
    return bytes(data)


@FUZZ
@given(damaged())
def test_fuzz_damaged_encodings_decode_to_a_value_or_protocol_error(data):
    decodes_safely(data)


def split_by_hand(stream: bytes, max_size: int) -> tuple[list[bytes], bool]:
    """The frames of ``stream``, and whether a header over ``max_size`` comes before its end."""
    frames, pos = [], 0
    while len(stream) - pos >= 4:
        (size,) = struct.unpack_from(">I", stream, pos)
        if size > max_size:
            return frames, True
        if len(stream) - pos - 4 < size:
            break
        frames.append(stream[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return frames, False


@FUZZ
@given(st.lists(st.binary(max_size=300), max_size=20), st.integers(1, 600))
@example([b"\x00\x00\x00\x05abc", b"de\xff\xff\xff\xff"], 100)
def test_fuzz_the_frame_reader_returns_frames_or_protocol_error_and_stays_bounded(chunks, max_size):
    reader, frames, refused = FrameReader(max_size=max_size), [], False
    try:
        for chunk in chunks:
            frames += reader.feed(chunk)
            assert reader.pending <= 4 + max_size  # never more than one unfinished frame
    except ProtocolError:
        refused = True
    expected, oversized = split_by_hand(b"".join(chunks), max_size)
    assert refused == oversized
    if not refused:
        assert frames == expected


@FUZZ
@given(st.lists(plain_values, min_size=1, max_size=5), st.data())
def test_fuzz_frames_split_anywhere_decode_to_what_was_sent(values, data):
    stream = b"".join(frame(v) for v in values)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    reader, got = FrameReader(), []
    for start, end in zip([0, *cuts], [*cuts, len(stream)]):
        got += reader.feed(stream[start:end])
    assert len(got) == len(values) and all(same(v, decode(f)) for v, f in zip(values, got))


# -- allocation: what a frame may cost the judge ----------------------------------------------------
def _many(item: bytes, size: int = 1 << 17) -> bytes:
    n = size // len(item)
    return b"l" + U32.pack(n) + item * n


AMPLIFIERS = {
    "None": _many(b"N"),
    "ints": _many(b"i" + I64.pack(10**12)),
    "floats": _many(b"f" + struct.pack("<d", 0.5)),
    "one-character strings": _many(b"s\x02\x00\x00\x00\xc3\xa9"),
    "empty lists": _many(b"l\x00\x00\x00\x00"),
    "empty dicts": _many(b"m\x00\x00\x00\x00"),
    "dicts of one entry": _many(b"m\x01\x00\x00\x00s\x00\x00\x00\x00N"),
    "records": _many(b"rs\x00\x00\x00\x00N"),
    "0-d bool arrays": _many(b"a?\x00\x01"),
    "empty arrays": _many(b"ad\x01" + I64.pack(0)),
    "one big array": b"ad\x01" + I64.pack(1 << 14) + b"\x00" * (1 << 17),
}
def decode_or_refuse(data: bytes) -> None:
    try:
        decode(data)
    except ProtocolError:
        pass  # refusing is the safe outcome


@pytest.mark.slow
@pytest.mark.parametrize("data", list(AMPLIFIERS.values()), ids=list(AMPLIFIERS))
def test_a_frame_costs_the_judge_a_bounded_multiple_of_its_size(data):
    """decode builds one Python object per item: a frame of tiny items (empty lists, dicts,
    0-d arrays) would cost 13-26x its size. A budget per frame (protocol.MEMORY_FACTOR times
    the frame, plus MEMORY_SLACK) refuses it with ProtocolError before that."""
    peak = peak_allocation(lambda: decode_or_refuse(data))
    assert peak <= MEMORY_FACTOR * len(data) + MEMORY_SLACK, f"{peak / len(data):.1f} bytes per byte"


# -- end to end: hostile children on their protocol socket ----------------------------------------
@pytest.fixture(scope="module")
def quick_sandbox():
    hide = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"), str(HOSTILE))
    with Sandbox(limits=Limits(call_timeout_s=2, import_timeout_s=3), hide=hide) as box:
        yield box


@contextlib.contextmanager
def judge_cpu_at_most(seconds: float):
    """The block costs the judge (this process) at most ``seconds`` of CPU time: a bound that
    holds on a busy machine, where wall-clock time does not."""
    started = time.process_time()
    yield
    used = time.process_time() - started
    assert used < seconds, f"the judge spent {used:.2f} s of CPU time"


def session_for(sandbox: Sandbox, name: str) -> Session:
    source = (HOSTILE / f"{name}.py").read_text()
    return Session(sandbox, files={"activations.py": source}, module="activations")


Z = np.array([-1.0, 0.0, 2.0])


@pytest.mark.slow
@pytest.mark.parametrize("name, function, said", [
    ("fd3_huge_length", "step", r"sent garbage during step \(a frame of 4294967295 bytes, over the limit"),
    ("fd3_endless_stream", "tanh", r"sent (garbage|more than one answer) during tanh"),
    ("forges_frames_via_stdout", "step", r"sent garbage during step \(a frame of \d+ bytes, over the limit"),
    ("fd3_close_and_reopen", "step", r"ended during step"),
    ("returns_huge_array", "step", r"sent garbage during step \(a frame of \d+ bytes, over the limit of \d+"),
])
def test_a_child_that_breaks_the_protocol_costs_that_call_and_the_next_one_works(quick_sandbox, name, function, said):
    with session_for(quick_sandbox, name) as session:
        assert session.load() is None
        with judge_cpu_at_most(quick_sandbox.limits.call_timeout_s):
            with pytest.raises(SubmissionCrashed, match=r"the submission's process") as fault:
                session.call(function, [Z], {})
        assert re.search(said, str(fault.value)), str(fault.value)
        # a fresh child answers the next call
        assert np.allclose(session.call("sigmoid", [Z], {}).value, 1 / (1 + np.exp(-Z)))
        assert np.allclose(session.call("relu", [Z], {}).value, np.maximum(Z, 0))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["answers_load_with_non_dict", "answers_load_with_bad_array"])
def test_a_forged_answer_to_load_is_a_load_error_not_a_judge_crash(quick_sandbox, name):
    """Once a hole: a frame written on fd 3 while the module is imported is read as the answer to
    ``load``. A frame holding None makes ``Session.load`` call ``None.get`` (AttributeError);
    an empty array with an overflowing shape makes ``decode`` raise ValueError. Both escape
    the session (and kill a grading worker: tests/test_hostile.py). Fix: Session.load must
    check ``isinstance(answer, dict)`` like ``_answer`` does; decode must raise ProtocolError."""
    with session_for(quick_sandbox, name) as session, judge_cpu_at_most(quick_sandbox.limits.import_timeout_s):
        try:
            problem = session.load()
        except (AttributeError, ValueError) as exc:
            pytest.fail(f"Session.load raised {type(exc).__name__}: {exc}")
        assert problem is not None and problem["kind"] == "crash"


@pytest.mark.slow
def test_an_answer_of_millions_of_objects_is_refused_within_the_time_limit(quick_sandbox):
    """Once a hole: answers_with_millions_of_objects writes one 8 MB frame of two million 0-d arrays;
    the call's limit is 2 s, but decoding it takes the judge about 5 s and 270 MB (a 64 MB frame:
    ~50 s and 2.2 GB), because the deadline is not checked while a frame is decoded.
    Fixed by: an object budget in decode (see test_hole_a_frame_costs_the_judge_at_most_...)."""
    with session_for(quick_sandbox, "answers_with_millions_of_objects") as session:
        assert session.load() is None
        before = session.cpu_s
        with judge_cpu_at_most(quick_sandbox.limits.call_timeout_s):
            try:
                session.call("bomb", [], {})
            except SubmissionFault:
                pass
        # the child too: within its CPU limit, and one look (0.2 s) more at most
        assert session.cpu_s - before <= quick_sandbox.limits.call_timeout_s + LOOK_EVERY_S + 0.1


# -- arguments left unchanged are not sent back ------------------------------------------------------
def _server(**functions):
    from types import SimpleNamespace

    from grader.sandbox.child import Server

    server = Server(None, "/nonexistent")
    server.module = SimpleNamespace(**functions)
    return server


def _answer(server, *args, **kwargs):
    """The child's answer to a call of ``f``, as the judge reads it."""
    request = decode(encode({"op": "call", "kind": "call", "fn": "f", "args": list(args), "kwargs": kwargs}))
    return decode(encode(server.call(request)))


def _assign_first(z):
    z[0] = 99.0


def _reshape(z):
    z.shape = (z.size,)


def _replace_item(values):
    values[0] = 5.0


def _keep_float_equal(values):
    values[0] = values[0] + 0.0  # the same number, another object: sent back, equal to what was sent


@pytest.mark.parametrize("function, args, kwargs", [
    (lambda z: z * 2, [np.arange(6.0).reshape(2, 3)], {}),
    (lambda z, axis=-1: np.sum(z, axis=axis), [np.arange(6.0)], {"axis": 0}),
    (lambda values: sum(values), [[1.0, 2.0, 3]], {}),
    (lambda z, eps=0.01: np.maximum(z, eps * z), [np.array([-1.0, -0.0, np.nan])], {"eps": 0.2}),
    (lambda *a: None, [None, True, "text", 3, [np.arange(2), [1.5]]], {}),
], ids=["array", "array and kwarg", "list", "nan and -0.0", "scalars"])
def test_an_answer_leaves_out_arguments_the_call_left_as_they_were(function, args, kwargs):
    answer = _answer(_server(f=function), *args, **kwargs)
    assert answer["ok"] is True and "args" not in answer and "kwargs" not in answer and "warnings" not in answer


@pytest.mark.parametrize("function, args", [
    (_assign_first, [np.arange(3.0)]),
    (_reshape, [np.arange(6.0).reshape(2, 3)]),
    (_replace_item, [[1.0, 2.0]]),
    (_replace_item, [[np.zeros(2), 2.0]]),
    (_keep_float_equal, [[1.0]]),
    (lambda values: values.append(1.0), [[1.0]]),
    (lambda d: d.update(x=1), [{"x": 0}]),
    (lambda s: None, ["x" * 1000]),
], ids=["assigned into", "reshaped in place", "list item replaced", "array in a list replaced", "equal float",
        "list grown", "a dict", "a long string"])
def test_an_answer_sends_back_arguments_the_call_may_have_changed(function, args):
    server = _server(f=function)
    answer = _answer(server, *args)
    assert answer["ok"] is True and "args" in answer
    request = decode(encode({"op": "call", "kind": "call", "fn": "f", "args": args, "kwargs": {}}))
    revived = [server.revive(a) for a in request["args"]]
    function(*revived)
    assert same(answer["args"], [server.returned_data(a) for a in revived])


def test_an_array_changed_in_place_is_seen_by_the_judge(quick_sandbox):
    source = "def scale(z):\n    z *= 2\n    return z\n\ndef pure(z):\n    return z * 2\n"
    z = np.arange(3.0)
    with Session(quick_sandbox, files={"m.py": source}, module="m") as session:
        assert session.load() is None
        changed = session.call("scale", [z], {})
        assert np.array_equal(changed.args[0], 2 * z) and np.array_equal(z, np.arange(3.0))
        pure = session.call("pure", [z], {})
        assert same(pure.args, [z]) and pure.args[0] is not z and pure.kwargs == {}
        (first, second) = session.call_batch([("pure", [z], {}), ("scale", [z], {})])
        assert same(first.args, [z]) and np.array_equal(second.args[0], 2 * z)
