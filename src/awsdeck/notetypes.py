"""The two Anki note types, with ids that never change.

Anki matches note types by id and their fields and templates by name (or by the ids
set here). Adding, removing, renaming or reordering a field or template forks the note
type into a "+" copy on learners' machines and strands their notes, so the field and
template lists are frozen (see notetypes.lock.json and README). CSS and template HTML
may change freely.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import code_css

BASIC_MODEL_ID = 1731958301
CLOZE_MODEL_ID = 1731958302

BASIC_FIELDS = ("Front", "Back", "Extra", "Source", "Service", "Id")
CLOZE_FIELDS = ("Text", "Extra", "Source", "Service", "Id")

_FIELD_IDS = {"Front": 1731958311, "Back": 1731958312, "Text": 1731958313, "Extra": 1731958314,
              "Source": 1731958315, "Service": 1731958316, "Id": 1731958317}
_TEMPLATE_IDS = {"Basic": 1731958321, "Cloze": 1731958322}

_ANSWER_FOOTER = """
{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}
<div class="card-id">{{Id}}</div>"""

# The service label stands above the question, unless it would give the answer away
# (render.py leaves the Service field empty then).
_SERVICE = """{{#Service}}<div class="service">{{Service}}</div>{{/Service}}"""

BASIC_FRONT = _SERVICE + """
<div class="question">{{Front}}</div>"""
BASIC_BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Back}}</div>""" + _ANSWER_FOOTER

CLOZE_FRONT = _SERVICE + """
<div class="question">{{cloze:Text}}</div>"""
CLOZE_BACK = _SERVICE + """
<div class="question">{{cloze:Text}}</div>
<hr id="answer">""" + _ANSWER_FOOTER

_NIGHT = (".nightMode", ".night_mode")


def _night(selector: str) -> str:
    """A rule for night mode, whichever element carries Anki's night-mode class."""
    parts = [f"{mode} {selector}" for mode in _NIGHT]
    if selector == ".card":
        parts += [f".card{mode}" for mode in _NIGHT]
    return ", ".join(parts)


CSS = f"""\
.card {{
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1c1c1e;
  background-color: #ffffff;
  margin: 0 auto;
  padding: 12px 14px;
  max-width: 40em;
  overflow-wrap: break-word;
}}
{_night(".card")} {{ color: #e5e5e7; background-color: #1e1e20; }}
.service {{ font-size: 0.7em; color: #6e6e73; text-transform: uppercase; letter-spacing: 0.04em; margin-bottom: 0.4em; }}
{_night(".service")} {{ color: #a1a1a6; }}
.question {{ font-weight: 600; }}
.answer {{ margin-top: 0.2em; }}
.extra {{ margin-top: 1em; padding-top: 0.6em; border-top: 1px solid #d2d2d7; font-size: 0.85em; color: #3a3a3c; }}
{_night(".extra")} {{ color: #c7c7cc; border-top-color: #3a3a3c; }}
.source {{ margin-top: 0.8em; font-size: 0.7em; color: #6e6e73; overflow-wrap: anywhere; }}
.source a {{ color: inherit; }}
.card-id {{ margin-top: 0.6em; font-size: 0.6em; color: #aeaeb2; font-family: ui-monospace, Menlo, Consolas, monospace; }}
hr#answer {{ border: none; border-top: 1px solid #d2d2d7; margin: 0.8em 0; }}
{_night("hr#answer")} {{ border-top-color: #3a3a3c; }}
.cloze {{ font-weight: 700; color: #0a58ca; }}
{_night(".cloze")} {{ color: #7cb7ff; }}
code {{ font-family: ui-monospace, Menlo, Consolas, "Roboto Mono", monospace; font-size: 0.88em;
  background-color: #f2f2f5; border-radius: 4px; padding: 0.05em 0.3em; overflow-wrap: anywhere; }}
{_night("code")} {{ background-color: #2c2c30; }}
pre.highlight {{ overflow-x: auto; max-width: 100%; box-sizing: border-box; padding: 0.6em 0.8em;
  border-radius: 6px; font-size: 0.75em; line-height: 1.4; white-space: pre; -webkit-overflow-scrolling: touch; }}
pre.highlight code {{ background: none; padding: 0; font-size: 1em; overflow-wrap: normal; }}
@media (max-width: 32em) {{
  /* on a phone, long code lines wrap: the part a question asks about stays in view */
  pre.highlight {{ white-space: pre-wrap; }}
  pre.highlight code {{ overflow-wrap: anywhere; }}
}}
table {{ display: block; overflow-x: auto; max-width: 100%; border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; }}
th, td {{ border: 1px solid #d2d2d7; padding: 0.25em 0.5em; vertical-align: top; }}
th {{ background-color: #f2f2f5; }}
{_night("th")}, {_night("td")} {{ border-color: #48484a; }}
{_night("th")} {{ background-color: #2c2c30; }}
ul, ol {{ padding-left: 1.3em; margin: 0.3em 0; }}
img {{ max-width: 100%; height: auto; }}
{code_css()}
"""


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    template_name: str
    front: str
    back: str

    @property
    def css(self) -> str:
        return CSS

    def field_ids(self) -> list[int]:
        return [_FIELD_IDS[name] for name in self.fields]

    @property
    def template_id(self) -> int:
        return _TEMPLATE_IDS[self.template_name]


def basic_notetype() -> NoteType:
    return NoteType(BASIC_MODEL_ID, "AWSDeck Basic", False, BASIC_FIELDS, "Basic", BASIC_FRONT, BASIC_BACK)


def cloze_notetype() -> NoteType:
    return NoteType(CLOZE_MODEL_ID, "AWSDeck Cloze", True, CLOZE_FIELDS, "Cloze", CLOZE_FRONT, CLOZE_BACK)


def all_notetypes() -> list[NoteType]:
    return [basic_notetype(), cloze_notetype()]


def schema(notetype: NoteType) -> dict[str, object]:
    """What Anki treats as the note type's schema: changing it forks the note type."""
    return {
        "id": notetype.id,
        "kind": "cloze" if notetype.is_cloze else "standard",
        "fields": [{"name": name, "id": _FIELD_IDS[name]} for name in notetype.fields],
        "templates": [{"name": notetype.template_name, "id": notetype.template_id}],
    }


def style(notetype: NoteType) -> tuple[str, str, list[tuple[str, str]]]:
    """What may change freely (and must then reach learners): name, CSS, template HTML."""
    return notetype.name, notetype.css, [(notetype.front, notetype.back)]
