"""Generate a realistic synthetic card library of N cards for benchmarks.

Usage: python bench/generate.py N OUT_DIR   (writes OUT_DIR/exam.yaml and the card files)

Cards mix basic and cloze cards, inline code, bold text, fenced code blocks, tables,
topic tags, sources, and a share of near-duplicate questions, spread over many service
files, like a library that holds several exams' worth of cards.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CARDS_PER_FILE = 400
NEAR_DUPLICATE_SHARE = 0.02
WORDS = (
    "queue topic stream shard partition key item table index bucket object policy role user group token "
    "function alias version layer runtime handler timeout memory concurrency throttle retry backoff jitter "
    "batch window visibility retention delivery ordering message attribute filter subscription endpoint "
    "stage deployment canary linear rollback hook artifact pipeline build cache header origin viewer "
    "metric alarm dashboard log insight trace segment annotation sampling rule event bus schedule target "
    "secret parameter rotation encryption envelope signature credential session federation scope claim "
    "capacity throughput latency quota limit region zone replica snapshot backup restore lifecycle expiry"
).split()
API_NAMES = ("SendMessage", "ReceiveMessage", "PutItem", "GetItem", "Query", "GenerateDataKey", "AssumeRole",
             "PublishVersion", "PutMetricData", "StartExecution", "BatchWriteItem", "DeleteMessage")
CLI_CALLS = ("aws s3 cp", "aws s3 presign", "aws sqs send-message", "aws lambda invoke", "aws sts get-caller-identity")
TOPICS = ("limits", "security", "scaling", "pricing", "api", "cli", "choice", "contrast", "errors", "monitoring")
DOMAINS = (("development", ("1.1", "1.2", "1.3")), ("security", ("2.1", "2.2", "2.3")),
           ("deployment", ("3.1", "3.2", "3.3")), ("troubleshooting", ("4.1", "4.2", "4.3")))
EXAM = Path(__file__).resolve().parent.parent / "cards" / "exam.yaml"


SYLLABLES = "ka lo mi ne ru sa ti vo ze pa de fi go hu ja".split()
# a realistic vocabulary: a few hundred frequent words and thousands of rare ones (Zipf-like)
VOCABULARY = list(WORDS) + sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES})
WEIGHTS = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(low, high)))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _card(rng: random.Random, slug: str, number: int, questions: list[str]) -> str:
    card_id = f"{slug}-card-{number:05d}"
    domain, tasks = rng.choice(DOMAINS)
    if questions and rng.random() < NEAR_DUPLICATE_SHARE:
        words = rng.choice(questions).split()
        position = rng.randrange(1, len(words) - 2)  # one word changed, never the code name
        words[position] = rng.choice([w for w in WORDS if w != words[position]])
        question = " ".join(words)
    else:
        question = f"Which {_sentence(rng, 6, 12)} uses `{rng.choice(API_NAMES)}`"
    questions.append(question)
    lines = [f"  - id: {card_id}"]
    if rng.random() < 0.3:
        lines.append(f"    cloze: {_quote(f'{question} with {{{{c1::{rng.choice(WORDS)}}}}} and **{{{{c2::{rng.choice(WORDS)}}}}}**.')}")
    else:
        lines.append(f"    front: {_quote(question + '?')}")
        kind = rng.random()
        if kind < 0.1:
            lines += ["    back: |", "      Run this:", "      ```bash", f"      {rng.choice(CLI_CALLS)} --{rng.choice(WORDS)} x",
                      "      ```"]
        elif kind < 0.15:
            lines += ["    back: |", "      | setting | value |", "      |---|---|",
                      f"      | {rng.choice(WORDS)} | {rng.randint(1, 900)} |", f"      | {rng.choice(WORDS)} | {rng.randint(1, 900)} |"]
        else:
            lines.append(f"    back: {_quote(f'**{rng.choice(WORDS)}** {_sentence(rng, 4, 16)} with `{rng.choice(API_NAMES)}`.')}")
    if rng.random() < 0.4:
        lines.append(f"    extra: {_quote(_sentence(rng, 8, 20) + '.')}")
    lines.append(f"    domain: {domain}")
    lines.append(f'    task: "{rng.choice(tasks)}"')
    lines.append(f"    tags: [{', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}]")
    lines.append(f"    source: https://docs.aws.amazon.com/{slug}/latest/guide/page-{number}.html")
    return "\n".join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = max(1, -(-count // CARDS_PER_FILE))
    slugs = [f"service-{i:03d}" for i in range(files)]
    exam = EXAM.read_text(encoding="utf-8").split("study_order:")[0]
    (out / "exam.yaml").write_text(exam + "study_order:\n" + "".join(f"  - {s}\n" for s in slugs), encoding="utf-8")
    paths, questions = [], []
    for index, slug in enumerate(slugs):
        in_file = min(CARDS_PER_FILE, count - index * CARDS_PER_FILE)
        body = "".join(_card(rng, slug, index * CARDS_PER_FILE + n, questions) for n in range(in_file))
        path = out / f"{slug}.yaml"
        path.write_text(f"service: Service {index}\nslug: {slug}\ndomain: development\noutside_guide: false\ncards:\n{body}", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
