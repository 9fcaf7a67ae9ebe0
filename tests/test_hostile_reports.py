"""What a submission with the grader's rights (isolation none, the portable sandbox) does to the
reports folder is undone once the batch ends: :class:`grader.report.ledger.Ledger`.

Each test plays the submission by hand between the grader's writes: a report rewritten, a
folder or a link where a later report goes, a stray file, the folder made unwritable. The
whole story, with a real hostile submission (``attacks_the_grader``) graded in none mode, is
in ``tests/test_hostile_unprivileged.py``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from grader.report.ledger import Ledger, file_digest
from grader.report.yaml_report import read_report, write_report

REPORT = {"assignment": "activations", "submission": "alice", "sha256": {}, "score": 3, "max_score": 36,
          "status": "graded", "tests": []}


def report_of(name: str, score: float = 3) -> dict:
    return dict(REPORT, submission=name, score=score)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "reports" / "activations"
    made.mkdir(parents=True)
    (made / "earlier.yaml").write_text("an earlier run's report\n")
    return made


def test_a_report_rewritten_after_the_grader_wrote_it_is_written_again(folder):
    ledger = Ledger.of([folder / "alice.yaml"])
    digest = write_report(report_of("alice"), folder / "alice.yaml")
    ledger.expect(folder / "alice.yaml", report_of("alice"), digest)
    (folder / "alice.yaml").write_text((folder / "alice.yaml").read_text().replace("score: 3", "score: 36"))
    done = ledger.settle(sweep=True)
    assert read_report(folder / "alice.yaml")["score"] == 3
    assert file_digest(folder / "alice.yaml") == digest
    assert any("written again" in line for line in done)


def test_an_untouched_report_is_left_as_it_is(folder):
    ledger = Ledger.of([folder / "alice.yaml"])
    digest = write_report(report_of("alice"), folder / "alice.yaml")
    ledger.expect(folder / "alice.yaml", report_of("alice"), digest)
    before = os.stat(folder / "alice.yaml")
    assert ledger.settle(sweep=True) == []
    assert os.stat(folder / "alice.yaml").st_ino == before.st_ino
    assert (folder / "earlier.yaml").read_text() == "an earlier run's report\n"


@pytest.mark.parametrize("squatter", ["folder", "link", "fifo"])
def test_whatever_squats_a_later_report_is_removed_and_the_report_written(folder, tmp_path, squatter):
    target = folder / "bob.yaml"
    ledger = Ledger.of([target])
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("not a report\n")
    if squatter == "folder":
        (target / "inside").mkdir(parents=True)
        (target / "inside").chmod(0)
    elif squatter == "link":
        target.symlink_to(elsewhere)
    else:
        os.mkfifo(target)
    ledger.expect(target, report_of("bob"), None)  # the worker could not write it
    ledger.settle(sweep=False)
    assert stat.S_ISREG(os.lstat(target).st_mode)
    assert read_report(target)["submission"] == "bob"
    assert elsewhere.read_text() == "not a report\n"  # a link's target is never written through


def test_a_stray_file_is_removed_only_when_a_submission_ran_unconfined(folder):
    ledger = Ledger.of([folder / "alice.yaml"])
    ledger.expect(folder / "alice.yaml", report_of("alice"), write_report(report_of("alice"), folder / "alice.yaml"))
    (folder / "zz-fake.yaml").write_text("score: 36\n")
    assert ledger.settle(sweep=False) == []
    assert (folder / "zz-fake.yaml").exists()
    done = ledger.settle(sweep=True)
    assert not (folder / "zz-fake.yaml").exists()
    assert (folder / "earlier.yaml").exists() and (folder / "alice.yaml").exists()
    assert any("zz-fake.yaml" in line and "removed" in line for line in done)


def test_an_earlier_report_changed_during_the_run_is_removed(folder):
    """Not the grader's any more, and not one it wrote in this run: the next run grades it again."""
    ledger = Ledger.of([folder / "alice.yaml"])
    (folder / "earlier.yaml").write_text("score: 36\n")
    ledger.settle(sweep=True)
    assert not (folder / "earlier.yaml").exists()


def test_a_folder_made_unwritable_is_made_writable_again(folder):
    ledger = Ledger.of([folder / "alice.yaml"])
    folder.chmod(0o555)
    ledger.expect(folder / "alice.yaml", report_of("alice"), None)
    ledger.settle(sweep=True)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o700 == 0o700
    assert read_report(folder / "alice.yaml")["submission"] == "alice"


def test_a_reports_folder_replaced_by_a_link_is_made_again(folder, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ledger = Ledger.of([folder / "alice.yaml"])
    moved = tmp_path / "moved"
    folder.rename(moved)
    folder.symlink_to(elsewhere)
    ledger.expect(folder / "alice.yaml", report_of("alice"), None)
    ledger.settle(sweep=True)
    assert not folder.is_symlink() and folder.is_dir()
    assert read_report(folder / "alice.yaml")["submission"] == "alice"
    assert list(elsewhere.iterdir()) == []

