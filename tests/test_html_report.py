"""`grader report REPORTS_DIR --html FILE`: the class page, its similarity pairs, and the page in Chromium."""

from __future__ import annotations

import ast
import builtins
import hashlib
import itertools
import math
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html import unescape
from pathlib import Path

import pytest
import yaml
from conftest import SUBMISSIONS

from grader.cli import main
from grader.course import COURSE_ROOT
from grader.report.html import LEAD_NOT_VERDICT
from grader.report.normalize import Unparsable, normalize
from grader.report.similarity import Code, Pair, compare, groups, prepare

pytest.importorskip("matplotlib", reason="the class report needs the extra: pip install -e '.[report]'")

SANDBOX = {"isolation": "root", "network": "isolated", "memory_limit_mb": 1024}


# ----------------------------------------------------------------------------- a small class


def report(assignment, name, score, max_score, tests, *, status="graded", reason=None, sha256=None, duration=0.2,
           sandbox=SANDBOX, graded_at="2026-11-30T10:00:00Z"):
    data = {
        "assignment": assignment,
        "submission": name,
        "sha256": sha256 or {f"{assignment}.py": "0" * 64},
        "grader_version": "0.1.0",
        "graded_at": graded_at,
        "duration_s": duration,
        "score": score,
        "max_score": max_score,
        "status": status,
    }
    if reason:
        data["reason"] = reason
    data["sandbox"] = dict(sandbox)
    data["tests"] = [
        {"id": i, "visibility": "hidden" if i.startswith("h_") else "public", "points": p, "max_points": m,
         "status": s, "feedback": f, **({"description": "sigmoid never overflows"} if i == "stable" else {})}
        for i, p, m, s, f in tests
    ]
    return data


def write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def activations_tests(stable: bool, values: bool, extra: float):
    """Three checks: 'stable' (1 pt), 'values' (1 pt), 'h_more' (34 pt, partial)."""
    return [
        ("stable", float(stable), 1.0, "passed" if stable else "failed",
         "" if stable else "sigmoid(z) with z = [-1000.0] raised RuntimeWarning: overflow"),
        ("values", float(values), 1.0, "passed" if values else "failed", "" if values else "sigmoid(0) is 0.0, expected 0.5"),
        ("h_more", extra, 34.0, "passed" if extra == 34 else "failed", "" if extra == 34 else "about 2x: a missing factor?"),
    ]


SCORES = {"ann": (1, 1, 34), "ben": (0, 1, 34), "cat": (0, 1, 20), "dan": (0, 0, 3), "eve": (1, 1, 10)}


@pytest.fixture
def small_class(tmp_path):
    """Reports of 01 in OUT/activations/ (one could not be loaded) and of 02 flat in OUT/, plus noise."""
    out = tmp_path / "reports"
    for name, (stable, values, extra) in SCORES.items():
        write(out / "activations" / f"{name}.yaml",
              report("activations", name, stable + values + extra, 36, activations_tests(stable, values, extra)))
    failing = [(i, 0.0, m, "error", "not run: syntax error") for i, _, m, _, _ in activations_tests(1, 1, 34)]
    write(out / "activations" / "fay.yaml",
          report("activations", "fay", 0, 36, failing, status="error",
                 reason="syntax error in activations.py, line 3: <script>alert(1)</script>"))
    for name, score in (("ann", 26), ("ben", 13)):
        tests = [("neuron", score, 26.0, "passed" if score == 26 else "failed", "neuron(x, w, b) is wrong")]
        write(out / f"{name}-perceptron.yaml", report("perceptron", name, score, 26, tests, duration=1.5))
    (out / "notes.yaml").write_text("just: a note\n")
    return out


def make_page(capsys, reports_dir: Path, html_file: Path, *extra: str) -> str:
    assert main(["report", str(reports_dir), "--html", str(html_file), *extra]) == 0
    assert "wrote " in capsys.readouterr().out
    return html_file.read_text(encoding="utf-8")


def table_rows(page: str, table_class: str, assignment: str | None = None) -> list[list[str]]:
    """The cells of the rows of the first ``<table class=table_class ...>`` (of ``assignment``)."""
    attribute = f' data-assignment="{assignment}"' if assignment else ""
    match = re.search(rf'<table class="{table_class}"{attribute}>(.*?)</table>', page, re.S)
    assert match, f"no table {table_class} {assignment or ''}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S)
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows[1:]]


def section(page: str, assignment: str) -> str:
    start = page.index(f'<section id="a-{assignment}">')
    return page[start : page.index("</section>", start)]


# ---------------------------------------------------------------------------------- content


