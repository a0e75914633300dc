"""What the app adds in the browser, for every tab: CSS for the source viewer, the filter chips, the
phone layout and readable tables, and one script that wires the source controls and keeps the texts
Gradio itself writes (pop-up titles, aria-labels) in Norwegian."""

from __future__ import annotations

import json

from assistant.ui.viewer import VIEWER_JS

PHONE_MAX_PX = 640  # the phone layout applies up to this width
MIN_CELL_CH = 6  # a table column is never narrower than this many characters (plus padding)

# Texts Gradio's frontend writes in English whatever the browser's language (attribute values).
ATTRIBUTE_TEXTS = {
    "More tabs": "Flere faner",
    "Close": "Lukk",
    "Copy": "Kopier",
    "Copied!": "Kopiert!",
    "Copy message": "Kopier meldingen",
    "Copy conversation": "Kopier samtalen",
    "Clear": "Tøm",
    "Remove": "Fjern",
    "Download": "Last ned",
    "Fullscreen": "Fullskjerm",
    "Exit fullscreen mode": "Lukk fullskjerm",
    "Share": "Del",
    "Undo": "Angre",
    "Retry": "Prøv igjen",
    "Edit": "Rediger",
    "Like": "Liker",
    "Dislike": "Liker ikke",
    "Loading": "Laster",
    "Loading...": "Laster …",
    "Expand": "Vis mer",
    "Collapse": "Vis mindre",
    "Select all": "Velg alle",
    "Sort column": "Sorter kolonnen",
    "Search": "Søk",
    "Toggle": "Vis/skjul",
}
# Pop-up titles: Gradio 6.31 shows the message type ("Warning") and ignores the title it was given.
TOAST_TITLES = {"Warning": "Obs", "Error": "Feil", "Info": "Melding", "Success": "Fullført"}

CSS = f"""
/* Source controls in the answers */
#samtale button.kilde-ref {{ all: unset; cursor: pointer; color: var(--link-text-color);
  font-weight: 600; text-decoration: underline dotted; padding: 0 .05em; }}
#samtale button.kilde-ref:hover {{ text-decoration: underline; }}
#samtale button.vis-kilde {{ cursor: pointer; font-size: .88em; padding: .2em .7em; border-radius: 6px;
  border: 1px solid var(--border-color-accent); background: var(--background-fill-primary);
  color: var(--body-text-color); }}
#samtale button.vis-kilde:hover {{ background: var(--background-fill-secondary); }}
#samtale button.kilde-ref:focus-visible, #samtale button.vis-kilde:focus-visible {{
  outline: 2px solid var(--color-accent); outline-offset: 2px; }}
#samtale .kilde-vis {{ margin: .35em 0 0; }}
#samtale .tolket-som {{ font-size: .9em; color: var(--body-text-color-subdued); margin: .3em 0; }}

/* The viewer */
#kildeviser .kv-hode p {{ margin: .1em 0; }}
#kildeviser .kv-status {{ font-size: .9em; margin: .3em 0 .5em; }}
#kildeviser .kv-side {{ position: relative; width: 100%; border: 1px solid var(--border-color-primary);
  background: #fff; }}
#kildeviser .kv-side img {{ display: block; width: 100%; height: auto; }}
#kildeviser .kv-side .kv-markering {{ position: absolute; pointer-events: none; border-radius: 2px;
  background: rgba(255, 200, 0, .35); outline: 2px solid rgba(214, 140, 0, .85); mix-blend-mode: multiply; }}
#kildeviser .kv-tekst {{ white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95em; padding: .6em .8em;
  background: var(--background-fill-secondary); border-radius: 6px; }}
#kildeviser mark.kv-markering {{ background: #fff1a8; color: inherit; }}
#kildeviser .kv-sitater {{ font-size: .9em; margin-top: .5em; }}
#kildeviser-knapper {{ flex-wrap: wrap; gap: .4em; }}
#kildeviser .kv-rulle {{ overflow: auto; }}
@media (min-width: {PHONE_MAX_PX + 1}px) {{
  #kildeviser .kv-rulle {{ max-height: 70vh; }}
}}
body[data-kv-zoom="1"] #kildeviser .kv-rulle {{ max-height: 70vh !important; }}
body[data-kv-zoom="1"] #kildeviser .kv-side {{ width: 200% !important; }}

/* Filter chips above the question box */
.filterbrikker {{ flex-wrap: wrap !important; gap: .35em !important; align-items: center; }}
.filterbrikker > * {{ flex: 0 0 auto !important; min-width: 0 !important; width: auto !important; }}
.filterbrikker-tittel {{ font-size: .88em; color: var(--body-text-color-subdued); }}
button.filterbrikke, button.filterbrikke-alle {{ border-radius: 999px !important; padding: .15em .75em !important;
  font-weight: 400 !important; }}
button.filterbrikke {{ background: var(--color-accent-soft) !important;
  border: 1px solid var(--border-color-accent) !important; }}

/* Tables on every tab: readable columns; a wide table scrolls sideways instead of squeezing letters */
.prose table, .gradio-html table {{ display: block; overflow-x: auto; max-width: 100%; }}
table th, table td {{ min-width: calc({MIN_CELL_CH}ch + 1em); }}
.table-wrap, .table-container {{ overflow-x: auto !important; }}

@media (max-width: {PHONE_MAX_PX}px) {{
  .gradio-container {{ padding-left: 6px !important; padding-right: 6px !important; }}
  #faner button[role="tab"] {{ padding: .35em .6em; font-size: .95em; }}
  #samtale {{ height: 54vh !important; min-height: 300px !important; }}
  #sporsmal-rad {{ position: sticky; bottom: 0; z-index: 20; background: var(--body-background-fill);
    padding-bottom: 4px; }}
  #sporsmal-rad {{ flex-wrap: nowrap !important; }}
  #sporsmal-rad > #spor {{ min-width: 64px !important; flex: 0 0 auto !important; }}
}}
"""

_TRANSLATE_JS = """
(attributes, toastTitles) => {
  document.documentElement.lang = "nb";
  const names = ["aria-label", "title", "placeholder", "alt"];
  const fixElement = (el) => {
    for (const name of names) {
      const value = el.getAttribute && el.getAttribute(name);
      if (value && Object.prototype.hasOwnProperty.call(attributes, value)) el.setAttribute(name, attributes[value]);
    }
  };
  const fixToast = (title) => {
    for (const node of title.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const word = node.data.trim();
      if (Object.prototype.hasOwnProperty.call(toastTitles, word)) node.data = node.data.replace(word, toastTitles[word]);
    }
  };
  const fixTree = (root) => {
    if (!root || root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    root.querySelectorAll("[aria-label],[title],[placeholder],[alt]").forEach(fixElement);
    if (root.matches(".toast-title")) fixToast(root);
    root.querySelectorAll(".toast-title").forEach(fixToast);
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "attributes") fixElement(m.target);
      else if (m.type === "characterData") {
        const title = m.target.parentElement && m.target.parentElement.closest(".toast-title");
        if (title) fixToast(title);
      } else m.addedNodes.forEach(fixTree);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: names });
  fixTree(document.body);
}
"""


def page_js() -> str:
    """The one function Gradio runs on page load (``launch(js=…)``)."""
    return (
        "() => {\n"
        f"  ({VIEWER_JS.strip()})();\n"
        f"  ({_TRANSLATE_JS.strip()})({json.dumps(ATTRIBUTE_TEXTS)}, {json.dumps(TOAST_TITLES)});\n"
        "}"
    )
