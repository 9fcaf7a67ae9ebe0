"""Gradescope's run_autograder when the grader cannot even start: a results.json all the same,
valid JSON, in the language the autograder was packaged for."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from grader.platforms import gradescope

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="run_autograder is a bash script")


def run_without_grader(tmp_path: Path, lang: str) -> dict:
    """Package activations in ``lang``, then run its run_autograder where setup.sh never ran."""
    zipped = tmp_path / "autograder.zip"
    gradescope.build_autograder("activations", zipped, lang=lang)
    root = tmp_path / "root"
    (root / "submission").mkdir(parents=True)
    with zipfile.ZipFile(zipped) as archive:
        script = archive.read("run_autograder").decode()
    (root / "run_autograder").write_text(script, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "The autograder failed before grading (exit code 127): please tell the course staff."),
    ("uk", "Автогрейдер зупинився ще до оцінювання (код виходу 127)"),
    ("ru", "Автогрейдер остановился ещё до оценивания (код выхода 127)"),
])
def test_a_grader_that_cannot_start_still_says_so_in_the_language(tmp_path, lang, words):
    results = run_without_grader(tmp_path, lang)
    assert results["score"] == 0 and results["tests"] == []
    assert words in results["output"]


def test_the_message_survives_printf_and_the_shells_quotes(tmp_path):
    """An apostrophe, a percent sign, double quotes and a backslash reach results.json unchanged."""
    message = 'комп\'ютер: 100% "зупинився" \\ (exit code {code})'
    inside = gradescope._printf_json(message, "en")
    script = f"printf '{{\"output\": \"{inside}\"}}\\n' 3"
    done = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60, check=True)
    assert json.loads(done.stdout.decode())["output"] == message.replace("{code}", "3")
