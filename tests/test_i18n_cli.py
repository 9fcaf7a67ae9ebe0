"""The command line's own text in the student's language: ``grader check --help`` and a usage
error (argparse's sentences, from the grader's catalogue), chosen as the command chooses it."""

from __future__ import annotations

import argparse
import gettext
import inspect

import pytest

from grader import cli
from grader.cli import parser


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        cli.main(argv)
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.fixture(autouse=True)
def _no_language_given(monkeypatch):
    for name in ("GRADER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_grader_lang_uk_makes_check_help_ukrainian(monkeypatch, capsys):
    monkeypatch.setenv("GRADER_LANG", "uk")
    code, out, _ = run(["check", "--help"], capsys)
    assert code == 0
    assert out.startswith("використання: grader check [-h]")
    for sentence in ("позиційні аргументи", "параметри:", "показати цю довідку й вийти", "назва (activations) або номер"):
        assert sentence in out
    assert "--isolation {auto,root,userns,none,portable}" in out  # options and values stay as they are


def test_a_usage_error_reads_in_the_language_of_lang(capsys):
    code, out, err = run(["check", "--lang", "ru"], capsys)
    assert code == 2 and not out
    assert err.startswith("использование: grader check")
    assert err.endswith("grader check: ошибка: требуются следующие аргументы: assignment\n")
    code, _, err = run(["check", "activations", "--lang=uk", "--isolation", "bogus"], capsys)
    assert code == 2
    assert "помилка: аргумент --isolation: неприпустиме значення: 'bogus'" in err


def test_english_stays_argparse_own_and_argparse_is_left_as_it_was(capsys):
    code, out, _ = run(["check", "--help"], capsys)
    assert code == 0 and out.startswith("usage: grader check") and "positional arguments" in out
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]


def test_the_system_language_counts_for_check_only(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    _, _, err = run(["check"], capsys)
    assert "помилка: потрібні такі аргументи: assignment" in err
    _, _, err = run(["grade"], capsys)  # an instructor's command: English unless asked
    assert "error: the following arguments are required" in err


def test_an_unknown_language_leaves_the_help_english(monkeypatch, capsys):
    monkeypatch.setenv("GRADER_LANG", "xx")
    code, out, _ = run(["check", "--help"], capsys)
    assert code == 0 and out.startswith("usage: grader check")


def test_the_marked_sentences_are_argparse_own():
    """A sentence translated for argparse must be one it says (else its translation is never used)."""
    source = inspect.getsource(argparse)
    for message in (*parser._ARGPARSE_MESSAGES, parser._VERSION_HELP):
        assert repr(message).strip("'\"").replace("\\'", "'") in source, message


def test_grader_list_speaks_the_students_language(monkeypatch, capsys):
    """``grader list``, the first command of a student's README, in the language of ``--lang``,
    ``GRADER_LANG`` or the system; its values (names, points, files) are the same in every one."""
    assert cli.main(["list"]) == 0
    english = capsys.readouterr().out
    assert english.splitlines()[0].split() == ["assignment", "points", "public", "hidden", "worth", "file"]
    monkeypatch.setenv("GRADER_LANG", "uk")
    assert cli.main(["list"]) == 0
    ukrainian = capsys.readouterr().out
    assert ukrainian.splitlines()[0].split() == ["завдання", "бали", "відкриті", "приховані", "їхні", "бали", "файл"]
    assert cli.main(["list", "--lang", "ru"]) == 0
    russian = capsys.readouterr().out
    assert russian.splitlines()[0].split()[:4] == ["задание", "баллы", "открытые", "скрытые"]
    for translated in (ukrainian, russian):
        assert [line.split()[-1] for line in translated.splitlines()[1:]] == [
            line.split()[-1] for line in english.splitlines()[1:]
        ]
    monkeypatch.delenv("GRADER_LANG")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert cli.main(["list"]) == 0
    assert capsys.readouterr().out == russian
    assert cli.main(["list", "--names"]) == 0 and "задание" not in capsys.readouterr().out
