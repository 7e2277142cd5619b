"""Report stage: a kg graph (from a store, graph files or articles) → one self-contained HTML page.

``kg report`` and :func:`report_html` are the entry points; the page is
built from the graph alone (plus the articles' texts when kg has them), so
a store, a Turtle file or a fresh extraction give the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.report.html import render
from kg.report.model import ReportData, read_report_data

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.store import Store

__all__ = ["ReportData", "graph_from_store", "read_report_data", "report_html"]


def report_html(
    graph: Graph, texts: Mapping[str, str] | None = None, title: str = "kg report"
) -> str:
    """The report page for ``graph``; ``texts`` maps article identifiers to their text."""
    return render(read_report_data(graph, texts), title)


def graph_from_store(store: Store) -> Graph:
    """Every named graph of ``store`` merged into one rdflib graph."""
    from rdflib import Graph

    from kg.formats import parse_text

    graph = Graph(bind_namespaces="none")
    parse_text(store.export("nquads").decode("utf-8"), "nquads", "urn:kg:store", graph)
    return graph
