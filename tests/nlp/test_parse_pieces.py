"""Long articles are parsed in pieces and joined (kg.extract.parse): same Doc, less memory."""

from __future__ import annotations

import pytest

from kg.extract import extract_doc, parse, pieces
from kg.nlp import build_nlp
from kg.records import Article
from kg.settings import DEFAULT_MODEL

PARAGRAPH = (
    "Maria Lopez, the chief executive of Northwind Bank, met Prime Minister Tom Reyes in "
    "Madrid on Monday. The bank said it would open an office in Lisbon.\n\n"
)


def test_short_text_is_one_piece():
    assert pieces("One line.\nTwo lines.\n", limit=10) == ["One line.\nTwo lines.\n"]


def test_pieces_are_cut_after_line_breaks_and_join_back():
    text = "a b c\n\nd e f\ng h i j k\n\n\nl m\n"
    parts = pieces(text, limit=4)
    assert "".join(parts) == text
    assert parts == ["a b c\n\n", "d e f\n", "g h i j k\n\n\n", "l m\n"]
    assert all(p.endswith("\n") for p in parts)


def test_a_paragraph_longer_than_the_limit_stays_whole():
    text = "w " * 50 + "\nshort\n"
    assert pieces(text, limit=10) == ["w " * 50 + "\n", "short\n"]


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(DEFAULT_MODEL)


def test_a_long_article_gives_the_same_records_as_parsed_whole(nlp, monkeypatch):
    text = "Bank chief meets minister\n\n" + PARAGRAPH * 40  # about 1,100 words
    article = Article("long.txt", text, "long.txt", content_hash="0" * 64)
    assert len(pieces(text)) > 1
    ((joined, _),) = list(parse(nlp, [article]))
    assert joined.text == text
    monkeypatch.setattr("kg.extract.PIECE_WORDS", 10**6)
    monkeypatch.setattr("kg.extract.BATCH_WORDS", 10**6)
    assert len(pieces(text)) == 1
    ((whole, _),) = list(parse(nlp, [article]))
    assert [(t.text, t.dep_, t.head.i, t.ent_iob_, t.is_sent_start) for t in joined] == [
        (t.text, t.dep_, t.head.i, t.ent_iob_, t.is_sent_start) for t in whole
    ]
    assert extract_doc(joined, article) == extract_doc(whole, article)


def test_articles_come_back_in_order_across_batches(nlp, monkeypatch):
    monkeypatch.setattr("kg.extract.BATCH_WORDS", 30)
    articles = [
        Article(f"a{i}.txt", PARAGRAPH * (1 + i % 3), f"a{i}.txt", content_hash=str(i) * 64)
        for i in range(7)
    ]
    done = list(parse(nlp, articles))
    assert [a.identifier for _, a in done] == [a.identifier for a in articles]
    assert all(doc.text == a.text for doc, a in done)
