"""Each assignment's README in the students' copy reads in the copy's language: its paragraphs
are message ids (``grader.i18n.markdown_paragraphs``), translated in every catalogue with their
code, headings, lists and tables kept, and ``grader export-student --lang`` writes them so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import i18n
from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.export import export_student_copy

_WHY = "the catalogues' tests read .po files with Babel: pip install -e '.[i18n]'"
read_po = pytest.importorskip("babel.messages.pofile", reason=_WHY).read_po
extract_from_file = pytest.importorskip("babel.messages.extract", reason=_WHY).extract_from_file

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
CYRILLIC = re.compile("[а-яіїєґё]", re.IGNORECASE)
CODE_SPAN = re.compile(r"`[^`]+`")

# The languages whose catalogues translate every paragraph of every assignment's README. A
# paragraph changed in a README reads in English until its translation follows, and the test
# below says which.
READMES_TRANSLATED: tuple[str, ...] = ("ru", "uk")


def readme(name: str) -> str:
    return (COURSE_ROOT / "assignments" / name / "README.md").read_text(encoding="utf-8")


def translations(lang: str) -> dict[str, str]:
    """The catalogue's translations, without the fuzzy and the empty ones (gettext ignores them)."""
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "grader.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po, locale=lang) if m.id and m.string and not m.fuzzy}


def shape(paragraph: str) -> list[str]:
    """What a translation keeps of a paragraph, line by line: a heading's level, a list item's
    marker, a table row's number of cells; and, for the whole, its ``code`` spans."""
    kept = []
    for line in paragraph.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            kept.append(stripped.split(" ", 1)[0])
        elif stripped.startswith("|"):
            kept.append("|" * stripped.count("|"))
        elif re.match(r"[-*] |\d+\. ", stripped):
            kept.append(stripped.split(" ", 1)[0])
    return kept


def test_a_readmes_paragraphs_are_extracted_and_english_is_left_as_it_is():
    for a in ASSIGNMENTS:
        path = COURSE_ROOT / "assignments" / a.name / "README.md"
        found = [m for _, m, _, _ in extract_from_file("grader.i18n_extract.extract_markdown", str(path))]
        assert found == i18n.markdown_paragraphs(readme(a.name)) and found, a.name
        assert not any("```" in p for p in found)  # code blocks are not messages
        assert i18n.translate_markdown(readme(a.name)) == readme(a.name)


def test_markdown_is_cut_into_paragraphs_and_joined_back():
    text = "# T\n\nOne\nline two\n\n```python\nx = 1\n\ny = 2\n```\n\n- a\n  more\n- b\n\n| x | y |\n|---|---|\n"
    assert i18n.markdown_paragraphs(text) == ["# T", "One\nline two", "- a\n  more\n- b", "| x | y |\n|---|---|"]
    assert i18n.translate_markdown(text) == text
    unclosed = "Intro\n\n~~~~\ncode\n~~~\nstill code\n"  # a fence closes only with one as long
    assert i18n.markdown_paragraphs(unclosed) == ["Intro"]
    indented = "Update\n\n    w <- w + x\n\tb <- b + 1\n\n  - an item\n"  # 4 spaces or a tab: code
    assert i18n.markdown_paragraphs(indented) == ["Update", "  - an item"]
    assert i18n.translate_markdown(indented) == indented


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_paragraphs_keep_their_code_and_layout(lang):
    """A translated paragraph keeps every `code` span of the English one (identifiers, shapes and
    code stay as they are), and its headings, list items and table rows."""
    known = translations(lang)
    wrong = []
    for a in ASSIGNMENTS:
        for paragraph in i18n.markdown_paragraphs(readme(a.name)):
            translated = known.get(paragraph)
            if translated is None:
                continue
            if sorted(CODE_SPAN.findall(translated)) != sorted(CODE_SPAN.findall(paragraph)):
                wrong.append((a.name, "code", paragraph[:60]))
            if shape(translated) != shape(paragraph):
                wrong.append((a.name, "layout", paragraph[:60]))
    assert not wrong, wrong


@pytest.mark.parametrize("lang", READMES_TRANSLATED)
def test_every_readme_paragraph_is_translated(lang):
    known = translations(lang)
    missing = [
        (a.name, p[:60]) for a in ASSIGNMENTS for p in i18n.markdown_paragraphs(readme(a.name)) if p not in known
    ]
    assert not missing, f"to translate in {lang}: {missing}"


@pytest.mark.parametrize("lang", READMES_TRANSLATED)
def test_the_students_copy_states_each_assignment_in_its_language(tmp_path: Path, lang):
    """``grader export-student --lang``: each assignment's README reads in Cyrillic paragraph by
    paragraph, and its code blocks are the English README's, byte for byte."""
    export_student_copy(tmp_path / "copy", lang=lang)
    fence = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
    for a in ASSIGNMENTS:
        english = readme(a.name)
        written = (tmp_path / "copy" / "assignments" / a.name / "README.md").read_text(encoding="utf-8")
        paragraphs = i18n.markdown_paragraphs(written)
        assert len(paragraphs) == len(i18n.markdown_paragraphs(english)), a.name
        assert all(CYRILLIC.search(p) for p in paragraphs if not p.startswith("|---")), a.name
        assert fence.findall(written) == fence.findall(english), a.name
