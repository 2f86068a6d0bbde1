"""The benchmark scripts run (at a tiny size) so they cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run

BENCH = Path(__file__).parent.parent / "bench"
sys.path.insert(0, str(BENCH))
from generate import generate  # noqa: E402


def test_generated_library_checks_clean_of_errors(tmp_path: Path, monkeypatch) -> None:
    paths = generate(450, tmp_path / "cards")
    assert [p.name for p in paths] == ["service-000.yaml", "service-001.yaml"]
    monkeypatch.chdir(tmp_path)
    assert run("lock").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "checked 450 cards" in result.stderr


def test_bench_script_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "40", "--runs", "1", "--work",
                             str(tmp_path)], capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    for measure in ("check cold", "check warm", "build cold", "build warm", "rebuild after editing one file",
                    "genanki baseline"):
        assert any(f"| 40 | {measure} |" in line for line in lines), result.stdout
    assert any(line.startswith("| 40 | ") and line.endswith(" | - |") for line in lines)
