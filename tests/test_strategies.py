"""strategies.py: the reproducible hypothesis profile and the judge's strategies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from grader.judge.strategies import (
    EDGE_VALUES,
    PROFILE,
    edge_arrays,
    float_arrays,
    floats,
    profile_settings,
    register_profile,
)

# A copy of the profile for tests in this process: loading it here would change the
# settings of every other test in the session.
FAST = settings(**{**profile_settings(), "max_examples": 30})


def test_profile_is_registered_with_the_grader_settings():
    register_profile()
    profile = settings.get_profile(PROFILE)
    assert profile.derandomize is True
    assert profile.database is None
    assert profile.deadline is None
    assert profile.print_blob is False
    assert profile.report_multiple_bugs is False
    assert profile.max_examples == 50
    assert set(profile.suppress_health_check) >= {
        HealthCheck.too_slow, HealthCheck.data_too_large,
        HealthCheck.large_base_example, HealthCheck.filter_too_much,
    }
    assert tuple(profile.phases) == (Phase.explicit, Phase.generate)
    assert Phase.shrink not in profile.phases


def test_register_profile_is_idempotent():
    register_profile()
    first = settings.get_profile(PROFILE)
    register_profile()
    assert settings.get_profile(PROFILE) is first


_PROBE = """
import json
from hypothesis import settings
def summary():
    s = settings.default
    return {"max_examples": s.max_examples, "print_blob": s.print_blob,
            "derandomize": s.derandomize, "phases": [p.name for p in s.phases],
            "verbosity": s.verbosity.name}
import grader.judge.strategies as strategies
before = summary()                      # importing the module must not load the profile
returned = strategies.load_profile()
after = summary()
print(json.dumps({"before": before, "after": after, "same": returned == settings.default}))
"""


def test_explicit_load_wins_over_the_ci_profile():
    env = {**os.environ, "CI": "true"}
    run = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    result = json.loads(run.stdout)
    # hypothesis picked its "ci" profile by itself, and importing our module kept it:
    assert result["before"]["print_blob"] is True
    assert result["before"]["max_examples"] != 50
    # after the explicit load, ours is in effect:
    assert result["after"] == {
        "max_examples": 50, "print_blob": False, "derandomize": True,
        "phases": ["explicit", "generate"], "verbosity": "normal",
    }
    assert result["same"] is True


def test_derandomized_runs_draw_the_same_examples():
    def draw():
        seen = []

        @FAST
        @given(float_arrays())
        def record(array):
            seen.append(array.tobytes() + repr(array.shape).encode())

        record()
        return seen

    first = draw()
    assert len(first) > 1
    assert draw() == first


# --- strategies -----------------------------------------------------------------------------


@FAST
@given(floats(lo=-2.0, hi=3.0))
def test_floats_are_finite_normal_and_bounded(x):
    assert isinstance(x, float)
    assert -2.0 <= x <= 3.0
    assert x == 0.0 or abs(x) >= np.finfo(np.float64).tiny


@FAST
@given(float_arrays(min_dims=1, max_dims=3, min_side=2, max_side=4, lo=-5.0, hi=5.0))
def test_float_arrays_respect_their_bounds(array):
    assert array.dtype == np.float64
    assert 1 <= array.ndim <= 3
    assert all(2 <= side <= 4 for side in array.shape)
    assert np.all(np.isfinite(array))
    assert np.all((array >= -5.0) & (array <= 5.0))


@FAST
@given(float_arrays())
def test_float_arrays_defaults(array):
    assert array.ndim <= 2 and all(1 <= side <= 5 for side in array.shape)
    assert np.all(np.abs(array) <= 50.0)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: floats(lo=3.0, hi=1.0), "lo must be at most hi"),
        (lambda: floats(lo=float("nan")), "lo must be a finite number"),
        (lambda: floats(hi=float("inf")), "hi must be a finite number"),
        (lambda: floats(lo=True), "lo must be a finite number"),
        (lambda: floats(lo=1e-310), "lo must not be subnormal"),
        (lambda: float_arrays(min_dims=3, max_dims=2), "min_dims must be at most max_dims"),
        (lambda: float_arrays(max_dims=-1), "max_dims must be an int"),
        (lambda: float_arrays(min_side=6), "min_side must be at most max_side"),
        (lambda: float_arrays(max_side=2.5), "max_side must be an int"),
        (lambda: float_arrays(lo=1.0, hi=0.0), "lo must be at most hi"),
    ],
)
def test_invalid_arguments_fail_eagerly(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_edge_values():
    assert EDGE_VALUES == (0.0, 1.0, -1.0, 1000.0, -1000.0, 1e-8, -1e-8)
    assert isinstance(EDGE_VALUES, tuple)


def test_edge_arrays_are_fresh_and_cover_the_edges():
    arrays = edge_arrays()
    assert [a.ndim for a in arrays] == [1, 2, 0]
    np.testing.assert_array_equal(arrays[0], [0.0, 1.0, -1.0, 1000.0, -1000.0])
    assert set(arrays[1].ravel()) == set(EDGE_VALUES)
    assert all(a.dtype == np.float64 for a in arrays)
    arrays[0][:] = 7.0
    assert edge_arrays()[0][0] == 0.0  # callers cannot spoil each other's examples