def test_histogram_counts_every_report_in_whole_point_bins(capsys, small_class, tmp_path):
    page = make_page(capsys, small_class, tmp_path / "class.html")
    scores = {name: sum(s) for name, s in SCORES.items()}
    width = math.ceil(36 / 20)  # whole points, at most 20 bins
    rows = table_rows(page, "histogram", "activations")
    assert len(rows) == 18
    for index, (label, graded, errors) in enumerate(rows):
        low, high = index * width, (index + 1) * width
        expected = sum(1 for s in scores.values() if low <= s < high or (index == 17 and s == 36))
        assert label.startswith(f"[{low}, {high}")
        assert int(graded) == expected, label
        assert int(errors) == (1 if index == 0 else 0), label  # fay could not be loaded: 0 points
    assert sum(int(r[1]) + int(r[2]) for r in rows) == 6
    overview = table_rows(page, "overview")
    assert overview[0][:2] == ["activations", "6"] and overview[1][:2] == ["perceptron", "2"]
    assert float(overview[0][2]) == pytest.approx(sum(scores.values()) / 6, abs=0.05)
    assert page.count("<svg") == 6  # scores, time and checks, for each assignment


def test_hardest_checks_come_first_with_a_sample_of_their_feedback(capsys, small_class, tmp_path):
    page = section(make_page(capsys, small_class, tmp_path / "class.html"), "activations")
    rows = table_rows(page, "hardest")
    ids = [row[0].split()[0] for row in rows]
    # Over the five graded submissions: h_more passed by 2, stable by 2 (fewer points lost), values by 4.
    assert ids == ["h_more", "stable", "values"]
    assert rows[0][1] == "2 of 5" and rows[1][1] == "2 of 5" and rows[2][1] == "4 of 5"
    assert rows[1][0] == "stable sigmoid never overflows public, 1 pt"  # a check's description, where recorded
    assert "about 2x: a missing factor? (x3)" in rows[0][4]
    assert "RuntimeWarning: overflow (x3)" in rows[1][4]
    assert "sigmoid(0) is 0.0, expected 0.5" in rows[2][4]
    assert "Over the 5 graded submissions" in page


def test_submissions_that_could_not_be_loaded_are_listed_with_the_reason_escaped(capsys, small_class, tmp_path):
    page = make_page(capsys, small_class, tmp_path / "class.html")
    assert table_rows(section(page, "activations"), "errors") == [
        ["fay", "syntax error in activations.py, line 3: <script>alert(1)</script>"]
    ]
    assert "<script" not in page and "&lt;script&gt;alert(1)" in page
    assert "Submissions that could not be loaded</h3><p>None.</p>" in section(page, "perceptron")


def test_sandbox_settings_are_shown_and_differences_flagged(capsys, small_class, tmp_path):
    page = make_page(capsys, small_class, tmp_path / "one.html")
    assert "<dt>network</dt><dd>isolated</dd>" in page and "every submission" in page
    write(small_class / "activations" / "gus.yaml",
          report("activations", "gus", 36, 36, activations_tests(1, 1, 34), sandbox={"isolation": "none"}))
    page = make_page(capsys, small_class, tmp_path / "two.html")
    assert "Not every submission was confined the same way: 2 different settings" in page
    assert "<dt>isolation</dt><dd>none</dd>" in page


def test_reports_are_read_at_any_depth_by_their_assignment_field_and_the_newest_wins(capsys, small_class, tmp_path):
    older = report("perceptron", "ann", 0, 26, [("neuron", 0, 26.0, "failed", "old")], graded_at="2026-11-01T00:00:00Z")
    write(small_class / "misc" / "deeper" / "ann-old.yaml", older)
    page = make_page(capsys, small_class, tmp_path / "class.html")
    assert table_rows(page, "overview")[1][:2] == ["perceptron", "2"]
    assert "1 older report(s) of a regraded submission left out" in page
    assert "notes.yaml" in page and "not a report" in page


def test_the_page_is_self_contained_and_the_same_every_time(capsys, small_class, tmp_path):
    first = make_page(capsys, small_class, tmp_path / "a.html")
    second = make_page(capsys, small_class, tmp_path / "b.html")
    assert first == second
    assert "default-src 'none'" in first and "<script" not in first
    for match in re.finditer(r'\b(?:src|href)="([^"]*)"', first):
        assert match.group(1).startswith(("#", "data:")), match.group(0)
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids)), "ids repeat across the inline SVGs"


