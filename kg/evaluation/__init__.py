"""Scoring stage: kg's output measured against gold annotations (gold YAML, CoNLL04)."""

from __future__ import annotations

from kg.evaluation.gold import GoldScore, load_gold, norm, score_graph

__all__ = ["GoldScore", "load_gold", "norm", "score_graph"]
