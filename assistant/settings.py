"""One settings object for the whole assistant, read from ``ASSISTANT_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob in one place; each field's description is the documentation."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", validate_default=True)

    home: Path = Field(
        Path(".assistant"),
        description="Folder for the embedded Chroma index, the BM25 index and the embedding cache.",
    )
    chroma_url: str | None = Field(
        None,
        description="http://host:port of a Chroma server (`chroma run`); unset = embedded Chroma under home.",
    )
    collection: str = Field("passages", description="Chroma collection holding the passages.")
    corpus_dir: Path = Field(
        REPO_ROOT / "data" / "corpus", description="Default folder `ingest` reads when given no path."
    )
    embeddings: str = Field(
        "e5-small",
        description="Embedding backend: `e5-small` (bundled, offline) or `st:<model name or path>`.",
    )
    llm: str | None = Field(
        None,
        description="Chat model for the LLM answerer: `openai:<model>` or `ollama:<model>`; unset = extractive.",
    )
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible or Ollama endpoint.")
    llm_api_key: SecretStr | None = Field(
        None, description="API key for the LLM endpoint; read from the environment only, never logged."
    )
    llm_timeout: float = Field(
        60.0,
        gt=0,
        description="Deadline in seconds for the whole LLM answer, from the request to the last token; at the "
        "deadline the stream is closed and the extractive answer is shown with a note.",
    )
    llm_max_tokens: int = Field(
        600,
        ge=16,
        le=8192,
        description="Most tokens the LLM may generate for one answer (sent to the server and enforced on the "
        "stream); a longer answer is cut with a note.",
    )
    llm_max_unsupported: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Quality gate: when more than this share of the LLM answer's sentences find no support in "
        "the passages they cite, the extractive answer is shown instead (the model's text is kept apart).",
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense (embedding) list in rank fusion.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the BM25 list in rank fusion.")
    sentence_weight: float = Field(
        0.0, ge=0, description="Weight of the list of passages ranked by their closest sentence (dense)."
    )
    rrf_k: int = Field(20, ge=1, description="Reciprocal-rank-fusion constant: smaller favours top ranks.")
    candidates: int = Field(40, ge=5, description="Candidates each channel contributes before fusion.")
    chunk_target_words: int = Field(200, ge=40, description="Words a passage aims for within a section.")
    chunk_max_words: int = Field(
        300,
        ge=60,
        description="Hard cap on passage words (e5 reads at most 512 tokens, ~300 Norwegian words).",
    )
    profile: Path | None = Field(
        None,
        description="Corpus profile (kinds, hearing vocabulary); unset = `profile.toml` in corpus_dir.",
    )
    reader_model: Path | None = Field(
        None,
        description="Fitted ranker (JSON from `python -m assistant fit-reader`); unset = the bundled one.",
    )
    reader_per_channel: int = Field(
        20, ge=1, le=200, description="Passages each retrieval channel adds to the reader's candidate pool."
    )
    reader_fused_k: int = Field(8, ge=1, le=100, description="Passages of the fused ranking in the pool.")
    reader_named_k: int = Field(
        4, ge=0, le=50, description="Passages read from each response or document kind a question names."
    )
    reader_list_items: int = Field(
        25, ge=1, le=200, description="List items a sentence that introduces a list carries into its quote."
    )
    reader_abstain_below: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Abstain when the best candidate's probability is below this; unset = the value chosen "
        "when the model was fitted (stored in the model file).",
    )
    reader_support_ratio: float | None = Field(
        None,
        ge=0,
        le=1,
        description="A supporting quote scores at least this share of the lead's probability; unset = the "
        "value chosen when the model was fitted (stored in the model file).",
    )
    reader_support_floor: float | None = Field(
        None,
        ge=0,
        le=1,
        description="A supporting quote has at least this probability; unset = the fitted value.",
    )
    reader_max_sentences: int = Field(3, ge=1, le=10, description="Quotes in an answer, the lead included.")
    reader_per_passage: int | None = Field(
        None, ge=1, le=10, description="Quotes an answer takes from one passage; unset = the fitted value."
    )
    reader_lookahead: int = Field(
        4, ge=0, le=10, description="Sentences after the lead searched for its reason or handling."
    )
    reader_rare_zipf: float = Field(
        2.2,
        ge=0,
        le=8,
        description="A term no document uses and rarer than this in Norwegian at large (Zipf) is a subject "
        "the documents do not cover: the answer abstains.",
    )
    mask_personal_data: bool = Field(
        True, description="Mask e-mail addresses and phone numbers in hearing responses (kind `høringssvar`)."
    )
    max_pdf_pages: int = Field(2000, ge=1, description="PDFs with more pages are refused.")
    max_file_mb: float = Field(50.0, gt=0, description="Files (and uploads) larger than this are refused.")
    max_question_chars: int = Field(
        2000, ge=50, description="Questions longer than this are cut with a note."
    )
    api_link: bool = Field(
        False,
        description="Show Gradio's «Use via API» link under the app (the API page is in English); the API "
        "itself works either way.",
    )
    auth: str | None = Field(
        None,
        description="`user:password`, or a path to a file of such lines; required to bind the app beyond localhost.",
    )

    @field_validator("embeddings")
    @classmethod
    def _known_embeddings(cls, value: str) -> str:
        if value != "e5-small" and not (value.startswith("st:") and len(value) > 3):
            raise ValueError("use `e5-small` or `st:<model name or path>`")
        return value

    @field_validator("llm")
    @classmethod
    def _known_llm(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        provider, _, model = value.partition(":")
        if provider not in ("openai", "ollama") or not model:
            raise ValueError("use `openai:<model>` or `ollama:<model>`")
        return value

    @property
    def profile_path(self) -> Path:
        return self.profile or self.corpus_dir / "profile.toml"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.home / "bm25"

    @property
    def pages_path(self) -> Path:
        return self.home / "pages"

    @property
    def cache_path(self) -> Path:
        return self.home / "embeddings.sqlite"
