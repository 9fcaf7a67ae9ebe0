"""Sentences a Ukrainian or Russian student reads: the wording, not only the placeholders."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(("lang", "command"), [("en", "-m grader check activations"), ("uk", "-m grader check activations --lang uk"),
                                               ("ru", "-m grader check activations --lang ru")])
def test_a_released_notebooks_check_cell_speaks_the_notebooks_language(lang, command):
    """A notebook released in Ukrainian checks in Ukrainian even on a computer set to English;
    grading still recognizes the cell as the released one and leaves it out."""
    from grader.course import find_assignment
    from grader.release_notebook import check_cell, is_check_cell

    with i18n.use(lang):
        cell = check_cell(find_assignment("activations"))
    assert cell.endswith(command)
    assert is_check_cell(cell)
    assert not is_check_cell(cell.replace(command, command + " --lang de"))


def occurrences(lang: str, pattern: str) -> list[str]:
    """The stretches of a catalogue's translations around each match of ``pattern``."""
    found = []
    for text in translations(lang):
        found += [text[max(0, m.start() - 40):m.end() + 40] for m in re.finditer(pattern, text)]
    return found


@pytest.mark.parametrize(("lang", "other"), [("uk", r"перевіряльник|Перевіряльник"), ("ru", r"проверяющ|Проверяющ")])
def test_the_grader_has_one_name_the_readmes_name(lang, other):
    """The READMEs and the notebooks call the program "грейдер"; the feedback says the same (no
    "перевіряльник" / "проверяющая система" beside it), and the English name stays only in code:
    `grader`, grader check ..."""
    assert any("грейдер" in text for text in translations(lang))
    assert not occurrences(lang, other)
    assert not occurrences(lang, r"(?<![`\w.-])grader\b(?! check)")


@pytest.mark.parametrize(("lang", "against", "allowed"), [("uk", "проти", "градієнт"), ("ru", "против", "градиент")])
def test_a_check_compares_with_a_reference_it_is_not_against_it(lang, against, allowed):
    """"X against numerical derivatives" is "порівняно з" / "в сравнении с", as in the READMEs;
    "проти" / "против" is left to a step against the gradient."""
    assert not occurrences(lang, rf"\b{against} (?!{allowed})")


@pytest.mark.parametrize(("lang", "wrong"), [("uk", r"\b[Пп]ап(к|ц|ок)"), ("ru", r"\b([Кк]аталог|[Дд]иректори)")])
def test_a_folder_is_called_as_in_the_students_readme(lang, wrong):
    """A folder is "тека" in Ukrainian and "папка" in Russian, in every sentence."""
    assert not occurrences(lang, wrong)


@pytest.mark.parametrize(("lang", "wrong"), [("uk", r"[Пп]ублічн"), ("ru", r"[Пп]убличн")])
def test_public_checks_are_called_open_everywhere(lang, wrong):
    """The public checks are "відкриті" / "открытые" in the READMEs and in the console output."""
    assert not occurrences(lang, wrong)


def test_a_minibatch_is_named_as_a_batch_is():
    """Ukrainian says "батч" for a batch, so a minibatch is "мінібатч", never "мініпакет"."""
    assert occurrences("uk", "мінібатч")
    assert not occurrences("uk", "мініпакет")


@pytest.mark.parametrize(("lang", "word"), [("uk", "роботи"), ("ru", "работы")])
def test_check_helps_with_a_submission_named_as_elsewhere(lang, word):
    """`grader check --help` says "робота" / "работа" for a submission, as its errors do."""
    with i18n.use(lang):
        text = i18n._("self-check a submission with the public checks")
    assert word in text


@pytest.mark.parametrize(("lang", "wrong"), [("uk", r"[Сс]ередн\w+ функці\w+ втрат"), ("ru", r"[Сс]редн\w+ функци\w+ потерь")])
def test_a_mean_is_taken_of_the_losses_values_not_of_the_loss_function(lang, wrong):
    """"the mean loss" is the mean value of the loss function ("середнє значення функції втрат" /
    "среднее значение функции потерь"); a loss function is not averaged."""
    assert not occurrences(lang, wrong)


@pytest.mark.parametrize(("lang", "gendered"), [("uk", r"\b(вона|він|реалізована|реалізований)\b"),
                                                ("ru", r"\b(она|он|реализована|реализован)\b")])
@pytest.mark.parametrize("name", ["sigmoid", "Dense", "forward"])
def test_a_stub_is_not_implemented_whatever_its_grammatical_gender(lang, gendered, name):
    """A function, a class and a method are told the same sentence: it must not give "Dense" (a
    class, masculine) the feminine of "функція"."""
    with i18n.use(lang):
        text = i18n._("{function} is not implemented yet (it raises NotImplementedError)").format(function=name)
    assert text.startswith(name) and "NotImplementedError" in text
    assert not re.search(gendered, text)
