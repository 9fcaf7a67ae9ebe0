"""Sentences a Ukrainian or Russian student reads: the wording, not only the placeholders."""

from __future__ import annotations

import pytest

from grader import i18n
from grader.judge.compare import shape_mismatch

SET_BY = "the {gradient} that {call} of {layer} set"


@pytest.mark.parametrize(("lang", "has_shape", "wrong"), [
    ("uk", "dW (заданий backward(dout)) шару Dense(2, 3) має форму (3, 2), а очікувалася (2, 3)", "повертає"),
    ("ru", "dW (заданный backward(dout)) слоя Dense(2, 3) имеет форму (3, 2), а ожидалась (2, 3)", "возвращает"),
])
def test_a_gradient_set_by_backward_has_a_shape_it_does_not_return_one(lang, has_shape, wrong):
    with i18n.use(lang):
        what = i18n._(SET_BY).format(gradient="dW", call="backward(dout)", layer="Dense(2, 3)")
        message = shape_mismatch(what, (3, 2), (2, 3), hidden=False)
    assert message.startswith(has_shape)
    assert wrong not in message


@pytest.mark.parametrize(("lang", "term", "other"), [("uk", "стабільна", "стійка"), ("ru", "устойчива", "стабильна")])
def test_stable_is_the_notebooks_word(lang, term, other):
    """The checks call a stable sigmoid by the word the assignment's statement defines."""
    msgid = "sigmoid is stable: right for z = -1000 and 1000, without an overflow warning"
    with i18n.use(lang):
        text = i18n._(msgid)
    assert text != msgid and term in text and other not in text


def translations(lang: str) -> list[str]:
    """Every msgstr of a catalogue (the compiled one the grader reads)."""
    return [text for msgid, text in i18n.translator(lang)._catalog.items() if msgid and isinstance(text, str)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "word"), [("uk", "блокнот"), ("ru", "блокнот")])
def test_a_jupyter_notebook_is_called_as_in_the_students_readme(lang, word):
    """The README and the notebooks say "блокнот"; "ноутбук" (a laptop, too) is never used."""
    texts = translations(lang)
    assert any(word in text for text in texts)
    assert not [text for text in texts if "ноутбук" in text.lower()]


@pytest.mark.parametrize(("lang", "wrong"), [("uk", "не коректн"), ("ru", "не корректн")])
def test_incorrect_is_one_word(lang, wrong):
    """"некоректний" / "некорректный" is spelt as one word (no contrast follows)."""
    assert not [text for text in translations(lang) if wrong in text]
