"""Retrieved passages → a cited answer: extractive (default, offline) or through an LLM."""
