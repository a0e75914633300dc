"""What the app adds in the browser, for every tab: CSS for the source viewer, the filter chips, the
phone layout and readable tables, and one script that wires the source controls and keeps the texts
Gradio itself writes (pop-up titles, aria-labels) in Norwegian."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.ui.viewer import VIEWER_JS

PHONE_MAX_PX = 640  # the phone layout applies up to this width
# A table column is never narrower than this (about 10 characters with its padding). In rem, not ch, so a
# Dataframe's header cells (bold) and body cells (separate elements) get the same width.
MIN_CELL_REM = 6

# Texts Gradio's frontend writes in English whatever the browser's language (attribute values).
ATTRIBUTE_TEXTS = {
    "More tabs": "Flere faner",
    "Close": "Lukk",
    "Close popup": "Lukk",
    "Dismiss": "Lukk",
    "chatbot conversation": "Samtale",
    "Copy": "Kopier",
    "Copied": "Kopiert",
    "Copied!": "Kopiert!",
    "Copy message": "Kopier meldingen",
    "Copy conversation": "Kopier samtalen",
    "Loading response": "Svaret lastes",
    "Loading": "Laster",
    "Loading...": "Laster …",
    "Loading Progress": "Fremdrift",
    "Clear": "Tøm",
    "Remove": "Fjern",
    "Remove label": "Fjern valget",
    "Remove file": "Fjern filen",
    "Remove this file": "Fjern denne filen",
    "Download": "Last ned",
    "Upload file": "Last opp fil",
    "Upload a file": "Last opp en fil",
    "Uploaded files": "Opplastede filer",
    "Uploading": "Laster opp",
    "File upload": "Filopplasting",
    "File thumbnail": "Miniatyrbilde av filen",
    "Click to upload or drop files": "Klikk for å laste opp, eller slipp filer her",
    "Drop a file here, or click to browse": "Slipp en fil her, eller klikk for å velge",
    "Choose a file": "Velg en fil",
    "Table actions": "Tabellhandlinger",
    "Copy table data": "Kopier tabellen",
    "Copy menu": "Kopieringsmeny",
    "Open cell menu": "Åpne cellemenyen",
    "Sort column": "Sorter kolonnen",
    "Static column": "Fast kolonne",
    "Empty value": "Tom verdi",
    "Filtered": "Filtrert",
    "Apply filter and update dataframe values": "Bruk filteret",
    "Select/Deselect All": "Velg alle / ingen",
    "Fullscreen": "Fullskjerm",
    "View full screen": "Vis i fullskjerm",
    "Close full screen": "Lukk fullskjerm",
    "Exit fullscreen mode": "Lukk fullskjerm",
    "Open in new tab": "Åpne i ny fane",
    "Submit": "Send",
    "Stop": "Stopp",
    "Cancel": "Avbryt",
    "Refresh": "Oppdater",
    "Reload": "Last inn på nytt",
    "Share": "Del",
    "Undo": "Angre",
    "Retry": "Prøv igjen",
    "Edit": "Rediger",
    "Like": "Liker",
    "Dislike": "Liker ikke",
    "Expand": "Vis mer",
    "Collapse": "Vis mindre",
    "Search": "Søk",
    "Settings": "Innstillinger",
    "Gradio footer navigation": "Bunntekst",
}
# Attribute texts Gradio builds around a value: (English start, Norwegian start).
ATTRIBUTE_PREFIXES = [
    ["Select example ", "Velg eksempel "],
    ["user's message: ", "Ditt spørsmål: "],
    ["bot's message: ", "Svar: "],
    ["File: ", "Fil: "],
    ["Sorted ", "Sortert "],
    ["Download ", "Last ned "],
    ["Thumbnail ", "Miniatyrbilde "],
    ["Line number ", "Linje "],
]
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
#samtale .hvorfor > summary {{ cursor: pointer; font-size: .9em; color: var(--body-text-color-subdued); }}
#samtale .hvorfor-tekst {{ white-space: pre-wrap; font-size: .8em; max-height: 22em; overflow: auto; }}
#samtale .modellens-svar > summary {{ cursor: pointer; font-size: .9em; color: var(--body-text-color-subdued); }}
#samtale .modellens-svar-tekst {{ white-space: pre-wrap; font-size: .85em; max-height: 22em; overflow: auto; }}

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

/* Tables on every tab: readable columns; a wide table scrolls sideways instead of squeezing letters.
   Gradio's Dataframe sets each column's width inline (from column_widths and the block's width), so the
   minimum is !important: a column keeps the larger of the two, the same in its header and body rows. */
.prose table, .gradio-html table {{ display: block; overflow-x: auto; max-width: 100%; }}
table th, table td, [role="columnheader"], [role="gridcell"] {{ min-width: {MIN_CELL_REM}rem !important; }}
.table-wrap, .virtual-table-viewport {{ overflow-x: auto !important; }}

@media (max-width: {PHONE_MAX_PX}px) {{
  #faner button[role="tab"] {{ padding: .35em .6em; font-size: .95em; }}
  #samtale {{ height: 54vh !important; min-height: 300px !important; }}
  #sporsmal-rad {{ position: sticky; bottom: 0; z-index: 20; background: var(--body-background-fill);
    padding-bottom: 4px; }}
  #sporsmal-rad {{ flex-wrap: nowrap !important; }}
  #sporsmal-rad > #spor {{ min-width: 64px !important; flex: 0 0 auto !important; }}
}}
"""

