"""Ingest end to end (real pypdf, Chroma, bm25s, e5): passage metadata, incremental re-ingest, prune,
filters, manifest metadata, text formats and masking of personal data in hearing responses."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.api import Assistant
from assistant.errors import InputError
from assistant.types import Passage
from ingest.loaders import load_file
from ingest.normalise import fold, normalise_page
from ingest.privacy import EMAIL_MASK, PHONE_MASK
from vectorstore.lexical import LexicalIndex

SUMMARY_QUESTION = "Hvor mange instanser sendte inn høringssvar?"
IMDI = "Integrerings- og mangfoldsdirektoratet (IMDi)"
MASKS = (EMAIL_MASK, PHONE_MASK)


# -- helpers ---------------------------------------------------------------------------------------
def index_state(a: Assistant) -> tuple[list[str], int, list[str], list[tuple[str, str, int, str]]]:
    """Passage ids, passage count, sentence ids and document records (without ingest time)."""
    docs = [(d.source, d.sha256, d.passages, d.title) for d in a.documents()]
    sentence_ids = sorted(a.store.sentences_collection.get(include=[])["ids"])
    return sorted(a.store.all_ids()), a.store.count(), sentence_ids, docs


def assert_bm25_in_step(a: Assistant) -> None:
    """The BM25 index saved on disk was built from exactly the passages Chroma holds."""
    saved = LexicalIndex(a.tokenizer)
    assert saved.load(a.settings.bm25_path)
    assert saved.fingerprint == a.store.fingerprint()
    assert sorted(p.chunk_id for p in saved.passages) == sorted(a.store.all_ids())


def write_pdf(path: Path, pages: list[str]) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def document_text(path: Path) -> str:
    return fold(" ".join(" ".join(normalise_page(p.text)) for p in load_file(path).pages))


def words_of(text: str) -> set[str]:
    for mask in MASKS:
        text = text.replace(mask, " ")
    return set(re.findall(r"\w+", fold(text)))


@pytest.fixture(scope="module")
def passages(assistant: Assistant) -> list[Passage]:
    return assistant.store.all_passages()


# -- passages of the bundled corpus ------------------------------------------------------------------
def test_summary_passage_has_its_document_metadata(passages: list[Passage]) -> None:
    hits = [p for p in passages if "89 ulike instanser" in p.text]
    assert len(hits) == 1
    p = hits[0]
    assert p.source == "horingsoppsummering"
    assert (p.page, p.kind, p.organisation) == (1, "høringsoppsummering", "Direktoratet for e-helse")
    assert p.title == "Oppsummering av høringen om forslag til nasjonal e-helsestrategi"
    assert p.section.startswith("1 Kort om høringen")


def test_passages_are_well_formed(assistant: Assistant, passages: list[Passage], corpus_dir: Path) -> None:
    """Ids unique, pages in range, size capped, and each passage starts on the page it names."""
    docs = {d.source: d for d in assistant.documents()}
    assert len(passages) == sum(d.passages for d in docs.values())
    assert len({p.chunk_id for p in passages}) == len(passages)
    page_text = {
        f.stem: {pg.number: fold(" ".join(normalise_page(pg.text))) for pg in load_file(f).pages}
        for f in corpus_dir.glob("*.pdf")
    }
    limit = assistant.settings.chunk_max_words
    for p in passages:
        assert re.fullmatch(r"[0-9a-f]{24}", p.chunk_id)
        assert p.source in docs and p.kind == docs[p.source].kind
        assert 1 <= p.page <= p.page_end <= docs[p.source].pages, p
        assert 0 < len(p.text.split()) <= limit, p.chunk_id
        assert isinstance(p.section, str)
        if not p.section:
            assert p.page == 1, f"only front matter before the first heading may lack a section: {p}"
        head = " ".join(fold(p.text).split()[:6])
        if not any(m.casefold() in head for m in MASKS):
            assert head in page_text[p.source][p.page], (p.source, p.page, head)


def test_no_passage_mixes_documents(passages: list[Passage], corpus_dir: Path) -> None:
    """No passage holds a word that only another document has."""
    vocab = {f.stem: words_of(document_text(f)) for f in corpus_dir.glob("*.pdf")}
    for p in passages:
        others = set().union(*(v for s, v in vocab.items() if s != p.source))
        foreign = (words_of(p.text) - vocab[p.source]) & others
        assert not foreign, (p.source, p.chunk_id, sorted(foreign)[:10])


def test_figure_captions_are_blocks_of_their_own(passages: list[Passage]) -> None:
    """A caption wrapped over two lines ("Figur 2. … skal bidra til" / "målgruppenes behov") is one line
    of the passage, never the start of the sentence after it."""
    lines = [line for p in passages if p.source == "strategi" for line in p.text.split("\n")]
    captions = [line for line in lines if line.startswith("Figur ")]
    assert (
        "Figur 2. De fem strategiske målene skal bidra til strategiens visjon, overordnede mål og "
        "målgruppenes behov" in captions
    )
    assert any(
        c.startswith("Figur 1. Strategiens satsingsområder") and c.endswith("initiativ") for c in captions
    )
    assert any(line.startswith("De fem strategiske målene er viktige hver for seg") for line in lines)


@pytest.mark.parametrize(
    ("source", "subheading", "text"),
    [
        # A subheading in running text: a short line that ends no sentence, then a capital.
        ("horingssvar-imdi", "Strategisk styring og oppfølging av strategien", "Direktoratet skriver at"),
        (
            "strategi",
            "Sammenheng med andre strategier og planer",
            "Nasjonal e-helsestrategi er en sektorstrategi",
        ),
        # After a list item, "I" is the word, not an acronym ("EU …") that would carry the item on.
        (
            "horingsoppsummering",
            "• Strategisk styring og oppfølging av strategien",
            "I høringen ble det spurt",
        ),
    ],
)
def test_a_subheading_in_running_text_is_not_glued_to_the_sentence_after_it(
    passages: list[Passage], source: str, subheading: str, text: str
) -> None:
    lines = [line for p in passages if p.source == source for line in p.text.split("\n")]
    assert subheading in lines
    assert any(line.startswith(text) for line in lines)


def test_sections_are_the_documents_headings(passages: list[Passage]) -> None:
    strategy = {p.section for p in passages if p.source == "strategi"}
    for n in range(1, 6):
        assert any(re.fullmatch(rf"Mål {n}: .+ > Frem mot 2030 skal vi oppnå", s) for s in strategy), n
    assert "Mål 1: Aktiv medvirkning i egen og næres helse > Frem mot 2030 skal vi oppnå" in strategy
    summary = {p.section for p in passages if p.source == "horingsoppsummering"}
    assert any(s.startswith("2 Oppsummering av høringssvarene > 2.1 ") for s in summary)
    for p in passages:
        for part in filter(None, p.section.split(" > ")):
            # Headings, not sentences: short, and never ending like a sentence of running text.
            assert len(part.split()) <= 40 and not part.endswith((".", ",", ";")), part


def test_retrieve_puts_the_summary_passage_first(assistant: Assistant) -> None:
    top = assistant.retrieve(SUMMARY_QUESTION, k=5)[0]
    assert "89 ulike instanser" in top.text
    assert (top.source, top.page) == ("horingsoppsummering", 1)


# -- incremental ingest ------------------------------------------------------------------------------
def test_second_ingest_skips_everything(fresh_assistant: Assistant, corpus_copy: Path) -> None:
    first = fresh_assistant.ingest([corpus_copy])
    assert first.ok and len(first.added) == 5
    before = index_state(fresh_assistant)
    dates = [d.ingested_at for d in fresh_assistant.documents()]
    embedded = fresh_assistant.embeddings.embedded_texts

    second = fresh_assistant.ingest([corpus_copy])

    assert {o.source for o in second.skipped} == {o.source for o in first.added}
    assert not (second.added or second.updated or second.removed or second.failed)
    assert second.embedded_texts == 0
    assert fresh_assistant.embeddings.embedded_texts == embedded
    assert index_state(fresh_assistant) == before
    assert [d.ingested_at for d in fresh_assistant.documents()] == dates
    assert_bm25_in_step(fresh_assistant)


def test_changed_markdown_file_is_replaced(fresh_assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "fjordnotat.md"
    note.write_text(
        "# Fjordkommunens erfaringer\n\n## Tiltak\n\nFjordkommunen tok i bruk kvasarkompassene i 2021. "
        "Kvasarkompassene ga færre nattlige besøk.\n",
        encoding="utf-8",
    )
    assert len(fresh_assistant.ingest([folder]).added) == 1
    old_ids = set(fresh_assistant.store.ids_for_source("fjordnotat"))

    note.write_text(
        "# Fjordkommunens erfaringer\n\n## Tiltak\n\nFjordkommunen tok i bruk polarlysmålerne i 2024. "
        "Polarlysmålerne varsler pårørende automatisk.\n",
        encoding="utf-8",
    )
    report = fresh_assistant.ingest([folder])

    assert [o.source for o in report.updated] == ["fjordnotat"] and not report.added
    texts = [p.text for p in fresh_assistant.store.all_passages()]
    assert not any("kvasarkompass" in t.casefold() for t in texts)
    assert not old_ids & set(fresh_assistant.store.ids_for_source("fjordnotat"))
    assert fresh_assistant.lexical().search("kvasarkompassene", 10) == []
    top = fresh_assistant.retrieve("Hva tok Fjordkommunen i bruk i 2024?", k=3)[0]
    assert "polarlysmålerne" in top.text and top.section == "Fjordkommunens erfaringer > Tiltak"
    assert_bm25_in_step(fresh_assistant)


def test_changed_pdf_is_replaced(fresh_assistant: Assistant, corpus_copy: Path) -> None:
    """A new version of a PDF (other text, other page count) replaces every passage of the old one."""
    pdf = corpus_copy / "kommunenotat.pdf"
    write_pdf(pdf, ["Innledning\n\nKommunen vurderte kvasarkompassene for hjemmetjenesten i 2021."])
    first = fresh_assistant.ingest([corpus_copy])
    assert first.ok and "kommunenotat" in {o.source for o in first.added}
    others = {s: fresh_assistant.store.ids_for_source(s) for s in ("strategi", "horingsoppsummering")}

    write_pdf(
        pdf,
        [
            "Innledning\n\nDette er andre versjon av notatet om velferdsteknologi.",
            "Resultater\n\nKommunen valgte polarlysmålerne som varsler pårørende ved fall i hjemmet.",
        ],
    )
    report = fresh_assistant.ingest([corpus_copy])

    assert [o.source for o in report.updated] == ["kommunenotat"]
    assert len(report.skipped) == 5 and not report.added
    passages = [p for p in fresh_assistant.store.all_passages() if p.source == "kommunenotat"]
    assert passages and not any("kvasarkompass" in p.text for p in passages)
    info = {d.source: d for d in fresh_assistant.documents()}["kommunenotat"]
    assert (info.pages, info.passages) == (2, len(passages))
    assert info.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    top = fresh_assistant.retrieve("Hva varsler pårørende ved fall i hjemmet?", k=3)[0]
    assert top.source == "kommunenotat" and "polarlysmålerne" in top.text and top.page == 2
    assert {s: fresh_assistant.store.ids_for_source(s) for s in others} == others
    assert_bm25_in_step(fresh_assistant)


def test_prune_removes_documents_whose_files_are_gone(fresh_assistant: Assistant, corpus_copy: Path) -> None:
    fresh_assistant.ingest([corpus_copy])
    query = "helsenæringen stiavhengige lokale installerte IKT-tjenester"
    assert any(p.source == "horingssvar-naringsaktor" for p, _ in fresh_assistant.lexical().search(query, 20))
    (corpus_copy / "horingssvar-naringsaktor.pdf").unlink()

    kept = fresh_assistant.ingest([corpus_copy])  # without --prune the document stays
    assert "horingssvar-naringsaktor" in {d.source for d in fresh_assistant.documents()}
    assert not kept.removed

    report = fresh_assistant.ingest([corpus_copy], prune=True)

    assert [o.source for o in report.removed] == ["horingssvar-naringsaktor"]
    assert "horingssvar-naringsaktor" not in {d.source for d in fresh_assistant.documents()}
    assert fresh_assistant.store.ids_for_source("horingssvar-naringsaktor") == []
    assert fresh_assistant.store.sentence_ids_for_source("horingssvar-naringsaktor") == []
    assert all(p.source != "horingssvar-naringsaktor" for p, _ in fresh_assistant.lexical().search(query, 50))
    assert all(p.source != "horingssvar-naringsaktor" for p in fresh_assistant.retrieve(query, k=50))
    assert len(fresh_assistant.documents()) == 4
    assert_bm25_in_step(fresh_assistant)


# -- filters -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "field", "allowed"),
    [
        ({"kind": "høringssvar"}, "kind", {"høringssvar"}),
        ({"organisation": IMDI}, "organisation", {IMDI}),
        ({"source": ["strategi", "horingsoppsummering"]}, "source", {"strategi", "horingsoppsummering"}),
    ],
)
def test_filters_restrict_every_channel(
    assistant: Assistant, filters: dict[str, object], field: str, allowed: set[str]
) -> None:
    question = "Hva mener høringsinstansene om målene for innbyggere og digitale tjenester?"
    channels = {
        "dense": assistant.retriever.dense(question, 40, filters),
        "lexical": assistant.retriever.lexical(question, 40, filters),
    }
    if assistant.retriever.sentences is not None:
        channels["sentences"] = assistant.retriever.sentences(question, 40, filters)
    for name, hits in channels.items():
        assert hits, name
        assert {getattr(p, field) for p, _ in hits} <= allowed, name
    fused = assistant.retrieve(question, k=30, filters=filters)
    assert fused and {getattr(p, field) for p in fused} <= allowed
    unfiltered = assistant.retrieve(question, k=30)
    assert {getattr(p, field) for p in unfiltered} - allowed  # the filter really removed something


def test_unknown_filter_is_an_input_error(assistant: Assistant) -> None:
    with pytest.raises(InputError, match="Unknown filter"):
        assistant.retrieve(SUMMARY_QUESTION, filters={"year": "2023"})


# -- document metadata -------------------------------------------------------------------------------
def test_document_metadata_comes_from_the_manifest(assistant: Assistant, corpus_dir: Path) -> None:
    manifest = tomllib.loads((corpus_dir / "sources.toml").read_text(encoding="utf-8"))["document"]
    docs = {d.source: d for d in assistant.documents()}
    counts = Counter(p.source for p in assistant.store.all_passages())
    assert set(docs) == {Path(e["file"]).stem for e in manifest}
    for entry in manifest:
        info = docs[Path(entry["file"]).stem]
        assert info.title == entry["title"]
        assert info.kind == entry["kind"]
        assert info.organisation == entry.get("organisation", "")
        assert info.sha256 == hashlib.sha256((corpus_dir / entry["file"]).read_bytes()).hexdigest()
        assert info.pages == len(load_file(corpus_dir / entry["file"]).pages)
        assert info.passages == counts[info.source] > 0
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", info.ingested_at)


def test_text_and_markdown_files_without_manifest_entry(fresh_assistant: Assistant, tmp_path: Path) -> None:
    """Unnamed files get kind `dokument` and their first heading as title; .txt pages split on form feeds."""
    folder = tmp_path / "notater"
    folder.mkdir()
    (folder / "sources.toml").write_text(
        '[[document]]\nfile = "kjent.md"\ntitle = "Et kjent notat"\nkind = "strategi"\n'
        'organisation = "Helsedirektoratet"\n',
        encoding="utf-8",
    )
    (folder / "kjent.md").write_text(
        "# Overskrift som ikke blir tittel\n\nDette notatet har metadata i manifestet.\n", encoding="utf-8"
    )
    (folder / "velferd.md").write_text(
        "# Velferdsteknologi i kommunene\n\nKort innledning om velferdsteknologi.\n\n## Erfaringer\n\n"
        "Digitalt tilsyn har redusert antall nattlige besøk. Medisindispensere ga færre feil.\n",
        encoding="utf-8",
    )
    (folder / "journal.txt").write_text(
        "Rapport om journalløsninger\n\nFelles journal gir helsepersonell tilgang til opplysninger.\n"
        "\fVedlegg\n\nPå side to står en oversikt over kommunale journalsystemer.\n",
        encoding="utf-8",
    )
    report = fresh_assistant.ingest([folder])
    assert report.ok and len(report.added) == 3

    docs = {d.source: d for d in fresh_assistant.documents()}
    assert (docs["kjent"].title, docs["kjent"].kind, docs["kjent"].organisation) == (
        "Et kjent notat",
        "strategi",
        "Helsedirektoratet",
    )
    assert (docs["velferd"].title, docs["velferd"].kind, docs["velferd"].organisation) == (
        "Velferdsteknologi i kommunene",
        "dokument",
        "",
    )
    assert (docs["journal"].title, docs["journal"].kind, docs["journal"].pages) == (
        "Rapport om journalløsninger",
        "dokument",
        2,
    )
    velferd = [p for p in fresh_assistant.store.all_passages() if p.source == "velferd"]
    assert "Velferdsteknologi i kommunene > Erfaringer" in {p.section for p in velferd}
    assert not any("#" in p.text for p in velferd)
    top = fresh_assistant.retrieve("Hvilke kommunale journalsystemer finnes?", k=2)[0]
    assert (top.source, top.page) == ("journal", 2) and "journalsystemer" in top.text


# -- personal data -----------------------------------------------------------------------------------
def test_contact_details_are_masked_in_the_bundled_hearing_responses(
    assistant: Assistant, passages: list[Passage]
) -> None:
    email = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    assert not any("bmo@imdi.no" in p.text for p in passages)
    for p in passages:
        if p.kind == "høringssvar":
            assert not email.search(p.text), p.chunk_id
    imdi = [p.text for p in passages if p.source == "horingssvar-imdi"]
    assert any(EMAIL_MASK in t for t in imdi)
    assert any("01.10.2022" in t for t in imdi)  # dates are not phone numbers
    sentences = assistant.store.sentences_collection.get(include=["documents"])["documents"]
    assert not any("bmo@imdi.no" in s for s in sentences)
    assert not any("bmo@imdi.no" in p.text for p in assistant.lexical().passages)


def test_unnamed_hearing_response_is_masked(fresh_assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "svar-kommune.txt").write_text(
        "Høringssvar fra Fjordkommunen\n\n"
        "1) Kan dere stille dere bak de fem strategiske målene, gitt strategiens rolle?\n\n"
        "Ja. Kontaktperson er Ola Nordmann, ola.nordmann@fjordkommune.no, telefon 22 33 44 55 "
        "eller mobil +47 987 65 432. Svaret ble sendt 01.10.2022 i sak 22/414.\n",
        encoding="utf-8",
    )
    assert fresh_assistant.ingest([folder]).ok
    [info] = fresh_assistant.documents()
    assert info.kind == "høringssvar"
    text = "\n".join(p.text for p in fresh_assistant.store.all_passages())
    assert "ola.nordmann@fjordkommune.no" not in text and EMAIL_MASK in text
    assert "22 33 44 55" not in text and "987 65 432" not in text and PHONE_MASK in text
    assert "01.10.2022" in text and "22/414" in text and "Ola Nordmann" in text


def test_chapter_title_ending_a_page_heads_the_section_on_the_next() -> None:
    """A chapter title that closes a page, with its first section's heading opening the next, is that
    section's parent (its text stays apart from the section before); two short lines on one page after a
    sentence are still a list, not a chapter and a section."""
    from ingest.loaders import Page
    from ingest.sections import split_sections

    pages = [
        Page(
            1, "Tiltak i kommunene\nKommunene tar i bruk nye løsninger.\nFotnoter står her.\nMål og retning\n"
        ),
        Page(2, "Retning\nRetningen er felles for alle aktørene.\n"),
        Page(3, "Oversikt\nDette gjelder:\nFørste område\nAndre område\nTeksten går videre her.\n"),
    ]
    sections = {s.title: s for s in split_sections(pages)}
    assert "Mål og retning > Retning" in sections
    assert "felles for alle" in sections["Mål og retning > Retning"].blocks[0].text
    assert not any("Mål og retning" in b.text for b in sections["Tiltak i kommunene"].blocks)
    assert not any(title.startswith("Første område >") for title in sections)
