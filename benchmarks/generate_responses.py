"""Synthetic hearing responses on the directorate's form, as PDFs with a ``sources.toml``, for scale tests.

The bundled corpus has two real responses; the real hearing had 89. To measure how ingest and retrieval
grow with the index, this writes N more on the same form (tick boxes ☒/☐, "Kontaktinformasjon",
questions 1–4 with "Mål 1: …" to "Mål 5: …"), so the hearing-form reader parses them like real ones.
The prose is new text from a word-level Markov chain over the bundled documents' sentences, so each
response has its own sentences (the embedding cache cannot reuse them) in the corpus's vocabulary.
Everything follows from ``--seed``: the same seed writes the same files, and the first N of a larger
run are the files of a smaller one.

Run: ``python benchmarks/generate_responses.py OUT_DIR -n 100 --seed 1``
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.sentences import split_sentences

REPO = Path(__file__).resolve().parent.parent
# Text extractions of the bundled PDFs (shared/ sits beside the repository); the PDFs are read otherwise.
TXT_DIR = REPO.parent / "shared" / "corpus" / "txt"
CORPUS_DIR = REPO / "data" / "corpus"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
CHECKED, UNCHECKED = "☒", "☐"
BULLETS = re.compile("[\\uf0b7•▪◦]")  # bullet glyphs of the PDF extractions (one is a private-use character)
# About this many words fill an A4 page at 10 pt with the margins below (measured on the output);
# the form itself takes most of the first page.
WORDS_PER_PAGE = 500
FORM_WORDS = 420

CATEGORIES = (
    "Statlig etat, ombud eller fagråd",
    "Fylkeskommune/Statsforvalteren",
    "Kommune/KS",
    "RHF/Helseforetak",
    "Fag- og interesseorganisasjoner",
    "Pasient- og brukerorganisasjon",
    "Forskning- og utdanningsorganisasjon",
    "Privatperson",
    "Privat virksomhet/næringsliv",
    "Annen enn nevnt ovenfor",
)
# Rough shares of the real hearing's respondents (municipalities and trade bodies answer most).
CATEGORY_WEIGHTS = (10, 4, 25, 10, 15, 8, 7, 3, 15, 3)
ANSWERS = ("Ja", "Nei", "Vet ikke")
ANSWER_WEIGHTS = (70, 15, 15)
GOALS = (
    "Aktiv medvirkning i egen og næres helse",
    "Enklere arbeidshverdag",
    "Helsedata til fornying og forbedring",
    "Tilgjengelig informasjon og styrket samhandling",
    "Samarbeid og virkemidler som styrker gjennomføringskraft",
)
INTRO = (
    "Det vedlagte høringsdokumentet oppsummerer fire tema som vi ønsker tilbakemelding på:",
    "• Strategiens rolle",
    "• Visjon, overordnende mål og målgrupper",
    "• Fem prioriterte strategiske mål med målindikatorer",
    "• Strategisk styring og oppfølging av strategien",
    "Der høringsinstansen har innspill, er det ønskelig med begrunnelse og eventuelt forslag til endringer.",
    "Merk skjemaet med «Saksnummer 22/414», lagre som PDF og send på e-post til postmottak@ehelse.no",
    "Frist: 01.10.2022",
)
Q1 = (
    "1) Kan dere stille dere bak de fem strategiske målene, gitt strategiens rolle for å skape en felles "
    "langsiktig og forutsigbar retning for digitalisering på tvers av aktørene i helse- og omsorgssektoren?"
)
Q2 = "2) Har dere tilbakemelding på de fem strategiske målene med målindikatorer?"
Q3 = "3) Har dere tilbakemeldinger på prosessen for hvordan strategien skal følges opp?"
Q4 = "4) Andre innspill og tilbakemeldinger?"

PLACES = (
    "Alta",
    "Arendal",
    "Asker",
    "Bærum",
    "Bodø",
    "Drammen",
    "Elverum",
    "Fredrikstad",
    "Gjøvik",
    "Hamar",
    "Harstad",
    "Haugesund",
    "Horten",
    "Kongsberg",
    "Kristiansand",
    "Kristiansund",
    "Larvik",
    "Lillehammer",
    "Lindesnes",
    "Molde",
    "Moss",
    "Namsos",
    "Narvik",
    "Porsgrunn",
    "Sandefjord",
    "Sandnes",
    "Sarpsborg",
    "Skien",
    "Steinkjer",
    "Stavanger",
    "Stord",
    "Tromsø",
    "Trondheim",
    "Tønsberg",
    "Vadsø",
    "Voss",
    "Ålesund",
    "Øygarden",
    "Ringsaker",
    "Levanger",
    "Ullensaker",
    "Nordre Follo",
    "Lillestrøm",
    "Kinn",
    "Sunnfjord",
    "Vestvågøy",
    "Hammerfest",
    "Kongsvinger",
    "Halden",
    "Eidsvoll",
    "Orkland",
    "Verdal",
)
COUNTIES = (
    "Agder",
    "Innlandet",
    "Møre og Romsdal",
    "Nordland",
    "Oslo og Viken",
    "Rogaland",
    "Troms og Finnmark",
    "Trøndelag",
    "Vestfold og Telemark",
    "Vestland",
)
PROFESSIONS = (
    "Sykepleier",
    "Fysioterapeut",
    "Ergoterapeut",
    "Farmasøyt",
    "Jordmor",
    "Tannlege",
    "Kiropraktor",
    "Radiograf",
    "Bioingeniør",
    "Logoped",
    "Ernæringsfysiolog",
    "Helsesekretær",
    "Psykolog",
    "Vernepleier",
)
DIAGNOSES = (
    "Diabetes",
    "Hjerte- og lunge",
    "Astma- og allergi",
    "Revmatiker",
    "Epilepsi",
    "Parkinson",
    "Kreft",
    "Nyre",
    "Cøliaki",
    "ME",
    "Migrene",
)
COMPANY_HEADS = (
    "Medi",
    "Helse",
    "Care",
    "Nord",
    "Digi",
    "Vital",
    "Omsorg",
    "Puls",
    "Klinik",
    "Trygg",
    "Fjord",
)
COMPANY_TAILS = ("tek", "data", "link", "sys", "lab", "soft", "vakt", "sense", "logic", "net", "flow")
FIRST_NAMES = (
    "Anne",
    "Ingrid",
    "Kari",
    "Marit",
    "Hilde",
    "Nina",
    "Silje",
    "Ida",
    "Sofie",
    "Astrid",
    "Liv",
    "Eva",
    "Ole",
    "Lars",
    "Per",
    "Jan",
    "Bjørn",
    "Knut",
    "Erik",
    "Håkon",
    "Magnus",
    "Sindre",
    "Tor",
    "Geir",
)
LAST_NAMES = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Eriksen",
    "Bakken",
    "Lund",
    "Strand",
    "Solberg",
    "Moen",
    "Aas",
)
OPENERS = (
    "{org} støtter målet.",
    "{org} har følgende innspill.",
    "Vi slutter oss i hovedsak til forslaget.",
    "{org} mener strategien peker i riktig retning.",
    "Vi har noen merknader til dette målet.",
    "{org} vil særlig peke på følgende.",
    "Vi er enige i beskrivelsen, men savner konkrete tiltak.",
)
STANDALONE = tuple(o for o in OPENERS if not o.endswith(("innspill.", "følgende.")))
NO_INPUT = ("Ingen innspill.", "Ingen ytterligere innspill.", "Vi har ingen merknader til dette målet.")


def _organisation(rng: random.Random, category: str) -> tuple[str, str]:
    """(organisation name, e-mail domain) plausible for the category."""
    place, county = rng.choice(PLACES), rng.choice(COUNTIES)
    options: dict[str, list[str]] = {
        CATEGORIES[0]: [
            "Helsedirektoratet",
            "Folkehelseinstituttet",
            "Statens helsetilsyn",
            "Datatilsynet",
            "Statens legemiddelverk",
            f"Pasient- og brukerombudet i {county}",
            "Norsk pasientskadeerstatning",
            "Barneombudet",
            "Arbeids- og velferdsdirektoratet",
            "Digitaliseringsdirektoratet",
        ],
        CATEGORIES[1]: [f"{county} fylkeskommune", f"Statsforvalteren i {county}"],
        CATEGORIES[2]: [f"{place} kommune", f"KS {county}", f"Interkommunalt helsesamarbeid {place}"],
        CATEGORIES[3]: [
            "Helse Sør-Øst RHF",
            "Helse Vest RHF",
            "Helse Midt-Norge RHF",
            "Helse Nord RHF",
            f"Sykehuset {place} HF",
            f"Helse {place} HF",
        ],
        CATEGORIES[4]: [
            f"Norsk {rng.choice(PROFESSIONS).lower()}forbund",
            f"{place} legeforening",
            f"Norsk {rng.choice(PROFESSIONS).lower()}forening, {county}",
            "Den norske legeforening",
        ],
        CATEGORIES[5]: [
            f"{rng.choice(DIAGNOSES)}forbundet",
            f"Mental Helse {place}",
            f"Pensjonistforbundet {county}",
            f"{rng.choice(DIAGNOSES)}foreningen i {county}",
        ],
        CATEGORIES[6]: [
            f"Universitetet i {rng.choice(('Oslo', 'Bergen', 'Tromsø', 'Agder', 'Stavanger'))}",
            f"Høgskolen i {place}",
            f"Senter for e-helseforskning, {place}",
            f"Institutt for helse og samfunn, {place}",
        ],
        CATEGORIES[7]: ["Privatperson"],
        CATEGORIES[8]: [
            f"{rng.choice(COMPANY_HEADS)}{rng.choice(COMPANY_TAILS)} AS",
            f"{rng.choice(COMPANY_HEADS)}{rng.choice(COMPANY_TAILS)} Norge AS",
            f"{place} {rng.choice(('Helseteknologi', 'Velferdsteknologi', 'Journalsystemer'))} AS",
        ],
        CATEGORIES[9]: [f"{place} eldreråd", f"Stiftelsen {place} helsehus", f"{place} frivilligsentral"],
    }
    name = rng.choice(options[category])
    domain = re.sub(r"[^a-z]", "", name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))[:18]
    return name, (domain or "epost") + ".no"


class Chain:
    """Order-2 word Markov chain over the corpus's sentences: new sentences in the corpus's vocabulary."""

    def __init__(self, sentences: list[str]) -> None:
        self.starts: list[tuple[str, str]] = []
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for sentence in sentences:
            words = sentence.split()
            if len(words) < 6:
                continue
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:], strict=False):
                self.next[(a, b)].append(c)
        if not self.starts:
            raise SystemExit("no sentences to learn from: the corpus text files are missing or empty")

    def sentence(self, rng: random.Random, min_words: int = 7, max_words: int = 38) -> str:
        for _ in range(50):
            a, b = rng.choice(self.starts)
            words = [a, b]
            while len(words) < max_words:
                options = self.next.get((a, b))
                if not options:
                    break
                a, b = b, rng.choice(options)
                words.append(b)
                if b[-1] in ".?!" and len(words) >= min_words:
                    return " ".join(words)
        return " ".join(words).rstrip(",;:") + "."


def corpus_texts() -> list[str]:
    """The bundled documents' text: the shared extractions if present, else the PDFs read here."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(TXT_DIR.glob("*.txt"))]
    if texts:
        return texts
    from ingest.loaders import load_file

    return ["\n\n".join(page.text for page in load_file(p).pages) for p in sorted(CORPUS_DIR.glob("*.pdf"))]