# Gradio scopes the app's CSS inside its content area (``.contain``), and inside @media rules only the
# scoped copy is kept; the page margin around that area is set here, in the page's <head>, unscoped.
HEAD = f"""<style>
@media (max-width: {PHONE_MAX_PX}px) {{
  .gradio-container .main.app {{ padding-left: 8px !important; padding-right: 8px !important; }}
}}
</style>"""

_TRANSLATE_JS = """
(attributes, prefixes, toastTitles) => {
  document.documentElement.lang = "nb";
  const names = ["aria-label", "title", "placeholder", "alt"];
  const fixElement = (el) => {
    for (const name of names) {
      const value = el.getAttribute && el.getAttribute(name);
      if (!value) continue;
      if (Object.prototype.hasOwnProperty.call(attributes, value)) el.setAttribute(name, attributes[value]);
      else for (const [english, norsk] of prefixes) {
        if (value.startsWith(english)) { el.setAttribute(name, norsk + value.slice(english.length)); break; }
      }
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


# Gradio picks its own texts' language from the browser ("Drop File Here" in an English browser);
# its frontend module that exports ``changeLocale`` switches them to Bokmål for everyone.
_LOCALE_JS = """
(module) => {
  if (!module) return;
  const root = ((window.gradio_config && window.gradio_config.root) || location.origin).replace(/\\/?$/, "/");
  import(new URL("assets/" + module, root).href)
    .then((core) => core.changeLocale && core.changeLocale("nb"))
    .catch(() => {});
}
"""


def gradio_locale_module() -> str | None:
    """File name of the Gradio frontend module exporting ``changeLocale`` (hashed per Gradio release)."""
    import gradio

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    for path in sorted(assets.glob("core-*.js")):
        if "as changeLocale" in path.read_text(encoding="utf-8", errors="ignore"):
            return path.name
    return None


def page_js() -> str:
    """The one function Gradio runs on page load (``launch(js=…)``)."""
    return (
        "() => {\n"
        f"  ({_LOCALE_JS.strip()})({json.dumps(gradio_locale_module())});\n"
        f"  ({VIEWER_JS.strip()})();\n"
        f"  ({_TRANSLATE_JS.strip()})({json.dumps(ATTRIBUTE_TEXTS)}, {json.dumps(ATTRIBUTE_PREFIXES)}, "
        f"{json.dumps(TOAST_TITLES)});\n"
        "}"
    )
