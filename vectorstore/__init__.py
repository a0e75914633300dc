"""Passages → index → candidates: embeddings, the Chroma store, the BM25 side and their fusion."""