def corpus_sentences(texts: list[str]) -> list[str]:
    """Prose sentences of the corpus (lists, headings and lines of numbers left out)."""
    sentences: list[str] = []
    for text in texts:
        text = re.sub(r"(\w)-\s*\n\s*(?=[a-zæøå])", r"\1", text)  # words split over lines
        for paragraph in re.split(r"\n\s*\n", text):
            flat = " ".join(BULLETS.sub(" ", paragraph).split())
            for s in split_sentences(flat):
                letters = sum(c.isalpha() for c in s)
                if s[:1].isupper() and s[-1:] in ".?!" and letters > 0.7 * len(s) and len(s.split()) >= 6:
                    sentences.append(s)
    return sentences


@dataclass
class Response:
    """One synthetic response: everything the PDF and the manifest need."""

    file: str
    organisation: str
    category: str
    answer: str
    contact: str
    email: str
    target_pages: int
    answers: dict[str, list[str]] = field(default_factory=dict)  # "1", "mål 1".."mål 5", "3", "4"

    @property
    def title(self) -> str:
        return f"Høringssvar fra {self.organisation}"


def make_response(index: int, seed: int, chain: Chain, used: set[str]) -> Response:
    """Response ``index`` of run ``seed``: its own RNG, so it does not depend on how many are written."""
    rng = random.Random(f"{seed}:{index}")
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    organisation, domain = _organisation(rng, category)
    for _ in range(20):
        if organisation not in used or category == CATEGORIES[7]:
            break
        organisation, domain = _organisation(rng, category)
    else:
        organisation = f"{organisation} ({rng.choice(PLACES)})"
    used.add(organisation)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email_name = f"{first}.{last}".lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
    response = Response(
        file=f"horingssvar-synt-{index + 1:04d}.pdf",
        organisation=organisation,
        category=category,
        answer=rng.choices(ANSWERS, ANSWER_WEIGHTS)[0],
        contact=f"{first} {last}",
        email=f"{email_name}@{domain}",
        target_pages=rng.randint(1, 4),
    )
    budget = max(60, response.target_pages * WORDS_PER_PAGE - FORM_WORDS)
    keys = ["1", "mål 1", "mål 2", "mål 3", "mål 4", "mål 5", "3", "4"]
    weights = [rng.uniform(0.5, 2.0) for _ in keys]
    # Some goals get "Ingen innspill.", more of them in a short response.
    silent = {k for k in keys[1:6] if rng.random() < (0.6 if response.target_pages == 1 else 0.2)}
    total = sum(w for k, w in zip(keys, weights, strict=True) if k not in silent)
    org_short = organisation if len(organisation) < 40 else "Vi"
    for key, weight in zip(keys, weights, strict=True):
        if key in silent:
            response.answers[key] = [rng.choice(NO_INPUT)]
            continue
        words = int(budget * weight / total)
        paragraphs: list[str] = []
        short = words < 25  # a short budget: one sentence that stands alone
        current = [rng.choice(STANDALONE if short else OPENERS).format(org=org_short)]
        count = len(current[0].split()) + (12 if short else 0)
        while count < words:
            sentence = chain.sentence(rng)
            current.append(sentence)
            count += len(sentence.split())
            if len(current) >= rng.randint(3, 6):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        response.answers[key] = paragraphs
    return response


