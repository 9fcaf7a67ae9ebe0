"""Feedback in English, Ukrainian and Russian: the catalogues are complete and consistent with
the code, placeholders survive translation, plural forms are right, the language is chosen by
``--lang``, ``GRADER_LANG`` or the system locale (``check`` only), and numbers keep their point."""

from __future__ import annotations

import io
import json
import re
import string
from pathlib import Path

import pytest
from conftest import SUBMISSIONS

from grader import i18n
from grader.course import ASSIGNMENTS, find_assignment
from grader.report.console import check_summary, class_summary
from grader.results import CheckResult

_WHY = "the catalogues' tests read .po files with Babel: pip install -e '.[i18n]'"
read_po = pytest.importorskip("babel.messages.pofile", reason=_WHY).read_po
write_mo = pytest.importorskip("babel.messages.mofile", reason=_WHY).write_mo
extract_from_file = pytest.importorskip("babel.messages.extract", reason=_WHY).extract_from_file

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
PACKAGE = Path(i18n.__file__).parent


def catalogue(lang: str):
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "grader.po").open("rb") as po:
        return read_po(po, locale=lang)


def messages(lang: str) -> dict:
    return {m.id: m for m in catalogue(lang) if m.id}


def fields(text: str) -> list[tuple[str, str]]:
    """The ``str.format`` fields of ``text``, with their format specs, sorted: ``{value:.3g}``."""
    return sorted((name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def code_messages(*, suites: bool = False) -> set:
    """The message ids of the grader's code (``suites``: of the check suites), found as
    ``pybabel extract -F grader/locale/babel.cfg`` finds them."""
    root = PACKAGE.parent
    suite_files = [*root.glob("grader/hidden/**/*.py"), *root.glob("assignments/*/public_checks.py")]
    code_files = [p for p in PACKAGE.rglob("*.py") if p not in suite_files]
    method = "grader.i18n_extract.extract_suite" if suites else "python"
    found = set()
    for path in suite_files if suites else code_files:
        for _, message, _, _ in extract_from_file(method, str(path)):
            found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def test_the_languages_are_english_ukrainian_and_russian():
    assert set(i18n.LANGUAGES) >= {"en", "uk", "ru"}
    assert i18n.LANGUAGES[0] == "en"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_mo_is_its_po_compiled(lang):
    """The ``.mo`` that gettext reads is committed: it must be what ``pybabel compile`` makes of
    the ``.po`` (after editing a ``.po``: ``pybabel compile -d grader/locale -D grader``)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang))
    assert (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "grader.mo").read_bytes() == compiled.getvalue()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_code_is_translated(lang):
    """No message of the grader's code is missing from a catalogue, none is left untranslated or
    fuzzy (after changing a message: pybabel extract, update, translate, compile; see the README)."""
    known, code = messages(lang), code_messages()
    missing = sorted(str(m) for m in code if m not in known)
    assert not missing, f"not in the {lang} catalogue (pybabel extract and update): {missing}"
    untranslated = [
        m.id for m in known.values() if m.id in code and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))
    ]
    assert not untranslated, f"untranslated or fuzzy in {lang}: {untranslated}"


# Every sentence of every suite is translated: one a check author adds reads in English (its
# message id) only until the catalogues are updated, and fails here until then.
SUITES_TRANSLATED = 1.0


def translated(message) -> bool:
    """Not fuzzy, and every form filled in (the three plural forms of uk and ru too)."""
    return not message.fuzzy and (all(message.string) if message.pluralizable else bool(message.string))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_suites_sentences_are_translated(lang):
    """Check descriptions, hints, the suites' constant feedback and the sentences they compose
    (marked with _() and ngettext): every one translated."""
    known = messages(lang)
    wanted = code_messages(suites=True)
    missing = sorted(map(str, (m for m in wanted if m not in known or not translated(known[m]))))
    assert len(missing) <= (1 - SUITES_TRANSLATED) * len(wanted), f"to translate in {lang}: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    """Every form of every translation has the message id's placeholders, with their format
    specs: a missing ``{value}`` fails here, not as a KeyError while grading a class. A fuzzy
    entry (pybabel update's guess for a changed message) is left out: it is never compiled, so
    never shown, and the tests of untranslated messages name it."""
    wrong = []
    for message in messages(lang).values():
        if message.fuzzy:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        expected = fields(ids[-1])
        if any(fields(one) != expected for one in ids):
            wrong.append(f"the singular and plural ids differ: {ids}")
        forms = message.string if message.pluralizable else (message.string,)
        wrong.extend(f"{ids[0]!r} -> {form!r}" for form in forms if fields(form) != expected)
    assert not wrong, "\n".join(wrong)


PLURALS = {
    "uk": ["приховану перевірку", "приховані перевірки", "прихованих перевірок", "прихованих перевірок",
           "приховану перевірку", "приховані перевірки"],
    "ru": ["скрытую проверку", "скрытые проверки", "скрытых проверок", "скрытых проверок",
           "скрытую проверку", "скрытые проверки"],
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_plural_forms_for_1_2_5_11_21_22(lang):
    with i18n.use(lang):
        shown = [check_summary([], hidden_checks=n, hidden_points=3).splitlines()[-1] for n in (1, 2, 5, 11, 21, 22)]
    for n, line, words in zip((1, 2, 5, 11, 21, 22), shown, PLURALS[lang]):
        assert f" {n} {words} " in line, line


def test_english_plurals():
    assert check_summary([], hidden_checks=1, hidden_points=1).endswith("1 hidden check worth 1 points")
    assert check_summary([], hidden_checks=21, hidden_points=1).endswith("21 hidden checks worth 1 points")


def result(points: float, status: str = "failed") -> CheckResult:
    return CheckResult("sigmoid_values", "public", points, 2.0, status, "feedback", "sigmoid of scalars")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_numbers_keep_their_decimal_point(lang):
    with i18n.use(lang):
        text = check_summary([result(1.25), result(2.0, "passed")]) + class_summary(
            [({"score": 2.5, "max_score": 36, "status": "graded"}, False)],
            assignment=find_assignment("activations"),
            seconds=1.5,
            folder="reports/",
        )
    assert "3.25 / 4.0" in text and "2.50 / 36" in text and "1.5" in text
    assert "," not in text.replace(", ", "").replace(",\n", "")


def test_use_is_scoped():
    assert i18n.language() == "en"
    with i18n.use("uk"):
        assert i18n.language() == "uk"
        with i18n.use("ru"):
            assert i18n._("Notes:") == "Примечания:"
        assert i18n._("Notes:") == "Примітки:"
    assert i18n.language() == "en" and i18n._("Notes:") == "Notes:"


def test_choose_lang_then_environment_then_system_locale_for_check_only():
    env = {"GRADER_LANG": "ru", "LANG": "uk_UA.UTF-8"}
    assert i18n.choose("uk", environ=env) == "uk"
    assert i18n.choose(None, environ=env) == "ru"
    assert i18n.choose(None, environ={"LANG": "uk_UA.UTF-8"}, system=True) == "uk"
    assert i18n.choose(None, environ={"LC_ALL": "ru_RU.UTF-8", "LANG": "uk_UA.UTF-8"}, system=True) == "ru"
    assert i18n.choose(None, environ={"LANG": "uk_UA.UTF-8"}) == "en"  # grade: never the system's
    assert i18n.choose(None, environ={"LANG": "de_DE.UTF-8"}, system=True) == "en"
    assert i18n.choose(None, environ={"LANG": "C.UTF-8"}, system=True) == "en"
    assert i18n.choose(None, environ={}) == "en"
    assert i18n.choose("RU", environ={}) == "ru"


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(i18n.UnknownLanguage, match="GRADER_LANG 'xx'.*en"):
        i18n.choose(None, environ={"GRADER_LANG": "xx"})
    with pytest.raises(i18n.UnknownLanguage, match="uk"):
        i18n.choose("de", environ={})


def test_code_messages_are_found():
    assert "Notes:" in code_messages()
    assert "sigmoid at a few points" in code_messages(suites=True)  # a check's description


def test_grader_lang_uk_makes_check_speak_ukrainian(monkeypatch, capsys):
    from conftest import EXAMPLES

    from grader.cli import main

    monkeypatch.setenv("GRADER_LANG", "uk")
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["check", "activations", str(EXAMPLES / "bob"), "-k", "softmax_values"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("01 activations: перевірка bob\n")
    assert "пройдено 0 з 1 відкритої перевірки (бали: 0.0 / " in out


# -- the same grades in every language ----------------------------------------------------------

ENGLISH_WORDS = re.compile(
    r"\b(returned|expected|yours|the|of|is|not|with|hidden|differs?|right|entries|entry|your|when|where)\b"
)
SAMPLES = [f"activations/{name}" for name in (
    "sigmoid_grad_missing_factor.py", "softmax_wrong_axis.py", "relu_inplace.py", "leaky_ignores_eps.py",
    "tanh_grad_wrong.py", "sigmoid_returns_list_of_wrong_shape.py",
    # the sentences a suite composes (marked with _() in the suite): numbers in them
    "step_returns_bool.py", "naive_sigmoid.py", "softmax_no_shift.py", "elu_float32.py", "elu_where_warns.py",
    "relu_wrong_grad_right.py")] + [f"gradient_descent/{name}" for name in (
    "gd_without_x0.py", "gd_rounds_iterates.py", "ng_mutates_x.py", "ng_ignores_h.py", "ng_int_input.py")] + [
    f"dense/{name}" for name in ("dW_transposed.py", "b_db_keepdims.py", "zero_init.py", "global_seed.py",
                                 "backward_modifies_dout.py", "class_level_cache.py", "forward_no_bias.py")]  # fmt: skip
# The MLP's mutants are folders (mlp.py and dense.py), each failing several checks, public and hidden.
SAMPLES += [f"mlp/{name}" for name in ("get_params_weights_only", "set_params_forgets_biases", "fit_no_update")]
SAMPLES += [f"perceptron/{name}" for name in ("fit_no_bias_update.py", "neuron_one_sample_shape.py")]
SAMPLES += [f"logistic_regression/{name}" for name in ("bce_db_sum.py", "bce_no_clip.py", "naive_sigmoid.py")]


def english_left(feedback: str) -> list[str]:
    """English words of a sentence in ``feedback``, code (backticks, calls, identifiers, np.where) aside."""
    prose = re.sub(r"\w+\([^()]*\)|\w*_\w*|\w+(?:\.\w+)+|'[^']*'", " ", feedback)
    return ENGLISH_WORDS.findall(prose)


@pytest.fixture(scope="module")
def in_three_languages(grade_path):
    graded = {}
    for name in SAMPLES:
        assignment, file = name.split("/")
        path = SUBMISSIONS / assignment / "mutants" / file
        for lang in ("en", "uk", "ru"):
            with i18n.use(lang):
                graded[name, lang] = grade_path(assignment, path)
    return graded


def test_the_same_scores_and_statuses_in_every_language(in_three_languages):
    for name in SAMPLES:
        verdicts = {
            lang: [(r.id, r.status, r.points) for r in in_three_languages[name, lang].results] for lang in ("en", "uk", "ru")
        }
        assert verdicts["uk"] == verdicts["en"] == verdicts["ru"], name
        assert any(status != "passed" for _, status, _ in verdicts["en"]), name


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_failed_checks_speak_the_language(in_three_languages, lang):
    cyrillic = re.compile("[а-яіїєґё]", re.IGNORECASE)
    for name in SAMPLES:
        for result in in_three_languages[name, lang].results:
            if result.status == "passed":
                continue
            assert cyrillic.search(result.feedback), (name, result.id, result.feedback)
            assert not english_left(result.feedback), (name, result.id, result.feedback, english_left(result.feedback))
            assert not re.search(r"\d,\d", result.feedback), result.feedback  # 0.5, never 0,5


def test_gradescope_autograder_grades_in_the_language_asked(tmp_path, monkeypatch):
    import zipfile

    from grader.platforms import gradescope

    archive = tmp_path / "autograder.zip"
    gradescope.build_autograder("activations", archive, lang="uk")
    with zipfile.ZipFile(archive) as zipped:
        script = zipped.read("run_autograder").decode()
        assert any(n.endswith("uk/LC_MESSAGES/grader.mo") for n in zipped.namelist())
    assert "export GRADER_LANG=uk" in script
    with pytest.raises(i18n.UnknownLanguage):
        gradescope.build_autograder("activations", tmp_path / "other.zip", lang="xx")

    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    mutant = SUBMISSIONS / "activations" / "mutants" / "softmax_wrong_axis.py"
    (root / "submission" / "activations.py").write_text(mutant.read_text())
    monkeypatch.setenv("GRADER_LANG", "uk")
    assert gradescope.main([str(root), "activations"]) == 0
    results = json.loads((root / "results" / "results.json").read_text())
    failed = [t for t in results["tests"] if t.get("status") == "failed"]
    assert failed and all(re.search("[а-яіїє]", t["output"]) for t in failed)
    assert any("на прихованому тесті" in t["output"] for t in failed)


def test_reports_record_their_language(tmp_path, monkeypatch):
    import yaml

    from grader.cli import main

    path = SUBMISSIONS / "activations" / "mutants" / "relu_inplace.py"
    command = ["grade", "activations", "--out", str(tmp_path), "--jobs", "1", "--quiet", "--lang", "ru"]
    assert main([*command, "--", str(path)]) == 0
    report = yaml.safe_load(next(tmp_path.rglob("*.yaml")).read_text(encoding="utf-8"))
    assert report["lang"] == "ru"
    described = {t["id"]: t["description"] for t in report["tests"]}
    assert described["relu_values"] == "relu и relu_grad в нескольких точках"


def test_load_errors_and_notes_speak_the_language(tmp_path):
    from grader.submission import load_submission

    activations = find_assignment("activations")
    empty = tmp_path / "empty"
    empty.mkdir()
    with i18n.use("uk"):
        assert load_submission(empty, activations).problem == "тека роботи порожня"
    renamed = tmp_path / "alice"
    renamed.mkdir()
    (renamed / "act.py").write_text("import numpy as np\n\ndef relu(z):\n    return np.maximum(z, 0)\n")
    with i18n.use("ru"):
        assert load_submission(renamed, activations).notes[0] == "'act.py' использован как activations.py"


def test_a_function_under_the_main_guard_is_named_in_the_language(tmp_path, grade_path):
    path = tmp_path / "activations.py"
    path.write_text('import numpy as np\n\nif __name__ == "__main__":\n    def relu(z):\n        return np.maximum(z, 0)\n')
    with i18n.use("uk"):
        graded = grade_path("activations", path, hidden=False)
    relu = next(r for r in graded.results if r.id == "relu_values")
    assert relu.feedback.startswith('relu визначено лише під `if __name__ == "__main__":`'), relu.feedback


# -- the students' copy in the class's language ---------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("uk", "## Налаштування (один раз)"), ("ru", "## Настройка (один раз)")])
def test_the_students_readme_speaks_the_language(lang, words):
    from grader.course import ASSIGNMENTS, available
    from grader.export import student_readme

    with i18n.use(lang):
        readme = student_readme()
    assert words in readme and "Working" not in readme and "your file" not in readme
    for a in ASSIGNMENTS:
        if available(a):
            assert f"`grader check {a.name}`" in readme
    assert "    grader check activations -k softmax  # " in readme  # commands stay, comments translated
    prose = [line for line in readme.splitlines() if line and not line.startswith(("    ", "|"))]
    assert not [line for line in prose if english_left(line.replace("`", "'"))], prose


def test_a_notebook_released_in_ukrainian_is_graded_like_the_stub(tmp_path):
    from grader.release_notebook import assignment_notebook, check_cell, is_check_cell, write_notebook
    from grader.submission import load_submission

    activations = find_assignment("activations")
    with i18n.use("uk"):
        notebook = assignment_notebook(activations)
        write_notebook(activations, tmp_path)
        cell = check_cell(activations)
    texts = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert "**Як працювати в цьому блокноті.**" in texts[0] and texts[-1].startswith("## Перевірте свою роботу")
    assert cell.startswith("# Перевірте свою роботу") and cell != check_cell(activations)
    assert is_check_cell(cell) and is_check_cell(check_cell(activations))  # in any language
    assert [c.source for c in notebook.cells if c.cell_type == "code"][:-1] == [
        c.source for c in assignment_notebook(activations).cells if c.cell_type == "code"
    ][:-1]
    english = tmp_path / "en"
    english.mkdir()
    write_notebook(activations, english)
    assert load_submission(tmp_path, activations).problem == load_submission(english, activations).problem


def test_export_student_lang_writes_the_copy_in_that_language(tmp_path):
    from grader.cli import main

    folder = tmp_path / "template"
    assert main(["export-student", str(folder), "--lang", "ru"]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8").startswith("# Нейронные сети на numpy: задания\n")
    notebook = json.loads((folder / "assignments" / "activations" / "activations.ipynb").read_text(encoding="utf-8"))
    assert "**Как работать в этом блокноте.**" in "".join(notebook["cells"][0]["source"])


@pytest.mark.parametrize(("lang", "cell", "line"), [("en", "the 4th cell (In [7])", "line"),
                                                    ("uk", "клітинка 4 (In [7])", "рядок"),
                                                    ("ru", "ячейка 4 (In [7])", "строка")])  # fmt: skip
def test_notebook_cells_are_named_in_the_language(tmp_path, lang, cell, line):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from grader.submission import load_submission

    cells = [new_markdown_cell("intro"), new_code_cell("import numpy as np", execution_count=3),
             new_code_cell("%%bash\necho hi"), new_code_cell("def sigmoid(z):\n    return 1 / 0\nprint(2)", execution_count=7)]  # fmt: skip
    path = tmp_path / "erin.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    with i18n.use(lang):
        submission = load_submission(path, find_assignment("activations"))
        lines = submission.files["activations.py"].decode().splitlines()
        number = lines.index("    return 1 / 0") + 1
        assert submission.locate("activations.py", number) == f"erin.ipynb, {cell}, {line} 2"
    notes = "\n".join(submission.notes)
    assert cell in notes and f"{cell}, {line} 3: print(2)" in notes, notes
    if lang != "en":
        assert "cell" not in notes.replace("cell magic", ""), notes


@pytest.mark.parametrize(("lang", "line"), [("en", "line"), ("uk", "рядок"), ("ru", "строка")])
def test_a_line_of_a_file_graded_as_it_is_is_named_in_the_language(tmp_path, lang, line):
    """A folder's activations.py is graded under its own name: the sandbox's "activations.py,
    line 30" (a syntax error, a warning's place) still reads in the student's language."""
    from grader.submission import load_submission

    (tmp_path / "dave").mkdir()
    (tmp_path / "dave" / "activations.py").write_text("import numpy as np\n")
    with i18n.use(lang):
        submission = load_submission(tmp_path / "dave", find_assignment("activations"))
        said = submission.in_student_terms("overflow encountered in exp (activations.py, line 8)")
    assert said == f"overflow encountered in exp (activations.py, {line} 8)"


@pytest.mark.parametrize(
    ("lang", "function", "top"),
    [
        ("en", "line 8, in softmax", "line 2, at the top level"),
        ("uk", "рядок 8, у функції softmax", "рядок 2, на верхньому рівні файлу"),
        ("ru", "строка 8, в функции softmax", "строка 2, на верхнем уровне файла"),
    ],
)
def test_an_errors_place_reads_whole_in_the_language(tmp_path, lang, function, top):
    """The sandbox's "activations.py, line 8, in softmax" (where an exception was raised) reads
    in the student's language to the end, the function's name kept as it is."""
    from grader.submission import load_submission

    (tmp_path / "dave").mkdir()
    (tmp_path / "dave" / "activations.py").write_text("import numpy as np\n")
    with i18n.use(lang):
        submission = load_submission(tmp_path / "dave", find_assignment("activations"))
        said = submission.in_student_terms("ZeroDivisionError: division by zero (activations.py, line 8, in softmax)")
        at_import = submission.in_student_terms("NameError: x (activations.py, line 2, in <module>)")
    assert said == f"ZeroDivisionError: division by zero (activations.py, {function})"
    assert at_import == f"NameError: x (activations.py, {top})"


# -- the assignment's own text in a released notebook -----------------------------------------

# Every stub's docstrings are translated; a paragraph changed in a stub reads in English until its
# translation follows (translate_text falls back to the message id), and this test says which.
NOTEBOOKS_TRANSLATED = tuple(a.name for a in ASSIGNMENTS)


def stub_paragraphs(name: str) -> list[str]:
    """The paragraphs of the docstrings a released notebook shows: the module's, then each
    top-level function's or class's, as :func:`grader.i18n.paragraphs` splits them."""
    import ast

    a = find_assignment(name)
    tree = ast.parse((PACKAGE.parent / "assignments" / a.name / a.filename).read_text(encoding="utf-8"))
    nodes = [tree, *(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]
    return [p for node in nodes for p in i18n.paragraphs(ast.get_docstring(node, clean=True) or "")]


def test_stubs_paragraphs_are_extracted_and_english_is_left_as_it_is():
    import ast

    for a in ASSIGNMENTS:
        stub = PACKAGE.parent / "assignments" / a.name / a.filename
        found = [m for _, m, _, _ in extract_from_file("grader.i18n_extract.extract_stub", str(stub))]
        assert found == stub_paragraphs(a.name) and found, a.name
        tree = ast.parse(stub.read_text(encoding="utf-8"))
        for node in [tree, *tree.body]:
            doc = ast.get_docstring(node, clean=True) if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) else None
            if doc:
                assert i18n.translate_text(doc) == doc  # English: the notebook's text unchanged
    helper = PACKAGE.parent / "assignments" / "mlp" / "iris.py"
    assert not list(extract_from_file("grader.i18n_extract.extract_stub", str(helper)))  # not a stub


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_stub_paragraphs_keep_their_code(lang):
    """A paragraph of a stub's docstring keeps, in translation, every ``code`` span and its
    layout (the line-leading indent of a code block, the :: that opens one)."""
    known = messages(lang)
    wrong = []
    for a in ASSIGNMENTS:
        for paragraph in stub_paragraphs(a.name):
            message = known.get(paragraph)
            if message is None or not message.string or message.fuzzy:
                continue
            spans = sorted(re.findall(r"``[^`]+``", paragraph))
            if sorted(re.findall(r"``[^`]+``", message.string)) != spans or (
                paragraph.endswith("::") != message.string.endswith("::")
            ):
                wrong.append((a.name, paragraph[:60]))
    assert not wrong, wrong


@pytest.mark.parametrize("name", NOTEBOOKS_TRANSLATED)
@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_a_released_notebook_states_the_assignment_in_the_language(name, lang):
    from grader.release_notebook import assignment_notebook

    known = messages(lang)
    missing = [p[:60] for p in stub_paragraphs(name) if p not in known or known[p].fuzzy or not known[p].string]
    assert not missing, f"to translate in {lang}: {missing}"
    a = find_assignment(name)
    with i18n.use(lang):
        notebook = assignment_notebook(a)
    english = assignment_notebook(a)
    code = [[c.source for c in nb.cells if c.cell_type == "code"][:-1] for nb in (notebook, english)]
    assert code[0] == code[1]  # the code cells are the stub's in every language
    text = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    cyrillic = re.compile("[а-яіїєґё]", re.IGNORECASE)
    assert all(cyrillic.search(t) for t in text), text
    assert text[0].startswith(f"# {a.label} ") and cyrillic.search(text[0].splitlines()[0])  # the title
    assert "Does not modify its arguments." not in "".join(text)


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_a_crash_and_an_endless_loop_are_told_in_the_language(tmp_path, grade_path, lang):
    """What the sandbox says of a process that ends during a call, and of a call over its CPU
    time limit, reads in the student's language too (the function's call and numbers aside)."""
    from grader.course import COURSE_ROOT

    alice = (COURSE_ROOT / "examples" / "activations" / "alice" / "activations.py").read_text()
    ending = "\n\ndef tanh(x):\n    import os\n    os._exit(3)\n\n\ndef relu(x):\n    while True:\n        pass\n"
    path = tmp_path / "activations.py"
    path.write_text(alice + ending)
    with i18n.use(lang):
        graded = grade_path("activations", path)
    failed = [r for r in graded.results if r.status != "passed"]
    assert {"error", "timeout"} <= {r.status for r in failed}
    cyrillic = re.compile("[а-яіїєґё]", re.IGNORECASE)
    for result in failed:
        assert cyrillic.search(result.feedback), (result.id, result.feedback)
        assert not english_left(result.feedback), (result.id, result.feedback, english_left(result.feedback))
