"""`kg report` without a browser: what the page holds, escaping, the SVG layout, bad paths."""

from __future__ import annotations

import math
from pathlib import Path

import lxml.html
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import cli
from kg.report import read_report_data, report_html
from kg.report.svg import radial_layout

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"


def _page(graph: Graph, texts: dict[str, str] | None = None) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(report_html(graph, texts))


def test_every_statement_is_in_its_articles_table() -> None:
    graph = Graph().parse(TWO_ARTICLES)
    data = read_report_data(graph)
    assert len(data.facts) == 14 and len(data.articles) == 2
    page = _page(graph)
    for article in data.articles:
        (section,) = page.xpath(f'//section[@id="{article.anchor}"]')
        rows = [[td.text_content() for td in tr.xpath("td")] for tr in section.xpath(".//tbody/tr")]
        assert len(rows) == len(article.facts)
        for fact, row in zip(article.facts, rows, strict=True):
            assert row[0] == data.entities[fact.subject].label
            assert row[1] == fact.predicate.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            assert fact.modality == row[3]


def test_links_resolve_and_every_entity_has_a_picture() -> None:
    page = _page(Graph().parse(TWO_ARTICLES))
    ids = set(page.xpath("//@id"))
    targets = [h[1:] for h in page.xpath("//a/@href | //*[local-name()='a']/@href") if h[:1] == "#"]
    assert len(targets) > 50
    assert [t for t in targets if t not in ids] == []
    entities = page.xpath('//section[@class="entity"]')
    assert len(entities) == 13
    assert all(e.xpath(".//*[local-name()='svg']") for e in entities)
    # each fact's "sentence" link points at the sentence in its article's text
    for link in page.xpath('//a[@title="the sentence"]'):
        (sentence,) = page.xpath(f'//*[@id="{link.get("href")[1:]}"]')
        assert sentence.get("class") == "sent"


def test_full_text_is_shown_and_entities_marked_by_class() -> None:
    graph = Graph().parse(TWO_ARTICLES)
    text = "Talks.\n\nNATO Secretary General Jens Stoltenberg welcomed the plan. Then more."
    page = _page(graph, {"nato-tokyo.txt": text})
    (body,) = page.xpath('//section[@data-identifier="nato-tokyo.txt"]//div[@class="text"]')
    marks = {(m.xpath("a")[0].text, m.xpath("span")[0].text) for m in body.xpath(".//mark")}
    assert {("NATO", "Organization"), ("Jens Stoltenberg", "Person")} <= marks
    for label in body.xpath('.//span[@class="lbl"]'):
        label.drop_tree()
    assert body.text_content() == text


def test_labels_are_escaped() -> None:
    graph = Graph().parse(TWO_ARTICLES)
    nato = URIRef("https://w3id.org/kg-populator/id/organization/nato")
    graph.set((nato, RDFS.label, Literal("<script>alert(1)</script> & Co")))
    html = report_html(graph)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_radial_layout_spreads_points_on_the_circle() -> None:
    points = radial_layout(4, 100, 200)
    expected = [(200, 100), (300, 200), (200, 300), (100, 200)]
    assert all(math.dist(p, q) < 1e-9 for p, q in zip(points, expected, strict=True))


def test_report_from_graph_files_and_bad_paths(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.html"
    result = runner.invoke(cli, ["report", "--graph", str(TWO_ARTICLES), "-o", str(out), "-q"])
    assert (result.exit_code, result.output) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = tmp_path / "no" / "r.html"
    result = runner.invoke(cli, ["report", "--store", str(tmp_path / "s"), "-o", str(bad)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {bad}: no such folder '{bad.parent}'\n",
    )
    assert not (tmp_path / "s").exists()
    both = runner.invoke(cli, ["report", "a.txt", "--graph", str(TWO_ARTICLES)])
    assert both.exit_code == 2
