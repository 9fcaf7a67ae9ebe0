"""Pairs of submissions whose code is alike: a lead for a human, never a verdict.

Each submission's files become normalized tokens (:mod:`grader.report.normalize`: names and
constants abstracted, docstrings and comments gone). The tokens that the submission shares
with the assignment's stub (runs of at least :data:`STUB_MIN_MATCH` tokens) are the
template every student started from: they are set aside and count for nothing. Two
submissions are then compared by greedy string tiling (Wise, "Running Karp-Rabin Matching and
Greedy String Tiling", Sydney University TR 463, 1993; the algorithm of JPlag): the longest
common runs of tokens, at least :data:`MIN_MATCH` long, are taken one after the other, each
token at most once, so that reordered functions still match. The score is JPlag's average
similarity, ``2 * tiled / (own_a + own_b)``, where ``own`` counts the tokens that are not
template: 1.0 for renamed copies, near 0 for unrelated code.

Everything here reads source text; nothing is compiled or run.
"""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass, field

import numpy as np

from grader.report.normalize import Unparsable, normalize

__all__ = [
    "MIN_MATCH",
    "STUB_MIN_MATCH",
    "Code",
    "Pair",
    "Tile",
    "compare",
    "groups",
    "prepare",
    "similar_pairs",
]

MIN_MATCH = 12  # tokens in the shortest run that counts between two submissions
STUB_MIN_MATCH = 5  # tokens in the shortest run taken as the stub's
MIN_OWN_TOKENS = 2 * MIN_MATCH  # fewer tokens of its own, and a submission is not compared
_MAX_STARTS = 400  # pairs of places tried for one run that repeats in both (repetitive code)


@dataclass(frozen=True)
class Tile:
    """A common run: ``length`` tokens from ``a_start`` in one and ``b_start`` in the other."""

    a_start: int
    b_start: int
    length: int


@dataclass(frozen=True)
class Code:
    """One submission's code, ready to be compared.

    ``files`` are ``(name, text)`` in a fixed order; token ``i`` is ``kinds[i]`` and sits on
    line ``places[i][1]`` of file ``places[i][0]``. ``template[i]`` is 1 where the token is
    the stub's. ``problem`` says why the code cannot be compared (then it has no tokens).
    """

    name: str
    files: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...] = ()
    places: tuple[tuple[int, int], ...] = ()
    template: bytes = b""
    problem: str | None = None
    own: int = 0  # tokens that are the student's own (not the stub's)
    grams: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Pair:
    """Two submissions compared: ``score`` in [0, 1] and the common runs that make it."""

    a: Code
    b: Code
    score: float
    tiles: tuple[Tile, ...]

    @property
    def tiled(self) -> int:
        return sum(tile.length for tile in self.tiles)


def prepare(name: str, files: dict[str, str], stubs: dict[str, str]) -> Code:
    """``files`` (file name -> source text) as :class:`Code`, without what ``stubs`` (file
    name -> the stub's source text, same names) already holds.

    A file that cannot be parsed makes ``problem`` say so; a submission with fewer than
    :data:`MIN_OWN_TOKENS` tokens of its own is not compared either (an untouched stub).
    """
    ordered = tuple(sorted(files.items()))
    kinds: list[str] = []
    places: list[tuple[int, int]] = []
    template = bytearray()
    for number, (filename, text) in enumerate(ordered):
        try:
            tokens = normalize(text)
        except Unparsable as exc:
            return Code(name, ordered, problem=f"{filename}: {exc}")
        stub = _stub_tokens(stubs.get(filename))
        kinds.extend(tokens.kinds)
        places.extend((number, line) for line in tokens.lines)
        template.extend(_template_mask(tokens.kinds, stub))
    own = len(kinds) - sum(template)
    if own < MIN_OWN_TOKENS:
        return Code(name, ordered, problem="too little code of its own to compare (the stub, nearly untouched?)")
    return Code(
        name,
        ordered,
        tuple(kinds),
        tuple(places),
        bytes(template),
        own=own,
        grams=_starts(kinds, template, MIN_MATCH),
    )


