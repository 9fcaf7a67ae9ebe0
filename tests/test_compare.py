"""compare.py: lenient reading of student results and feedback on mismatches."""

from __future__ import annotations

import numpy as np
import pytest

from grader.judge.checks import CheckFailure
from grader.judge.compare import (
    as_array,
    as_scalar,
    expect_close,
    format_array,
    format_number,
    format_pair,
    ratio_hint,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def failure(function, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as caught:
        function(*args, **kwargs)
    return str(caught.value)


# --- as_array -------------------------------------------------------------------------------


def test_lists_ints_and_bools_are_read_as_float64():
    array = as_array([[1, 2, 3], [4, 5, 6]], what="f(x)", shape=(2, 3))
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert as_array([True, False], what="f(x)").tolist() == [1.0, 0.0]
    assert as_array(np.array([1, 2], dtype=np.int32), what="f(x)").dtype == np.float64


def test_list_of_arrays_and_tuples_are_accepted():
    array = as_array([np.array([1.0, 2.0]), (3, 4)], what="f(x)", shape=(2, 2))
    np.testing.assert_array_equal(array, [[1.0, 2.0], [3.0, 4.0]])


def test_python_float_and_0d_array_are_both_scalars():
    assert as_array(0.5, what="f(x)", shape=()).shape == ()
    assert as_array(np.array(0.5), what="f(x)", shape=()).shape == ()
    assert as_array(np.float32(0.5), what="f(x)", shape=()) == 0.5


def test_none_says_return_statement():
    assert failure(as_array, None, what="sigmoid(z)") == (
        "sigmoid(z) returned None: did you forget a return statement?"
    )


def test_ragged_list_names_the_row_lengths():
    msg = failure(as_array, [[1, 2, 3], [4, 5]], what="sigmoid(z)")
    assert msg == "sigmoid(z) returned a ragged list (rows of lengths 3 and 2)"


def test_ragged_deeper_and_mixed_lists():
    msg = failure(as_array, [[[1, 2], [3, 4]], [[1, 2], [3]]], what="f(x)")
    assert "ragged list (rows of lengths 2 and 1)" in msg
    assert "mixes numbers and lists" in failure(as_array, [1.0, [2.0, 3.0]], what="f(x)")
    assert "a list containing None" in failure(as_array, [1.0, None], what="f(x)")


def test_str_dict_and_object_are_rejected_by_kind():
    assert failure(as_array, "0.5", what="sigmoid(z)").startswith("sigmoid(z) returned a str")
    assert "returned a dict" in failure(as_array, {"a": 1}, what="f(x)")
    assert "returned a set" in failure(as_array, {1.0}, what="f(x)")
    assert "strings" in failure(as_array, np.array(["a", "b"]), what="f(x)")


def test_complex_only_with_zero_imaginary_part():
    assert as_array(np.array([1 + 0j, 2 + 0j]), what="f(x)").tolist() == [1.0, 2.0]
    assert "complex" in failure(as_array, np.array([1 + 1j]), what="f(x)")
    assert "complex" in failure(as_array, [1.0, 2j], what="f(x)")


def test_huge_python_int_is_a_clear_failure():
    assert "too large" in failure(as_array, [10**400, 1], what="f(x)")


def test_transposed_shape():
    msg = failure(as_array, np.zeros((2, 3)), what="sigmoid(z)", shape=(3, 2))
    assert msg == "sigmoid(z) returned shape (2, 3), expected (3, 2): transposed?"


def test_missing_and_extra_dimension():
    missing = failure(as_array, np.zeros(3), what="f(x)", shape=(3, 1))
    assert missing == "f(x) returned shape (3,), expected (3, 1): a missing dimension?"
    extra = failure(as_array, np.zeros((3, 1)), what="f(x)", shape=(3,))
    assert extra == "f(x) returned shape (3, 1), expected (3,): an extra dimension?"
    assert "transposed" not in extra and "transposed" not in missing


def test_other_shape_mismatch_has_no_guess():
    msg = failure(as_array, np.zeros((2, 2)), what="f(x)", shape=(3, 2))
    assert msg == "f(x) returned shape (2, 2), expected (3, 2)"


def test_invalid_arguments_are_value_errors():
    with pytest.raises(ValueError, match="what"):
        as_array([1.0], what="")
    with pytest.raises(ValueError, match="shape"):
        as_array([1.0], what="f(x)", shape=[1])


# --- as_scalar ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.25, np.float64(0.25), np.array(0.25), np.float32(0.25)])
def test_as_scalar_accepts_numbers_and_0d(value):
    assert as_scalar(value, what="loss(X, y)") == 0.25
    assert isinstance(as_scalar(value, what="loss(X, y)"), float)


def test_as_scalar_accepts_ints():
    assert as_scalar(3, what="loss(X, y)") == 3.0


def test_as_scalar_rejects_one_element_array():
    msg = failure(as_scalar, np.array([0.25]), what="loss(X, y)")
    assert msg.startswith("loss(X, y) returned shape (1,), expected a single number")
    assert "extra dimension" in msg and ".item()" in msg
    assert "single number" in failure(as_scalar, [0.25, 0.5], what="loss(X, y)")


# --- formatting -----------------------------------------------------------------------------


def test_format_number_four_significant_digits():
    assert format_number(0.310987) == "0.311"
    assert format_number(0.6225459) == "0.6225"
    assert format_number(2.0) == "2.0"
    assert format_number(-1000.0) == "-1000.0"
    assert format_number(123456.0) == "1.235e+05"
    assert format_number(float("nan")) == "nan"
    assert format_number(3) == "3"


def test_format_pair_adds_digits_until_the_values_differ():
    assert format_pair(0.31, 0.62) == ("0.31", "0.62")
    mine, theirs = format_pair(0.2689414, 0.2689441)
    assert mine != theirs


def test_format_array_full_up_to_50_then_truncated():
    assert format_array(np.array([-1.0, 0.5, 2.0])) == "[-1.0, 0.5, 2.0]"
    assert format_array(np.arange(4.0).reshape(2, 2)) == "[[0.0, 1.0], [2.0, 3.0]]"
    assert format_array(np.array(1.5)) == "1.5"
    assert format_array(np.array([0, 2, 1])) == "[0, 2, 1]"
    assert "..." not in format_array(np.arange(50.0))
    long = format_array(np.arange(51.0))
    assert long == "[0.0, 1.0, 2.0, ..., 48.0, 49.0, 50.0] (shape (51,))"


# --- ratio_hint -----------------------------------------------------------------------------


def test_ratio_hints():
    x = np.array([0.3, -1.2, 2.5])
    assert ratio_hint(2 * x, x) == "yours is about 2 times the right value: an extra factor 2?"
    assert ratio_hint(x / 2, x) == "yours is about 1/2 of the right value: a missing factor 2?"
    assert ratio_hint(-x, x) == "the sign is flipped: a sign error?"
    assert ratio_hint(5 * x, x, n=5) == "yours is about n times the right value (n, the batch size): a missing 1/n?"
    assert ratio_hint(5 * x, x) == "yours is about 5 times the right value: an extra factor 5?"
    assert ratio_hint(x / 5, x, n=5) == "yours is about 1/n of the right value (n, the batch size): an extra 1/n?"
    assert ratio_hint(-3 * x, x).endswith("an extra factor 3? (and the sign is flipped)")
    assert ratio_hint(x * np.array([2.0, 3.0, 2.0]), x) is None
    assert ratio_hint(x * 1.7, x) is None
    assert ratio_hint(x * (1 + 1e-5), x).startswith("close, but not within the tolerance")


def test_ratio_hint_validates_n():
    with pytest.raises(ValueError, match="n must be a positive int"):
        ratio_hint([1.0], [1.0], n=0)


# --- expect_close ---------------------------------------------------------------------------

Z = np.array([[-1.0, 0.5, 2.0], [3.0, -2.0, 0.25]])


def test_matching_values_pass_including_lists():
    expect_close(sigmoid(Z).tolist(), sigmoid(Z), what="sigmoid(z)", public=False)
    expect_close(sigmoid(Z) * (1 + 1e-8), sigmoid(Z), what="sigmoid(z)", public=True)
    expect_close(np.array(0.5), 0.5, what="f(x)", public=False)
    expect_close(0.5, np.array(0.5), what="f(x)", public=False)


def test_shape_is_checked_before_values():
    msg = failure(expect_close, sigmoid(Z).T, sigmoid(Z), what="sigmoid(z)", public=False)
    assert msg == "sigmoid(z) returned shape (3, 2), expected (2, 3): transposed?"


def test_public_message_shows_inputs_entries_and_hint():
    msg = failure(
        expect_close, sigmoid(Z) / 2, sigmoid(Z), what="sigmoid(z)", public=True, inputs={"z": Z}
    )
    assert msg.startswith(
        "sigmoid(z) with z=[[-1.0, 0.5, 2.0], [3.0, -2.0, 0.25]]: 6 of 6 entries differ."
    )
    assert "[0, 1]: yours 0.3112, expected 0.6225" in msg
    assert msg.count(", expected") == 5  # at most five entries listed
    assert "... and 1 more" in msg
    assert "Hint: yours is about 1/2 of the right value: a missing factor 2?" in msg


def test_public_scalar_message():
    msg = failure(
        expect_close, 0.62, 0.31, what="loss(X, y)", public=True, inputs={"y": np.array([0, 1])}
    )
    assert msg == (
        "loss(X, y) with y=[0, 1]: yours 0.62, expected 0.31.\nHint: yours is about 2 times the right value: an extra factor 2?"
    )


def test_hidden_message_reveals_neither_expected_values_nor_inputs():
    expected = np.array([[0.62, 0.17, 0.93], [0.41, 0.77, 0.58]])
    got = expected.copy()
    got[0, 1] = 0.31
    msg = failure(expect_close, got, expected, what="f(x)", public=False, inputs={"x": Z})
    assert msg == "f(x) on a hidden test: 1 entry differs."
    assert "0.31" not in msg  # not even the student's own value: a submission can return its input
    assert "0.17" not in msg
    for value in expected.ravel():
        assert format_number(value) not in msg
    assert "-2.0" not in msg and "3.0" not in msg and "x=" not in msg  # no inputs


def test_hidden_hints_do_not_reveal_the_expected_numbers():
    expected = sigmoid(Z)
    for got, hint in [
        (2 * expected, "an extra factor 2?"),
        (expected / 2, "a missing factor 2?"),
        (-expected, "the sign is flipped"),
        (expected / 30, "yours is a constant fraction of the right value: a missing factor?"),  # 1/30: eps=0.3?
        (7 * expected, "yours is a constant multiple of the right value: an extra factor?"),
    ]:
        msg = failure(expect_close, got, expected, what="sigmoid(z)", public=False)
        assert hint in msg
        assert "expected" not in msg and "30" not in msg and "7" not in msg
        for value in np.concatenate([expected.ravel(), got.ravel()]):
            assert format_number(value) not in msg


def test_hidden_scalar_message():
    msg = failure(expect_close, 0.62, 0.31, what="loss(X, y)", public=False)
    assert "about 2 times" in msg
    assert "0.31" not in msg and "0.62" not in msg


def test_constant_offset_hint_hides_the_constant_when_hidden():
    expected = np.array([1.0, 2.0, 4.0, 7.0])
    hidden = failure(expect_close, expected + 0.125, expected, what="f(x)", public=False)
    assert "off by a constant" in hidden and "0.125" not in hidden
    public = failure(expect_close, expected + 0.125, expected, what="f(x)", public=True)
    assert "off by a constant (0.125)" in public


def test_nan_hint():
    z = np.array([-3.0, 0.0, 1000.0])
    with np.errstate(over="ignore", invalid="ignore"):
        got = np.exp(z) / (1.0 + np.exp(z))  # inf / inf at 1000
    assert np.isnan(got[2]) and np.all(np.isfinite(got[:2]))
    msg = failure(expect_close, got, sigmoid(z), what="sigmoid(z)", public=False, aligned=z)
    assert "1 entry differs." in msg
    assert "yours has nan where the right value is finite: an overflow? (e.g. exp of a large number)" in msg
    assert "wrong only where the input is large and positive (above 20.0)" in msg


def test_inf_hint():
    msg = failure(expect_close, [np.inf, 1.0], [1.0, 1.0], what="f(x)", public=False)
    assert "yours has inf where the right value is finite" in msg
    assert "overflow" not in msg  # nothing says the input was large: no guess of exp


def test_only_where_negative_hint():
    z = np.array([-2.0, -0.5, 0.5, 3.0])
    got = np.where(z < 0, 2 * z, z)  # a leaky ReLU with the wrong slope
    expected = np.where(z < 0, 0.01 * z, z)
    msg = failure(expect_close, got, expected, what="leaky_relu(z)", public=False, aligned=z)
    assert "wrong only where the input is negative" in msg
    assert "positive" not in msg


def test_only_where_positive_and_exactly_zero_hints():
    z = np.array([-2.0, 0.0, 0.5, 3.0])
    relu = np.maximum(z, 0)
    got = np.where(z > 0, 1.0, relu)
    msg = failure(expect_close, got, relu, what="relu(z)", public=False, aligned=z)
    assert "wrong only where the input is positive" in msg
    at_zero = relu.copy()
    at_zero[1] = 1.0
    msg = failure(expect_close, at_zero, relu, what="relu(z)", public=False, aligned=z)
    assert "wrong only where the input is exactly 0" in msg


def test_large_input_hint():
    z = np.array([-30.0, -1.0, 0.0, 1.0, 30.0])
    got = sigmoid(z)
    got[[0, 4]] = 0.5
    msg = failure(expect_close, got, sigmoid(z), what="sigmoid(z)", public=False, aligned=z)
    assert "wrong only for large |input| (above 20.0)" in msg


def test_no_location_hint_when_everything_is_wrong():
    z = np.array([-1.0, -2.0])
    msg = failure(expect_close, [5.0, 7.0], [1.0, 2.0], what="f(x)", public=False, aligned=z)
    assert "wrong only" not in msg


def test_large_inputs_truncated_in_public_messages():
    x = np.arange(200.0)
    msg = failure(expect_close, 1.0, 2.0, what="f(x)", public=True, inputs={"x": x})
    assert "..." in msg and "(shape (200,))" in msg and "150.0" not in msg


def test_expect_close_validates_its_arguments():
    with pytest.raises(ValueError, match="public"):
        expect_close(1.0, 1.0, what="f(x)", public="yes")
    with pytest.raises(ValueError, match="rtol"):
        expect_close(1.0, 1.0, what="f(x)", public=True, rtol=-1.0)
    with pytest.raises(ValueError, match="aligned"):
        expect_close([1.0, 2.0], [1.0, 2.0], what="f(x)", public=True, aligned=np.zeros(3))
    with pytest.raises(ValueError, match="inputs"):
        expect_close(1.0, 1.0, what="f(x)", public=True, inputs={1: 2})
