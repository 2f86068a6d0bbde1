"""awsdeck: compile curated YAML cards for AWS certification exams into Anki decks."""

__version__ = "0.1.0"