def test_without_matplotlib_the_command_says_how_to_install_it(capsys, small_class, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["report", str(small_class), "--html", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "matplotlib" in err and "pip install -e '.[report]'" in err
    assert not (tmp_path / "x.html").exists()


def test_no_reports_is_an_error_of_the_user(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty"), "--html", str(tmp_path / "x.html")]) == 2
    assert "no reports of `grader grade`" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing"), "--html", str(tmp_path / "x.html")]) == 2
    assert "no reports folder" in capsys.readouterr().err


@pytest.mark.slow
def test_a_graded_class_end_to_end(capsys, tmp_path):
    examples = COURSE_ROOT / "examples" / "activations"
    out = tmp_path / "out"
    assert main(["grade", "activations", *map(str, sorted(examples.iterdir())), "--out", str(out), "--jobs", "1",
                 "--quiet"]) == 0
    capsys.readouterr()
    page = make_page(capsys, out, tmp_path / "class.html", "--submissions", str(examples))
    reports = [yaml.safe_load(p.read_text()) for p in sorted(out.rglob("*.yaml"))]  # any layout
    rows = table_rows(page, "histogram", "activations")
    assert sum(int(r[1]) for r in rows) == sum(1 for r in reports if r["status"] == "graded")
    assert [r[0] for r in table_rows(page, "errors")] == [r["submission"] for r in reports if r["status"] == "error"]
    assert "compared by their normalized syntax trees" in page
    assert "Code not found" not in page  # folders and the notebook alike, by their sha256
    assert "4 submissions compared" in page and "dave: activations.py: syntax error" in unescape(page)


# ------------------------------------------------------------------------------- similarity


def disguise(source: str, keep: set[str], *, reorder: bool = True) -> str:
    """A copy as a student would hide it: own names changed, docstrings gone, functions in reverse
    order (unless not ``reorder``), constants rewritten (1.0 -> 1.), comments added, reformatted
    by ast.unparse."""
    tree = ast.parse(source)
    renamed: dict[str, str] = {}
    fixed = keep | set(dir(builtins)) | {"np", "numpy", "math", "self"}

    def new(name):
        return name if name in fixed else renamed.setdefault(name, f"q{len(renamed)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = new(node.id)
        elif isinstance(node, ast.arg):
            node.arg = new(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            node.name = new(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            node.attr = new(node.attr)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and len(node.body) > 1:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                node.body = node.body[1:]
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    definitions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    rest = [n for n in tree.body if n not in imports and n not in definitions]
    if reorder:
        tree.body = imports + definitions[::-1] + rest
    lines = ast.unparse(tree).replace("1.0", "1.").splitlines()
    return "# all my own work\n" + "\n".join(row + ("  # next step" if i % 5 == 2 else "") for i, row in enumerate(lines)) + "\n"


def contract_names(assignment: str) -> set[str]:
    stub = ast.parse((COURSE_ROOT / "assignments" / assignment / f"{assignment}.py").read_text())
    names = {n.name for n in ast.walk(stub) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    return names | {a.arg for n in ast.walk(stub) if isinstance(n, ast.FunctionDef) for a in n.args.args} | {
        "W", "b", "dW", "db"}


def code(assignment: str, name: str, text: str):
    stub = (COURSE_ROOT / "assignments" / assignment / f"{assignment}.py").read_text()
    return prepare(name, {f"{assignment}.py": text}, {f"{assignment}.py": stub})


def reference(assignment: str) -> str:
    return (COURSE_ROOT / "solutions" / assignment / f"{assignment}.py").read_text()


@pytest.mark.parametrize("assignment", ["activations", "perceptron", "logistic_regression", "dense"])
def test_renamed_copies_of_one_solution_score_near_identical(assignment):
    """Renamed, recommented and reformatted: the same code. Functions in another order as well:
    nearly (a function too short to make a run of its own is lost at the seams)."""
    keep = contract_names(assignment)
    solutions = [reference(assignment)] + [p.read_text() for p in sorted((SUBMISSIONS / assignment / "correct").glob("*.py"))]
    for number, original in enumerate(solutions):
        renamed = disguise(original, keep, reorder=False)
        assert renamed != original and "# all my own work" in renamed
        assert compare(code(assignment, "a", original), code(assignment, "b", renamed)).score >= 0.98, number
        reordered = compare(code(assignment, "a", original), code(assignment, "b", disguise(original, keep)))
        assert reordered.score >= 0.9, (number, reordered.score)


# Correct alternatives that are the reference with one change (they test form, not style):
# not independent solutions, so near-identical to the reference by construction.
DERIVED_FROM_THE_REFERENCE = {"frompyfunc_objects", "prints_its_inputs"}


@pytest.mark.parametrize("assignment", ["activations", "perceptron", "logistic_regression", "dense"])
def test_independent_correct_solutions_in_different_styles_are_not_near_identical(assignment):
    texts = {"reference": reference(assignment)}
    texts.update({
        p.stem: p.read_text() for p in sorted((SUBMISSIONS / assignment / "correct").glob("*.py"))
        if p.stem not in DERIVED_FROM_THE_REFERENCE
    })
    assert len(texts) >= 4
    for (x, tx), (y, ty) in itertools.combinations(texts.items(), 2):
        score = compare(code(assignment, x, tx), code(assignment, y, ty)).score
        assert score < 0.5, (x, y, score)


def test_the_stub_counts_for_nothing():
    stub = (COURSE_ROOT / "assignments" / "activations" / "activations.py").read_text()
    assert code("activations", "untouched", stub).problem.startswith("too little code of its own")
    solved = code("activations", "solved", reference("activations"))
    assert 0 < solved.own < len(solved.kinds)  # the signatures are the stub's
    # Two students who each filled in one different function of the stub share only the stub.
    sigmoid = stub.replace('raise NotImplementedError("sigmoid is not implemented yet")',
                           "z = np.asarray(z, dtype=float)\n    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), "
                           "np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))")
    softmax = stub.replace('raise NotImplementedError("softmax is not implemented yet")',
                           "z = np.asarray(z, dtype=float)\n    e = np.exp(z - np.max(z, axis=axis, keepdims=True))\n"
                           "    return e / np.sum(e, axis=axis, keepdims=True)")
    assert sigmoid != stub and softmax != stub
    assert compare(code("activations", "s", sigmoid), code("activations", "t", softmax)).score == 0.0


def test_groups_link_submissions_pair_by_pair():
    code_of = {name: Code(name, ()) for name in "abcdef"}
    pairs = [Pair(code_of[x], code_of[y], score, ()) for x, y, score in
             [("a", "b", 0.95), ("b", "c", 0.92), ("d", "e", 0.99), ("a", "d", 0.5), ("e", "f", 0.89)]]
    assert groups(pairs, threshold=0.9) == [("a", "b", "c"), ("d", "e")]


def test_names_and_constants_are_abstracted_but_library_names_kept():
    one = normalize("import numpy as np\ndef f(z):\n    '''doc'''\n    # comment\n    return np.exp(-z) + 1.0\n")
    two = normalize("import numpy as xp\ndef g(value):\n    return xp.exp(-value) + 2\n")
    three = normalize("import numpy as np\ndef f(z):\n    return np.tanh(-z) + 1.0\n")
    assert one.kinds == two.kinds and one.kinds != three.kinds
    assert "exp" in one.kinds and "numpy" in one.kinds and "z" not in one.kinds and "f" not in one.kinds
    with pytest.raises(Unparsable):
        normalize("def f(:\n")
    with pytest.raises(Unparsable):
        normalize("x = " + "(" * 5000 + ")" * 5000)


def write_submission(folder: Path, name: str, text: str, assignment: str = "activations") -> dict:
    """``folder/name/<assignment>.py``; returns its report's sha256."""
    path = folder / name / f"{assignment}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}


@pytest.fixture
def copying_class(tmp_path):
    """Reports and code: a reference, its disguised copy, three independent solutions, a file that
    changed since grading, one that cannot be parsed, and code that tries to break the page."""
    subs, out = tmp_path / "subs", tmp_path / "reports"
    keep = contract_names("activations")
    hostile = reference("activations") + "\n# </pre></div><script>alert('x')</script>\n"
    texts = {
        "original": hostile,
        "copier": disguise(hostile, keep),
        **{p.stem: p.read_text() for p in sorted((SUBMISSIONS / "activations" / "correct").glob("*.py"))[:3]},
        "broken": "def sigmoid(z:\n",
    }
    for name, text in texts.items():
        sha = write_submission(subs, name, text)
        write(out / f"{name}.yaml", report("activations", name, 36, 36, activations_tests(1, 1, 34), sha256=sha))
    write(out / "edited.yaml", report("activations", "edited", 36, 36, activations_tests(1, 1, 34),
                                      sha256=write_submission(subs, "edited", reference("activations"))))
    (subs / "edited" / "activations.py").write_text(reference("activations") + "\n# changed later\n")
    return out, subs


def test_the_page_lists_the_copied_pair_side_by_side_with_matching_lines_marked(capsys, copying_class, tmp_path):
    out, subs = copying_class
    page = make_page(capsys, out, tmp_path / "class.html", "--submissions", str(subs))
    part = section(page, "activations")
    pairs = table_rows(part, "pairs")
    assert pairs[0][:2] == ["copier", "original"] and float(pairs[0][2]) >= 0.95
    assert all(float(row[2]) < 0.95 for row in pairs[1:])
    assert LEAD_NOT_VERDICT in unescape(part)
    view = part[part.index('<details class="pair" open>') :]
    view = view[: view.index("</details>")]
    left, right = view.split('<div class="side">')[1:3]
    assert "copier" in left and "original" in right
    marked = {}
    for who, side in (("copier", left), ("original", right)):
        lines = re.findall(r'<span class="ln( r\d| stub)?"[^>]*><i>\d+</i>(.*?)</span>', side)
        marked[who] = sum(1 for kind, _ in lines if kind.startswith(" r"))
        if who == "copier":  # no docstrings: every line is code, a comment, or blank
            code_lines = [kind for kind, text in lines if kind != " stub" and text.strip() and not text.strip().startswith("#")]
            assert marked[who] >= 0.8 * len(code_lines), "most lines of a copy are in a common run"
    assert marked["original"] >= 0.8 * marked["copier"]
    assert "# all my own work" in left
    assert "# &lt;/pre&gt;&lt;/div&gt;&lt;script&gt;alert('x')&lt;/script&gt;" in right
    assert "<script" not in page
    assert "Code not found under the submissions folder, or changed since it was graded (1): edited" in part
    assert "broken: activations.py: syntax error on line 1" in unescape(part)


def test_without_submissions_the_page_says_how_to_compare_code(capsys, small_class, tmp_path):
    page = make_page(capsys, small_class, tmp_path / "class.html")
    assert "--submissions DIR" in page and LEAD_NOT_VERDICT in unescape(page)
    assert main(["report", str(small_class), "--html", str(tmp_path / "x.html"), "--submissions", str(tmp_path / "no")]) == 2
    assert "no submissions folder" in capsys.readouterr().err


def test_code_too_long_or_too_deep_is_not_compared_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').write('x')\n"
    for text in (payload + "x = 1\n" * 30_000, payload + "x = " + "-" * 20_000 + "1\n"):
        assert code("activations", "hostile", text).problem.startswith("activations.py: ")
    assert code("activations", "fine", payload + reference("activations")).problem is None
    assert not marker.exists()


# ------------------------------------------------------------------------ headless Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed here: `.ci/run` installs it with apt where apt is available "
    "(apt-get install -y --no-install-recommends chromium); the page is not tested in a browser",
)


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )


def console_messages(tmp_path: Path, page: Path) -> tuple[list[str], str]:
    """What the page wrote to the console (errors, CSP violations, uncaught exceptions), and its DOM."""
    run = chromium(tmp_path, page, "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line], run.stdout


@needs_chromium
def test_the_console_scan_sees_errors(tmp_path):
    """The scan below is not blind: a page that loads from the network and runs a failing script is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                   "</head><body><img src=\"http://example.invalid/x.png\"><p>x</p></body></html>")
    worse = tmp_path / "worse.html"
    worse.write_text("<!DOCTYPE html><html><body><script>undefinedFunction()</script></body></html>")
    assert console_messages(tmp_path, bad)[0]
    assert any("undefinedFunction" in m for m in console_messages(tmp_path, worse)[0])


@needs_chromium
def test_the_page_loads_in_chromium_without_console_errors(capsys, copying_class, tmp_path):
    out, subs = copying_class
    page_file = tmp_path / "class.html"
    make_page(capsys, out, page_file, "--submissions", str(subs))
    messages, dom = console_messages(tmp_path, page_file)
    assert messages == []
    assert dom.count("<svg") == 2 and "Class report" in dom and 'class="ln r0"' in dom


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, decoded with zlib."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


@needs_chromium
def test_a_screenshot_of_the_page_shows_the_plots(capsys, small_class, tmp_path):
    page_file = tmp_path / "class.html"
    make_page(capsys, small_class, page_file)
    shot = tmp_path / "shot.png"
    run = chromium(tmp_path, page_file, f"--screenshot={shot}", "--window-size=1000,1400", "--hide-scrollbars")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 1400)
    step = len(rows[0]) // width
    pixels = [row[x : x + 3] for row in rows for x in range(0, len(row), step)]
    ink = sum(1 for p in pixels if min(p) < 235)
    bars = sum(1 for r, g, b in pixels if abs(r - 0x1F) < 30 and abs(g - 0x77) < 30 and abs(b - 0xB4) < 30)
    assert ink > 0.03 * len(pixels), "the screenshot is (nearly) blank"
    assert bars > 2000, "no histogram bars (matplotlib's blue) in the screenshot"
