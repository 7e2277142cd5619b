"""`kg eval`: run kg over a gold set's inputs (or a CoNLL04 split), score, render tables."""

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
    """Strict CoNLL04 scores: with the gold entities given to the relation model; end to
    end with the entities of the model folder's entity component when it has one
    (``kg train`` on CoNLL04 makes it); else end to end through kg (its entities, its
    rules, and the model if set)."""
    split = read_split(split_path)
    gold = gold_relations(split)
    if gold_entities or _has_entity_component(settings.relations_model):
        from kg.nlp.relmodel.apply import predict_conll04

        return score(gold, predict_conll04(split, settings, gold_entities=gold_entities))
    texts = [(doc_name(i), detok(sent["tokens"])) for i, sent in enumerate(split)]
    return score(gold, predicted_from_graph(sentences_graph(texts, settings)))


def _has_entity_component(folder: str | None) -> bool:
    from kg.nlp.relmodel.ner import member_folders

    return bool(folder) and bool(member_folders(str(folder)))


# --- rendering (the CLI prints these)


def gold_table(score: GoldScore, *, detail: bool = False) -> str:
    """P/R/F1 per property and overall, then the other measures, one per line."""
    m = score.measures
    lines = [
        f"{'property':28s} {'gold':>5s} {'found':>5s} {'recall':>7s} "
        f"{'pred':>5s} {'right':>5s} {'prec':>6s} {'f1':>6s}"
    ]
    for prop, s in sorted(score.properties.items()):
        # "-" where a measure is undefined: no gold fact, or nothing predicted (or a
        # datatype property such as jobTitle, whose precision is not scored)
        recall = f"{s.recall:7.3f}" if s.gold else f"{'-':>7s}"
        precision = f"{s.precision:6.3f}" if s.predicted else f"{'-':>6s}"
        f1 = f"{s.f1:6.3f}" if s.gold and s.predicted else f"{'-':>6s}"
        lines.append(
            f"{prop:28s} {s.gold:5d} {s.found:5d} {recall} {s.predicted:5d} {s.right:5d} "
            f"{precision} {f1}"
        )
    gold = sum(s.gold for s in score.properties.values())
    found = sum(s.found for s in score.properties.values())
    pred = sum(s.predicted for s in score.properties.values())
    right = sum(s.right for s in score.properties.values())
    lines.append(
        f"{'all':28s} {gold:5d} {found:5d} {m['fact_recall']:7.3f} "
        f"{pred:5d} {right:5d} {m['fact_precision']:6.3f} {m['fact_f1']:6.3f}"
    )
    lines.append("")
    for key, value in m.items():
        lines.append(f"{key}: {value}")
    if detail:
        lines.append("")
        for key, items in score.detail.items():
            lines.extend(f"{key}: {item}" for item in items)
    return "\n".join(lines)


def conll_table(score: ConllScore) -> str:
    """tp/fp/fn and P/R/F1 per CoNLL04 relation type, then micro and macro averages."""
    lines = [f"{'relation':12s} {'tp':>5s} {'fp':>5s} {'fn':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for t in score.types():
        r = score.row(t)
        lines.append(_conll_line(t, r))
    lines.append(_conll_line("micro", score.micro()))
    lines.append(f"macro_F1: {score.macro_f1():.3f}")
    return "\n".join(lines)


def _conll_line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:12s} {r['tp']:5d} {r['fp']:5d} {r['fn']:5d} "
        f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
    )
