"""Evaluation suite: run with `pytest evals/` (see README)."""
