"""Validate one card file (cards/<slug>.yaml) against the card format and the exam."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from .cloze import cloze_problems
from .exam import EXAM_FILE, KEY_PATTERN
from .fields import MappingReader, describe, suggest
from .markdown import Analysis, analyse, known_language
from .model import Card, CardFile, Exam
from .problems import Location, Problem, error, has_errors, warning
from .yamltree import Mapping, load_file

FILE_KEYS = ("service", "slug", "domain", "outside_guide", "cards")
CARD_KEYS = ("id", "front", "back", "cloze", "extra", "domain", "task", "outside_guide", "tags", "source", "similar_to",
             "allow_names")
MARKDOWN_KEYS = ("front", "back", "cloze", "extra")
_HOST = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?$")
_LINK_SCHEMES = ("https", "http", "mailto")
_MATHJAX_HTML = re.compile(r"\\(href|style|class|cssId)(?![A-Za-z])")
_SCRIPT = re.compile(r"javascript\s*:", re.I)
PHONE_WORDS = 25  # the longest answer (`back`) a phone shows at a glance
_BLOCKS = MarkdownIt("commonmark").enable("table")


def load_card_file(path: Path, display: str, exam: Exam) -> tuple[CardFile | None, list[Problem]]:
    root, problems = load_file(path, display)
    if root is None:
        if not problems:
            problems.append(error(Location(display), "the file is empty; a card file needs the keys "
                                  f"{', '.join(FILE_KEYS)}", "empty"))
        return None, problems
    if not isinstance(root, Mapping):
        where = root.location
        problems.append(error(where, f"a card file must be a mapping with keys {', '.join(FILE_KEYS)}, "
                              f"got {describe(root)}", "type"))
        return None, problems
    reader = MappingReader(root, "the card file", FILE_KEYS, problems)
    service = reader.text("service", required=True)
    slug = reader.text("slug", required=True)
    if not KEY_PATTERN.match(path.stem):
        problems.append(error(Location(display), f"the file name '{path.name}' is not a kebab-case slug; rename it to "
                              "lower-case words joined by '-', such as 'step-functions.yaml'", "slug"))
        slug = None
    elif slug is not None and slug != path.stem:
        problems.append(error(reader.value_location("slug"), f"slug '{slug}' must equal the file name '{path.stem}'; "
                              "rename one of them", "slug"))
    domain = _domain(reader, exam, problems, required=True)
    outside_guide = reader.boolean("outside_guide")
    if outside_guide is None and slug is not None and slug not in exam.services and not reader.has("outside_guide"):
        problems.append(error(reader.node.location, f"the {exam.code} guide does not list '{slug}' among its services: "
                              "add `outside_guide: true` when no task of the guide needs these cards (they go to the "
                              "outside deck), or `outside_guide: false` when they serve its tasks", "outside-guide"))
    items = reader.sequence("cards", required=True)
    cards: list[Card] = []
    if items is not None:
        if not items.items:
            problems.append(error(items.location, "'cards' is empty; add at least one card", "empty"))
        for item in items.items:
            if not isinstance(item, Mapping):
                problems.append(error(item.location, "each card must be a mapping (id, front, back …), "
                                      f"got {describe(item)}", "type"))
                continue
            card = _card(item, service or "", slug or path.stem, domain, bool(outside_guide), exam, problems)
            if card is not None:
                cards.append(card)
    if service is None or slug is None or domain is None:
        return None, problems
    return CardFile(display, service, slug, tuple(cards)), problems


def _domain(reader: MappingReader, exam: Exam, problems: list[Problem], required: bool) -> str | None:
    key = reader.text("domain", required=required)
    if key is None or exam.domain(key) is not None:
        return key
    keys = [d.key for d in exam.domains]
    problems.append(error(reader.value_location("domain"), f"unknown domain '{key}'{suggest(key, keys)}; use one of: "
                          f"{', '.join(keys)}", "domain"))
    return None


def _card(node: Mapping, service: str, slug: str, file_domain: str | None, file_outside: bool, exam: Exam,
          problems: list[Problem]) -> Card | None:
    before = len(problems)
    reader = MappingReader(node, "a card", CARD_KEYS, problems)
    card_id = reader.text("id", required=True)
    if card_id is not None and not KEY_PATTERN.match(card_id):
        problems.append(error(reader.value_location("id"), f"id '{card_id}' must be kebab-case "
                              "(lower-case words joined by '-')", "id"))
    elif card_id is not None and not card_id.startswith(f"{slug}-"):
        problems.append(error(reader.value_location("id"), f"id '{card_id}' must start with the file's slug: "
                              f"'{slug}-…' (ids are forever, so a wrong prefix cannot be fixed once locked)", "id"))
    fields = {key: reader.text(key) for key in MARKDOWN_KEYS}
    _check_kind(reader, fields, problems)
    for key, text in fields.items():
        if text is not None:
            _check_markdown(key, text, reader.value_location(key), problems)
    if fields["back"] is not None and not reader.has("cloze"):
        _check_length(fields["back"], reader.value_location("back"), problems)
    domain = _domain(reader, exam, problems, required=False) if reader.has("domain") else file_domain
    task = _task(reader, domain, exam, problems)
    outside_guide = reader.boolean("outside_guide")
    outside_guide = file_outside if outside_guide is None else outside_guide
    if outside_guide and task is not None:
        problems.append(error(reader.value_location("task"), f"card '{card_id}' is outside the exam guide, so it serves "
                              "no task: remove 'task', or set `outside_guide: false` on the card", "outside-guide"))
    elif not outside_guide and not reader.has("task"):
        problems.append(error(node.location, f"card '{card_id}' is missing the required key 'task' (the {exam.code} task "
                              "whose skills it serves); mark it `outside_guide: true` if no task needs it",
                              "missing-key"))
    tags = _tags(reader, exam, problems)
    sources = _sources(reader, problems)
    if not sources and not reader.has("source"):
        problems.append(error(node.location, f"card '{card_id}' is missing the required key 'source': add the https:// "
                              "page of AWS documentation that supports its fact (a list if it needs two)",
                              "missing-key"))
    elif not sources and not has_errors(problems[before:]):
        problems.append(error(reader.value_location("source"), f"card '{card_id}' has an empty 'source': give the "
                              "https:// page that supports its fact", "missing-key"))
    similar_to = tuple(value for value, _ in reader.texts("similar_to"))
    allow_names = tuple(value for value, _ in reader.texts("allow_names"))
    if has_errors(problems[before:]) or card_id is None or domain is None:
        return None
    return Card(
        id=card_id,
        service=service,
        slug=slug,
        domain=domain,
        front=fields["front"],
        back=fields["back"],
        cloze=fields["cloze"],
        extra=fields["extra"] or "",
        task=task,
        tags=tags,
        outside_guide=outside_guide,
        sources=sources,
        similar_to=similar_to,
        allow_names=allow_names,
        location=node.location,
        field_locations={key: entry.value.location for key, entry in node.entries.items()},
    )


def _check_kind(reader: MappingReader, fields: dict[str, str | None], problems: list[Problem]) -> None:
    """A card is basic (front + back) or cloze (cloze alone)."""
    present = {key for key in ("front", "back", "cloze") if reader.has(key)}
    if "cloze" in present:
        for key in sorted(present - {"cloze"}):
            problems.append(error(reader.value_location(key), f"a cloze card has no '{key}'; put the whole sentence in "
                                  "'cloze' or make it a basic card", "kind"))
        if fields["cloze"] is not None:
            for message in cloze_problems(fields["cloze"]):
                problems.append(error(reader.value_location("cloze"), message, "cloze"))
    elif not present:
        reader.missing("front", " (a basic card needs 'front' and 'back'; a cloze card needs 'cloze')")
    else:
        for key in sorted({"front", "back"} - present):
            reader.missing(key, " (a basic card needs both 'front' and 'back')")


def _check_markdown(key: str, text: str, where: Location, problems: list[Problem]) -> None:
    analysis = analyse(text)
    for snippet in analysis.raw_html[:1]:
        shown = snippet if len(snippet) <= 30 else snippet[:30] + "…"
        problems.append(error(where, f"raw HTML '{shown}' in '{key}'; write Markdown instead (`code`, **bold**, "
                              "lists), or put a literal '<' in backticks", "html"))
    for language in analysis.fence_languages:
        if not known_language(language):
            problems.append(error(where, f"unknown code block language '{language}' in '{key}'; use a Pygments "
                                  "name such as json, yaml, python, bash", "language"))
    problems += [error(where, message, code) for code, message in _active_content(key, text, analysis)]


def _active_content(key: str, text: str, analysis: Analysis) -> list[tuple[str, str]]:
    """What would load, link or run something from a learner's Anki: images, odd links, MathJax HTML, scripts;
    as (code, message)."""
    found = [("image", f"image '{_excerpt(url)}' in '{key}': cards show no images (a remote one loads on every "
              "review, a local one is not in the deck); describe it in words") for url in analysis.images[:1]]
    found += [("link", f"link '{_excerpt(url)}' in '{key}' must be an https://, http:// or mailto: address")
              for url in analysis.links if urlsplit(url).scheme.lower() not in _LINK_SCHEMES]
    found += [("html", f"MathJax '\\{command}' in '{key}' adds links or HTML to the card; remove it (a link belongs "
               "in Markdown: [text](https://…))") for command in dict.fromkeys(_MATHJAX_HTML.findall(text))]
    if _SCRIPT.search(text):
        found.append(("script", f"'javascript:' in '{key}': cards run no scripts; remove it"))
    return found


def _check_length(back: str, where: Location, problems: list[Problem]) -> None:
    if len(back.split()) <= PHONE_WORDS:  # leaving out code and tables only lowers the count
        return
    words = _prose_words(back)
    if words > PHONE_WORDS:
        problems.append(warning(where, f"the answer has {words} words; keep 'back' to {PHONE_WORDS} words or fewer so "
                                "it reads on a phone, and move the rest to 'extra'", "length"))


def _prose_words(text: str) -> int:
    """The words of a field outside fenced code blocks and tables, which a phone shows apart
    (a word: anything between spaces holding a letter or digit; Markdown markup and link addresses left out)."""
    words, in_table = 0, False
    for token in _BLOCKS.parse(text):
        if token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type == "inline" and not in_table:
            shown = "".join(" " if child.type.endswith("break") else child.content for child in token.children or ()
                            if child.type in ("text", "code_inline", "softbreak", "hardbreak"))
            words += sum(any(char.isalnum() for char in word) for word in shown.split())
    return words


def _excerpt(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _task(reader: MappingReader, domain: str | None, exam: Exam, problems: list[Problem]) -> str | None:
    entry = reader.node.entries.get("task")
    if entry is None:
        return None
    where = entry.value.location
    value = getattr(entry.value, "value", None)
    if isinstance(value, float):
        problems.append(error(where, f"task must be quoted text such as \"{value}\", got a number", "task"))
        return None
    task = reader.text("task")
    if task is None:
        return None
    owner = exam.task_domain(task)
    if owner is None:
        known = [t for d in exam.domains for t in d.tasks]
        problems.append(error(where, f"unknown task '{task}'{suggest(task, known)}; {exam.code} has tasks "
                              f"{', '.join(known)}", "task"))
        return None
    if domain is not None and owner.key != domain:
        problems.append(error(where, f"task {task} belongs to domain '{owner.key}', not to this card's domain "
                              f"'{domain}'; change the task or the card's domain", "task"))
        return None
    return task


def _tags(reader: MappingReader, exam: Exam, problems: list[Problem]) -> tuple[str, ...]:
    """Topic tags from the vocabulary of exam.yaml, so that a learner's tag filter finds every card."""
    tags: list[str] = []
    for tag, where in reader.texts("tags"):
        if not KEY_PATTERN.match(tag):
            problems.append(error(where, f"tag '{tag}' must be kebab-case (lower-case words joined by '-')", "topic"))
        elif tag not in exam.topics:
            problems.append(error(where, f"unknown topic tag '{tag}'{suggest(tag, exam.topics)}; use a topic of "
                                  f"`topics` in {EXAM_FILE} ({', '.join(exam.topics)}), or add one there", "topic"))
        elif tag in tags:
            problems.append(error(where, f"tag '{tag}' is listed twice", "topic"))
        else:
            tags.append(tag)
    return tuple(tags)


def _sources(reader: MappingReader, problems: list[Problem]) -> tuple[str, ...]:
    sources: list[str] = []
    for url, where in reader.texts("source", single_allowed=True):
        parts = urlsplit(url.strip())
        if parts.scheme != "https" or not _HOST.match(parts.netloc) or any(c.isspace() for c in url.strip()):
            problems.append(error(where, f"source '{url}' is not a valid https:// URL", "url"))
        else:
            sources.append(url.strip())
    return tuple(sources)
