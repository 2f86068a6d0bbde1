"""Measure awsdeck check and build against plain genanki, on synthetic libraries.

Usage: python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--work DIR]

For each size it generates a library (bench/generate.py), stamps its ledger, and times
whole processes (Python start-up included), reporting the median wall time of several
runs and the peak memory (max RSS) of the slowest-memory run:
- check and build with an empty cache (cold) and with a warm cache (build/.cache);
- a rebuild after editing one card file (warm cache, ledger re-stamped first);
- the baseline: bench/baseline.py, plain genanki writing the same notes, fields
  already rendered (one package holding every note).
It also times near-duplicate detection alone, in-process, to show how it scales.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

from awsdeck.duplicates import find_duplicates  # noqa: E402
from awsdeck.library import load_library  # noqa: E402
from awsdeck.package import deck_id, guid  # noqa: E402
from awsdeck.pipeline import check  # noqa: E402

AWSDECK = [sys.executable, "-m", "awsdeck"]


# A small, freshly started process runs each measured command, so that the peak memory
# it reports is the command's own, not inherited from this (large) benchmark process.
_RUNNER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one process."""
    output = subprocess.run([sys.executable, "-c", _RUNNER, *command], cwd=cwd, capture_output=True, text=True,
                            check=True).stdout.split()
    elapsed, peak_kib, code = float(output[0]), int(output[1]), int(output[2])
    if code != 0:
        raise SystemExit(f"failed: {' '.join(command)} in {cwd}")
    return elapsed, peak_kib // 1024


def measure(command: list[str], cwd: Path, runs: int, before=None) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(timed(command, cwd))
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def export_notes(cards: Path, out: Path) -> None:
    """The rendered notes, as the baseline script reads them (outside any timing)."""
    checked = check([cards])
    assert checked.library is not None and checked.ledger is not None
    exam = checked.library.exam
    decks: dict[str, list[dict]] = {}
    for rendered in checked.rendered:
        name = exam.deck_name(exam.domain(rendered.card.domain))
        decks.setdefault(name, []).append({"cloze": rendered.is_cloze, "fields": list(rendered.fields),
                                           "tags": list(rendered.tags), "guid": guid(rendered.card.id)})
    data = {"timestamp": checked.ledger.newest(),
            "decks": [{"id": deck_id(name), "name": name, "notes": notes} for name, notes in decks.items()]}
    out.write_text(json.dumps(data), encoding="utf-8")


def duplicate_seconds(cards: Path) -> float:
    library, _ = load_library([cards])
    assert library is not None
    start = time.perf_counter()
    find_duplicates(library.cards)
    return time.perf_counter() - start


def bench_size(size: int, runs: int, work: Path) -> dict[str, object]:
    root = work / f"lib-{size}"
    shutil.rmtree(root, ignore_errors=True)
    cards = root / "cards"
    paths = generate(size, cards)
    env_epoch = {"SOURCE_DATE_EPOCH": "1795910400"}
    subprocess.run([*AWSDECK, "lock"], cwd=root, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **env_epoch})
    cache = root / "build" / ".cache"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    result: dict[str, object] = {"cards": size}
    result["check cold"] = measure([*AWSDECK, "check"], root, runs, drop_cache)
    result["check warm"] = measure([*AWSDECK, "check"], root, runs)
    result["build cold"] = measure([*AWSDECK, "build"], root, runs, drop_cache)
    result["build warm"] = measure([*AWSDECK, "build"], root, runs)
    edited = paths[len(paths) // 2]
    original = edited.read_text(encoding="utf-8")

    def edit_one_file() -> None:
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("    front: \"Which", "    front: \"Which one", 1), encoding="utf-8")
        subprocess.run([*AWSDECK, "lock"], cwd=root, check=True, stdout=subprocess.DEVNULL)

    result["rebuild after editing one file"] = measure([*AWSDECK, "build"], root, runs, edit_one_file)
    edited.write_text(original, encoding="utf-8")
    subprocess.run([*AWSDECK, "lock"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    notes = root / "notes.json"
    export_notes(cards, notes)
    result["genanki baseline"] = measure([sys.executable, str(HERE / "baseline.py"), str(notes),
                                          str(root / "baseline.apkg")], root, runs)
    result["near-duplicate detection (in-process)"] = duplicate_seconds(cards)
    return result


def table(results: list[dict[str, object]]) -> str:
    rows = ["| cards | measure | wall (median) | x baseline | peak memory |", "|---:|---|---:|---:|---:|"]
    for result in results:
        baseline = result["genanki baseline"][0]  # type: ignore[index]
        for key, value in result.items():
            if key == "cards" or key.startswith("near"):
                continue
            seconds, memory = value  # type: ignore[misc]
            rows.append(f"| {result['cards']:,} | {key} | {seconds:.2f} s | {seconds / baseline:.2f} | {memory} MiB |")
    rows.append("")
    rows.append("| cards | near-duplicate detection | growth for 10x cards |")
    rows.append("|---:|---:|---:|")
    previous = None
    for result in results:
        seconds = result["near-duplicate detection (in-process)"]
        growth = f"{seconds / previous:.1f}x" if previous else "-"  # type: ignore[operator]
        rows.append(f"| {result['cards']:,} | {seconds:.2f} s | {growth} |")
        previous = seconds
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("build") / "bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [bench_size(int(size), args.runs, args.work.resolve()) for size in args.sizes.split(",")]
    print(table(results))


if __name__ == "__main__":
    main()
