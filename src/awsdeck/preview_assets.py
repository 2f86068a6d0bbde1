"""The preview page's own CSS and script, inlined into the page (no file or network fetch).

The page's chrome avoids the elements and class names that the note-type CSS styles
(table, code, ul, .card, .service, .question …), so the cards look as in Anki and the chrome
is not restyled by them. Night mode is Anki's: the classes nightMode and night_mode on body.
"""

PAGE_CSS = """\
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body.preview { margin: 0; background: #f2f2f7; color: #1c1c1e;
  font: 16px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
body.preview.nightMode { background: #000000; color: #e5e5e7; }
.top { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 8px;
  padding: 8px 12px; background: rgba(242, 242, 247, 0.94); border-bottom: 1px solid #d2d2d7; }
.nightMode .top { background: rgba(0, 0, 0, 0.94); border-bottom-color: #3a3a3c; }
.top h1 { flex: 1; min-width: 0; margin: 0; font-size: 17px; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.page { max-width: 84em; margin: 0 auto; padding: 8px 12px 40px; }
.filters { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; margin: 4px 0 8px; }
.filters input { grid-column: 1 / -1; }
@media (min-width: 44em) {
  .filters { grid-template-columns: minmax(0, 2fr) repeat(3, minmax(0, 1fr)); }
  .filters input { grid-column: auto; }
}
.filters input, .filters select { box-sizing: border-box; width: 100%; min-width: 0; font: inherit;
  padding: 8px 6px; border: 1px solid #c7c7cc; border-radius: 8px; background: #ffffff; color: inherit; }
.nightMode .filters input, .nightMode .filters select { background: #1c1c1e; border-color: #48484a; }
.switch { display: flex; align-items: center; gap: 6px; padding: 6px 4px; font-size: 15px; cursor: pointer;
  white-space: nowrap; }
.switch input { width: 20px; height: 20px; margin: 0; }
.shown { margin: 0 0 8px; color: #6e6e73; font-size: 14px; }
.nightMode .shown { color: #a1a1a6; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 4px 24px; margin-bottom: 12px; }
@media (min-width: 60em) { .charts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: start; } }
.charts summary { cursor: pointer; font-weight: 600; padding: 6px 0; }
.chart { display: block; width: 100%; max-width: 560px; height: auto; margin: 4px 0 8px; }
.chart-label { font-size: 12px; font-weight: 600; fill: #1c1c1e; }
.chart-text { font-size: 11px; fill: #3a3a3c; }
.nightMode .chart-label { fill: #e5e5e7; }
.nightMode .chart-text { fill: #c7c7cc; }
.bar-cards { fill: #0a58ca; }
.bar-weight { fill: #b0b0b8; }
.nightMode .bar-cards { fill: #7cb7ff; }
.nightMode .bar-weight { fill: #636366; }
.entry { margin: 0 0 20px; }
.meta { margin: 0 0 4px; font-size: 13px; color: #6e6e73; overflow-wrap: anywhere; }
.nightMode .meta { color: #a1a1a6; }
.meta b { color: #1c1c1e; font-weight: 600; }
.nightMode .meta b { color: #e5e5e7; }
.faces { display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px; }
@media (min-width: 60em) { .faces { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.side { margin: 0; min-width: 0; }
.side figcaption { font-size: 12px; color: #6e6e73; margin: 0 0 2px 4px; }
.nightMode .side figcaption { color: #a1a1a6; }
/* framing only: the card's own colours, fonts and spacing come from the note-type CSS */
.side .card { border-radius: 10px; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12); }
.no-match { text-align: center; color: #6e6e73; }
/* study mode: answers stay hidden until the card is tapped */
body.study .side.back { display: none; }
body.study .entry.revealed .side.back { display: block; }
body.study .side.front .card { cursor: pointer; }
"""

PAGE_JS = """\
(function () {
  "use strict";
  var body = document.body;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var texts = entries.map(function (entry) { return entry.textContent.toLowerCase(); });
  var search = document.getElementById("search");
  var selects = ["domain", "service", "tag"].map(function (id) { return document.getElementById(id); });
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var theme = document.getElementById("theme");
  var study = document.getElementById("study");

  function matches(entry, index, words) {
    var tags = " " + entry.getAttribute("data-tag") + " ";
    return (!selects[0].value || entry.getAttribute("data-domain") === selects[0].value) &&
      (!selects[1].value || entry.getAttribute("data-service") === selects[1].value) &&
      (!selects[2].value || tags.indexOf(" " + selects[2].value + " ") >= 0) &&
      words.every(function (word) { return texts[index].indexOf(word) >= 0; });
  }

  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    entries.forEach(function (entry, index) {
      var ok = matches(entry, index, words);
      entry.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + entries.length + " cards";
    noMatch.hidden = count > 0;
  }

  function setNight() {
    body.classList.toggle("nightMode", theme.checked);
    body.classList.toggle("night_mode", theme.checked);
  }

  function setStudy() {
    body.classList.toggle("study", study.checked);
    entries.forEach(function (entry) { entry.classList.remove("revealed"); });
  }

  entries.forEach(function (entry) {
    entry.addEventListener("click", function () {
      if (study.checked) { entry.classList.toggle("revealed"); }
    });
  });
  study.addEventListener("change", setStudy);
  search.addEventListener("input", filter);
  selects.forEach(function (select) { select.addEventListener("change", filter); });
  theme.addEventListener("change", setNight);
  theme.checked = window.matchMedia !== undefined && window.matchMedia("(prefers-color-scheme: dark)").matches;
  setNight();
  filter();
}());
"""