@functools.lru_cache(maxsize=16)
def _stub_tokens(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    try:
        return normalize(text).kinds
    except Unparsable:
        return ()


def _template_mask(kinds: tuple[str, ...], stub: tuple[str, ...]) -> bytes:
    mask = bytearray(len(kinds))
    if stub:
        for tile in _tiles(kinds, stub, bytearray(len(kinds)), bytearray(len(stub)), STUB_MIN_MATCH, None):
            mask[tile.a_start : tile.a_start + tile.length] = b"\x01" * tile.length
    return bytes(mask)


def compare(a: Code, b: Code) -> Pair:
    """``a`` and ``b`` tiled and scored (see the module docstring). Both must have no problem."""
    if a.problem or b.problem:
        raise ValueError("only code without a problem can be compared")
    tiles = _tiles(a.kinds, b.kinds, bytearray(a.template), bytearray(b.template), MIN_MATCH, (a.grams, b.grams))
    tiled = sum(tile.length for tile in tiles)
    score = 2 * tiled / (a.own + b.own)
    return Pair(a, b, round(score, 4), tuple(sorted(tiles, key=lambda t: t.a_start)))


def _tiles(a, b, marked_a: bytearray, marked_b: bytearray, min_len: int, grams) -> list[Tile]:
    """Greedy string tiling of token sequences ``a`` and ``b``; marked tokens are not used.

    ``grams``, when given, are the starts of the runs of ``min_len`` unmarked tokens of ``a``
    and ``b`` by their hash (as :func:`_starts` computes them); otherwise they are computed here. The
    maximal common runs are found once, then taken longest first (ties: leftmost in ``a``,
    then in ``b``, as in Wise's rounds); a run that overlaps a taken one goes back in as its
    free pieces of at least ``min_len`` tokens.
    """
    if grams is None:
        grams = (_starts(a, marked_a, min_len), _starts(b, marked_b, min_len))
    a_grams, b_grams = grams
    na, nb = len(a), len(b)
    runs: list[tuple[int, int, int]] = []  # (-length, i, j)
    skipped = set()  # runs repeated so often in both that their pairs are not tried
    for gram, a_starts in a_grams.items():
        b_starts = b_grams.get(gram)
        if b_starts and len(a_starts) * len(b_starts) > _MAX_STARTS:
            skipped.add(gram)
    for gram, a_starts in a_grams.items():
        b_starts = b_grams.get(gram)
        if not b_starts or gram in skipped:
            continue
        for i in a_starts:
            for j in b_starts:
                if (
                    i
                    and j
                    and a[i - 1] == b[j - 1]
                    and not marked_a[i - 1]
                    and not marked_b[j - 1]
                    and (not skipped or hash(tuple(a[i - 1 : i - 1 + min_len])) not in skipped)
                ):
                    continue  # inside a longer run that starts earlier
                if a[i : i + min_len] != b[j : j + min_len]:
                    continue  # two runs with the same hash
                n = min_len
                while i + n < na and j + n < nb and a[i + n] == b[j + n] and not marked_a[i + n] and not marked_b[j + n]:
                    n += 1
                runs.append((-n, i, j))
    heapq.heapify(runs)
    tiles: list[Tile] = []
    while runs:
        negative, i, j = heapq.heappop(runs)
        n = -negative
        if not any(marked_a[i : i + n]) and not any(marked_b[j : j + n]):
            marked_a[i : i + n] = b"\x01" * n
            marked_b[j : j + n] = b"\x01" * n
            tiles.append(Tile(i, j, n))
            continue
        p = 0
        while p < n:  # the free pieces of an overlapped run
            while p < n and (marked_a[i + p] or marked_b[j + p]):
                p += 1
            q = p
            while q < n and not marked_a[i + q] and not marked_b[j + q]:
                q += 1
            if q - p >= min_len:
                heapq.heappush(runs, (p - q, i + p, j + p))
            p = q
    return tiles


def _starts(kinds, marked: bytearray, min_len: int) -> dict[int, list[int]]:
    """Where each run of ``min_len`` unmarked tokens starts, by the hash of the run (ascending)."""
    starts: dict[int, list[int]] = {}
    free = 0
    for i in range(len(kinds)):
        free = 0 if marked[i] else free + 1
        if free >= min_len:
            start = i - min_len + 1
            starts.setdefault(hash(tuple(kinds[start : i + 1])), []).append(start)
    return starts


def _upper_bound(a: Code, b: Code) -> float:
    """A score ``compare(a, b)`` cannot exceed: only tokens inside runs of :data:`MIN_MATCH`
    tokens that both hold can be tiled. (A hash collision only raises the bound.)"""
    shared = a.grams.keys() & b.grams.keys()
    if not shared:
        return 0.0
    return 2 * min(_covered(a, shared), _covered(b, shared)) / (a.own + b.own)


def _covered(code: Code, shared: set[int]) -> int:
    """Tokens of ``code`` inside the runs of :data:`MIN_MATCH` tokens whose hash is in ``shared``."""
    starts = np.sort(np.fromiter((s for h in shared for s in code.grams[h]), dtype=np.int64))
    overlaps = np.maximum(0, MIN_MATCH - np.diff(starts))
    return int(starts.size * MIN_MATCH - overlaps.sum())


def similar_pairs(codes: list[Code], *, threshold: float) -> list[Pair]:
    """Every pair of ``codes`` (those without a problem) scoring at least ``threshold``,
    the most alike first (ties by name). Pairs that cannot reach it are not tiled."""
    usable = sorted((c for c in codes if c.problem is None), key=lambda c: c.name)
    pairs = []
    for index, a in enumerate(usable):
        for b in usable[index + 1 :]:
            if _upper_bound(a, b) < threshold:
                continue
            pair = compare(a, b)
            if pair.score >= threshold:
                pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.a.name, p.b.name))
    return pairs


def groups(pairs: list[Pair], *, threshold: float) -> list[tuple[str, ...]]:
    """Submissions linked by pairs scoring at least ``threshold``, each group sorted by name,
    the largest group first (ties by name); a submission is in at most one group."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for pair in pairs:
        if pair.score >= threshold:
            a, b = root(pair.a.name), root(pair.b.name)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for name in parent:
        members.setdefault(root(name), []).append(name)
    return sorted((tuple(sorted(group)) for group in members.values()), key=lambda g: (-len(g), g))
