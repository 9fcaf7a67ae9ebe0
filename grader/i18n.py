"""The language students read: English, Ukrainian or Russian, from gettext catalogues.

Every student-facing sentence is an English message id wrapped in :func:`_` (or
:func:`ngettext` for counts, :func:`N_` to mark a constant that is translated where it is
shown). The translations are gettext catalogues in the package: the sources
``grader/locale/<lang>/LC_MESSAGES/grader.po`` and, next to them, the compiled ``grader.mo``
that Python's :mod:`gettext` reads (committed, so a wheel or a students' copy works with
nothing to build; ``tests/test_i18n.py`` checks that every ``.mo`` is the compilation of its
``.po``). Babel (the ``i18n`` extra) is only for the people editing catalogues::

    pybabel extract -F grader/locale/babel.cfg --no-location --sort-output -o grader/locale/grader.pot .
    pybabel update -i grader/locale/grader.pot -d grader/locale -D grader
    pybabel compile -d grader/locale -D grader

A new language is one ``.po`` (``pybabel init -i grader/locale/grader.pot -d grader/locale
-D grader -l de``, then translated) and the compile command; :data:`LANGUAGES` lists the
folders found in ``grader/locale``.

Messages use ``str.format`` placeholders (``{name}``); numbers are formatted by the code, never
by the locale (``{value:.3g}``, with a decimal point in every language), so a value can be
pasted back into Python. The language of a run is a context variable set by the command
(:func:`use`); forked workers inherit it. Without it, English.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import locale
import os
import re
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from grader.errors import GraderError

__all__ = [
    "DEFAULT", "LANGUAGES", "N_", "UnknownLanguage", "_", "choose", "language", "markdown_paragraphs",
    "ngettext", "paragraphs", "translate_markdown", "translate_text", "translator", "use",
]  # fmt: skip

DEFAULT = "en"
DOMAIN = "grader"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = "GRADER_LANG"


def _available() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT, *(name for name in found if name != DEFAULT))


LANGUAGES: tuple[str, ...] = _available()
"""The languages feedback can be given in: ``en`` (the message ids) and every compiled catalogue."""

_language: contextvars.ContextVar[str] = contextvars.ContextVar("grader_language", default=DEFAULT)


class UnknownLanguage(GraderError):
    """A ``--lang`` or ``GRADER_LANG`` that names no catalogue; the message lists those there are."""

    def __init__(self, given: str, source: str) -> None:
        super().__init__(f"{source} {given!r}: no such language; the languages are: {', '.join(LANGUAGES)}")


def _normal(tag: str) -> str:
    """``uk_UA.UTF-8`` -> ``uk``; ``ru-RU`` -> ``ru``; ``EN`` -> ``en``."""
    return tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def choose(given: str | None = None, *, system: bool = False, environ: dict[str, str] | None = None) -> str:
    """The language of a run: ``given`` (``--lang``), else ``GRADER_LANG``, else (``system=True``,
    ``grader check`` only: a student's own terminal) the system locale when it is one of
    :data:`LANGUAGES`, else ``en``. An unknown ``given`` or ``GRADER_LANG`` raises
    :class:`UnknownLanguage`; an unknown system locale is simply not used."""
    env = os.environ if environ is None else environ
    for value, source in ((given, "--lang"), (env.get(ENVIRONMENT), ENVIRONMENT)):
        if value:
            if _normal(value) not in LANGUAGES:
                raise UnknownLanguage(value, source)
            return _normal(value)
    if system:
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = env.get(name)
            if value:
                return _normal(value) if _normal(value) in LANGUAGES else DEFAULT
        with contextlib.suppress(ValueError, TypeError):
            tag = locale.getlocale(locale.LC_MESSAGES)[0] if hasattr(locale, "LC_MESSAGES") else None
            if tag and _normal(tag) in LANGUAGES:
                return _normal(tag)
    return DEFAULT


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English: the message ids themselves). Raises
    :class:`UnknownLanguage` for a language without a catalogue."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang, "language")
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def language() -> str:
    """The language of the current run (``en`` unless a command chose another with :func:`use`)."""
    return _language.get()


@contextlib.contextmanager
def use(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the ``with`` block (and in workers forked inside it)."""
    translator(lang)  # unknown: raised here, before anything is graded
    token = _language.set(lang)
    try:
        yield lang
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Translate ``message`` (an English sentence, the message id) into the current language.

    Returns the catalogue's translation, or ``message`` itself when it has none (and in
    English). Never raises: a catalogue that cannot be read counts as English. Placeholders
    are filled after the lookup, so that the message id stays constant::

        >>> _("{got} of {total} entries differ").format(got=2, total=3)
        '2 of 3 entries differ'
    """
    return translator(_language.get()).gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Choose the plural form for ``count`` in the current language and return it, translated.

    Ukrainian and Russian have three forms (1 перевірка, 2 перевірки, 5 перевірок), English
    two. Returns the form still to be formatted with ``count``; never raises::

        >>> ngettext("{n} check", "{n} checks", 5).format(n=5)
        '5 checks'
    """
    return translator(_language.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it; return it unchanged.

    For a constant defined once and translated with :func:`_` where it is shown (the
    language is chosen later, per run). Never raises::

        >>> HINT = N_("a missing factor 2?")
        >>> HINT
        'a missing factor 2?'
    """
    return message


_BLANK_LINES = re.compile(r"(\n[ \t]*\n)")


def paragraphs(text: str) -> list[str]:
    """The message ids of a long text translated paragraph by paragraph (a stub's docstring in
    a released notebook, :func:`translate_text`): its blocks between blank lines, each without
    the indent common to its lines. A change in one paragraph leaves the others translated::

        >>> paragraphs("One.\n\n    code()\n")
        ['One.', 'code()\n']
    """
    return [textwrap.dedent(block) for block in _BLANK_LINES.split(text)[::2] if block.strip()]


def translate_text(text: str) -> str:
    """``text`` with each of its :func:`paragraphs` translated with :func:`_` and indented as it
    was; blank lines, and every paragraph without a translation, stay as they are (in English,
    ``text`` itself). Never raises::

        >>> translate_text("One.\n\nTwo.")
        'One.\n\nTwo.'
    """
    pieces = _BLANK_LINES.split(text)
    for index in range(0, len(pieces), 2):
        block = pieces[index]
        if block.strip():
            message = textwrap.dedent(block)
            translated = _(message)
            if translated != message:  # the indent dedent took away, given back
                margin = min(len(line) - len(line.lstrip(" \t")) for line in block.splitlines() if line.strip())
                pieces[index] = textwrap.indent(translated, block.lstrip("\n")[:margin])
    return "".join(pieces)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _markdown_pieces(text: str) -> Iterator[tuple[str, bool]]:
    """``text`` (Markdown) cut into pieces that join back into it: each paragraph (lines
    between blank lines, without its line end) with ``True``; blank lines, line ends, indented
    code blocks and fenced ones (whole, blank lines inside them too) with ``False``."""
    paragraph: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        if fence is not None:  # inside a code block, up to the line that closes it
            yield line, False
            closing = line.strip()
            if closing.startswith(fence) and not closing.strip(fence[0]):  # CommonMark: as long or longer
                fence = None
            continue
        opening = _FENCE.match(line)
        if line.strip() and opening is None:
            paragraph.append(line)
            continue
        if paragraph:
            yield from _paragraph(paragraph)
            paragraph = []
        if opening is not None:
            fence = opening.group(1)
        yield line, False
    if paragraph:
        yield from _paragraph(paragraph)


def _paragraph(lines: list[str]) -> Iterator[tuple[str, bool]]:
    """A paragraph's text (a message, ``True``) and its line end; an indented code block (every
    line indented by 4 spaces or a tab, CommonMark) is code (``False``)."""
    joined = "".join(lines)
    text = joined.rstrip("\n")
    yield text, not all(line.startswith(("    ", "\t")) for line in lines)
    yield joined[len(text):], False


def markdown_paragraphs(text: str) -> list[str]:
    """The message ids of a Markdown text translated paragraph by paragraph (an assignment's
    ``README.md`` in the students' copy, :func:`translate_markdown`): its blocks of lines
    between blank lines, as written (a heading, a list, a table is one block); code blocks
    (fenced, or indented by 4 spaces) are code and stay as they are in every language::

        >>> markdown_paragraphs("# Title\n\nRun\n\n```\ngrader check x\n\n```\n- a\n- b\n")
        ['# Title', 'Run', '- a\n- b']
    """
    return [piece for piece, prose in _markdown_pieces(text) if prose]


def translate_markdown(text: str) -> str:
    """``text`` (Markdown) with each of its :func:`markdown_paragraphs` translated with :func:`_`;
    blank lines, code blocks and every paragraph without a translation stay as they are (in
    English, ``text`` itself). Never raises::

        >>> translate_markdown("# Title\n\n```\ncode\n```\n")
        '# Title\n\n```\ncode\n```\n'
    """
    return "".join(_(piece) if prose else piece for piece, prose in _markdown_pieces(text))
