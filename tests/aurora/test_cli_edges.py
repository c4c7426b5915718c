"""The CLI edge table (bench.cli_edges) in-process: every refused command line is one 'error CODE:' line with
exit 2 and no traceback, found before any model is loaded or any file written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aurora import cli
from bench.cli_edges import CASES, Case, prepare

REFUSED = [c for c in CASES if c.exit_code == 2]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_refused_command_lines(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())

    def no_render(**_: object) -> object:
        raise AssertionError("rendered despite a refused setting or path")

    monkeypatch.setattr("aurora.generation.generate", no_render)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in case.argv]
    try:
        status = cli.main(argv)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error ")]
    assert len(errors) == 1 and errors[0].startswith(f"error {case.code}: "), err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, nothing half-written
    assert (tmp_path / "existing.wav").read_bytes() == b"keep me"


def test_atomic_writes_leave_nothing_half_written(tmp_path: Path) -> None:
    target = tmp_path / "a.wav"
    with pytest.raises(OSError):  # the second file's folder is missing: neither file appears
        cli.write_atomically([(target, b"audio"), (tmp_path / "gone" / "b.mid", b"midi")])
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    cli.write_atomically([(target, b"new"), (tmp_path / "b.mid", b"midi")])
    assert target.read_bytes() == b"new" and (tmp_path / "b.mid").read_bytes() == b"midi"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_output_paths_checked_with_force(tmp_path: Path) -> None:
    prepare(tmp_path)
    existing = str(tmp_path / "existing.wav")
    with pytest.raises(cli.OutputPathError, match="--force"):
        cli.check_output_paths([existing], force=False)
    assert cli.check_output_paths([existing, None], force=True) == [Path(existing)]
