"""`kg eval`: run kg over a gold set's inputs (or a CoNLL04 split) and score the result."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from kg.errors import InputError
from kg.evaluation.conll04 import (
    ConllScore,
    detok,
    doc_name,
    gold_relations,
    predicted_from_graph,
    read_split,
    score,
)
from kg.evaluation.gold import GoldScore, load_gold, score_graph
from kg.evaluation.run import (
    extracted_graph,
    is_graph_file,
    read_graphs,
    read_texts,
    sentences_graph,
)
from kg.settings import Settings

logger = logging.getLogger(__name__)


def eval_gold(
    gold_path: str,
    inputs: Sequence[str],
    settings: Settings,
    texts_dir: str | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> tuple[GoldScore, int]:
    """Score kg on a gold file: the inputs are articles to extract, or graphs to read.

    Returns the score and the number of inputs that could not be read.
    """
    gold = load_gold(gold_path)
    if all(is_graph_file(i) for i in inputs):
        graph = read_graphs(inputs)
        texts = read_texts(texts_dir) if texts_dir else {}
        return score_graph(graph, gold, texts), 0
    if any(is_graph_file(i) for i in inputs):
        raise InputError(inputs[0], "mix of graphs and articles: give one kind of input")
    graph, texts, failed = extracted_graph(inputs, settings, on_error)
    if texts_dir:
        texts.update(read_texts(texts_dir))
    return score_graph(graph, gold, texts), failed


def eval_conll04(split_path: str, settings: Settings, *, gold_entities: bool = False) -> ConllScore:
    """Strict CoNLL04 scores: end to end (kg's entities, rules and model if set), or with
    the gold entities given to the relation model."""
    split = read_split(split_path)
    gold = gold_relations(split)
    if gold_entities:
        from kg.nlp.relmodel.conll import predict_gold_entities

        return score(gold, predict_gold_entities(split, settings))
    texts = [(doc_name(i), detok(sent["tokens"])) for i, sent in enumerate(split)]
    return score(gold, predicted_from_graph(sentences_graph(texts, settings)))