def write_pdf(response: Response, path: Path) -> int:
    """The form as a PDF (DejaVuSans, which has ☒ and ☐); returns its number of pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()

    def text(body: str, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.45, body, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    text("Høring – forslag til nasjonal e-helsestrategi", 13, bold=True, gap=2)
    for line in INTRO:
        text(line, gap=0.5)
    pdf.ln(1)
    text("Kryss av for type organisasjon/virksomhet:", bold=True, gap=1)
    for category in CATEGORIES:
        box = CHECKED if category == response.category else UNCHECKED
        text(f"{box}{category}", gap=0)
    pdf.ln(2)
    text("Kontaktinformasjon", bold=True, gap=1)
    text(f"Navn på virksomheten (statlig etat, kommune, privatperson osv.): {response.organisation}", gap=0.5)
    text(f"Kontaktperson: {response.contact}", gap=0.5)
    text(f"E-postadresse: {response.email}", gap=3)

    text(Q1, bold=True)
    boxes = "  ".join(
        f"{CHECKED if option == response.answer else UNCHECKED} {option}, utdyp gjerne" for option in ANSWERS
    )
    text(boxes)
    for paragraph in response.answers["1"]:
        text(paragraph)
    pdf.ln(2)
    text(Q2, bold=True)
    for number, goal in enumerate(GOALS, start=1):
        text(f"Mål {number}: {goal}", bold=True, gap=1)
        for paragraph in response.answers[f"mål {number}"]:
            text(paragraph)
    pdf.ln(2)
    for question, key in ((Q3, "3"), (Q4, "4")):
        text(question, bold=True)
        for paragraph in response.answers[key]:
            text(paragraph)
        pdf.ln(2)
    pdf.output(str(path))
    return int(pdf.page_no())


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_manifest(out_dir: Path, responses: list[Response]) -> None:
    """``sources.toml`` for ``responses``, so they ingest as hearing responses with their organisation."""
    lines = ["# Synthetic hearing responses for benchmarks (benchmarks/generate_responses.py).", ""]
    for response in responses:
        lines += [
            "[[document]]",
            f"file = {_toml_string(response.file)}",
            f"id = {_toml_string(Path(response.file).stem)}",
            f"title = {_toml_string(response.title)}",
            'kind = "høringssvar"',
            f"organisation = {_toml_string(response.organisation)}",
            f"respondent_category = {_toml_string(response.category)}",
            "",
        ]
    (out_dir / "sources.toml").write_text("\n".join(lines), encoding="utf-8")


def generate(out_dir: Path, n: int, seed: int = 1) -> list[tuple[Response, int]]:
    """Write ``n`` responses and their ``sources.toml`` into ``out_dir``; returns (response, pages)."""
    if not FONT.is_file() or not FONT_BOLD.is_file():
        raise SystemExit(f"{FONT} is missing: apt-get install -y fonts-dejavu-core")
    chain = Chain(corpus_sentences(corpus_texts()))
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    written: list[tuple[Response, int]] = []
    for index in range(n):
        response = make_response(index, seed, chain, used)
        written.append((response, write_pdf(response, out_dir / response.file)))
    write_manifest(out_dir, [r for r, _ in written])
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=100, help="how many responses (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.n < 1:
        parser.error("-n must be at least 1")
    written = generate(args.out_dir, args.n, args.seed)
    pages = [p for _, p in written]
    by_pages = {k: pages.count(k) for k in sorted(set(pages))}
    print(
        f"{len(written)} responses, {sum(pages)} pages ({', '.join(f'{v}×{k} s.' for k, v in by_pages.items())})"
        f" → {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
