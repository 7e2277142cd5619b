"""Report stage, writing: one self-contained HTML page (inline CSS and SVG, no script, no network).

An index of articles and entities; per article its text with entities
marked by class (as displaCy does) and its facts, each linked to its
sentence; per entity its facts across articles and its neighbourhood.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from kg.report.model import Article, Entity, Fact, ReportData, local
from kg.report.svg import COLOURS, neighbourhood_svg

CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header,main{max-width:1100px;margin:0 auto;padding:0 1.2em}
header{background:#234;color:#fff;max-width:none;padding:1em 2em}
header a{color:#cde}
h2{border-bottom:2px solid #234;padding-top:.6em}
section{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1.2em 0;
  padding:.4em 1.2em 1em}
section:target{outline:3px solid #e9c46a}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
.text{white-space:pre-wrap;background:#fcfcf7;padding:.8em;border-radius:4px;line-height:2}
.ent{padding:.1em .3em;border-radius:.3em;line-height:1}
.ent a{color:inherit;text-decoration:none}
.ent .lbl{font-size:.65em;font-weight:bold;margin-left:.3em;text-transform:uppercase;opacity:.75}
.sent:target{background:#ffe8a3}
.meta{color:#555;font-size:13px}
.mod-Planned,.mod-Negated,.mod-Past{font-style:italic;color:#8a3b12}
.cols{columns:3 16em;font-size:13px}
.cols li{break-inside:avoid}
.hood{max-width:100%;height:auto;background:#fff}
.legend span{display:inline-block;padding:0 .5em;margin-right:.4em;border-radius:.3em}
"""


def _ent_style(cls: str) -> str:
    return f"background:{COLOURS.get(cls, '#ddd')}"


def _entity_link(iri: str, data: ReportData) -> str:
    entity = data.entities.get(iri)
    if entity is None:
        return escape(local(iri) if iri.startswith("http") else iri)
    return f'<a href="#{entity.anchor}">{escape(entity.label)}</a>'


def _object(fact: Fact, data: ReportData) -> str:
    return _entity_link(fact.obj, data) if fact.obj_is_iri else f"“{escape(fact.obj)}”"


def _sentence_pattern(sentence: str) -> re.Pattern[str] | None:
    words = sentence.split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


def _sentence_spans(text: str, sentences: Iterable[str]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for sentence in sentences:
        pattern = _sentence_pattern(sentence)
        match = pattern.search(text) if pattern and sentence not in spans else None
        if match and not any(s < match.end() and match.start() < e for s, e in taken):
            spans[sentence] = (match.start(), match.end())
            taken.append(spans[sentence])
    return spans


def _entity_spans(text: str, entities: list[Entity]) -> list[tuple[int, int, Entity]]:
    names: dict[str, Entity] = {}
    for entity in entities:
        for name in (entity.label, *entity.aliases):
            if len(name) > 1:
                names.setdefault(name, entity)
    if not names:
        return []
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    return [(m.start(), m.end(), names[m.group(0)]) for m in pattern.finditer(text)]


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int, Entity]]) -> str:
    out, at = [], start
    for s, e, entity in spans:
        if s < at or e > end:
            continue
        out.append(escape(text[at:s]))
        out.append(
            f'<mark class="ent" style="{_ent_style(entity.cls)}">'
            f'<a href="#{entity.anchor}">{escape(text[s:e])}</a>'
            f'<span class="lbl">{entity.cls}</span></mark>'
        )
        at = e
    out.append(escape(text[at:end]))
    return "".join(out)


def article_text(article: Article, data: ReportData) -> tuple[str, dict[str, str]]:
    """The article's text marked up, and the anchor of each fact's sentence."""
    sentences = [f.evidence for f in article.facts if f.evidence]
    text = article.text
    if text is None:  # a store keeps no full text: show the sentences its facts quote
        text = "\n\n".join(dict.fromkeys(sentences))
    spans = _sentence_spans(text, sentences)
    known = [data.entities[m] for m in article.mentions if m in data.entities]
    for fact in article.facts:
        known += [data.entities[i] for i in (fact.subject, fact.obj) if i in data.entities]
    entity_spans = _entity_spans(text, list({e.iri: e for e in known}.values()))
    anchors: dict[str, str] = {}
    out, at = [], 0
    for number, (sentence, (s, e)) in enumerate(sorted(spans.items(), key=lambda x: x[1][0])):
        anchor = f"{article.anchor}-s{number + 1}"
        anchors[sentence] = anchor
        out.append(_marked(text, at, s, entity_spans))
        out.append(f'<span class="sent" id="{anchor}">{_marked(text, s, e, entity_spans)}</span>')
        at = e
    out.append(_marked(text, at, len(text), entity_spans))
    return "".join(out), anchors


def _fact_row(fact: Fact, data: ReportData, anchors: dict[str, str], with_article: bool) -> str:
    article = next((a for a in data.articles if a.iri == fact.article), None)
    cells = []
    if with_article:
        cells.append(
            f'<a href="#{article.anchor}">{escape(article.identifier)}</a>' if article else ""
        )
    sentence = anchors.get(fact.evidence)
    link = f'<a href="#{sentence}" title="the sentence">sentence</a>' if sentence else ""
    modality = fact.modality or ("plain triple" if fact.plain else "")
    cells += [
        _entity_link(fact.subject, data),
        f'<span title="{escape(fact.predicate)}">{escape(local(fact.predicate))}</span>',
        _object(fact, data),
        f'<span class="mod-{escape(fact.modality)}">{escape(modality)}</span>',
        escape(fact.confidence),
        escape(fact.source),
        link,
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _facts_table(rows: list[str], with_article: bool) -> str:
    if not rows:
        return '<p class="meta">No facts.</p>'
    head = ["article"] if with_article else []
    head += ["subject", "property", "object", "modality", "confidence", "source", ""]
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def render(data: ReportData, title: str) -> str:
    """The whole report page."""
    anchors: dict[str, dict[str, str]] = {}
    article_parts = []
    for article in data.articles:
        body, sentence_anchors = article_text(article, data)
        anchors[article.iri] = sentence_anchors
        meta = " · ".join(
            escape(x) for x in (article.date, article.publisher, ", ".join(article.authors)) if x
        )
        note = (
            ""
            if article.text is not None
            else (
                '<p class="meta">The store keeps no full text: these are the sentences '
                "its facts quote.</p>"
            )
        )
        rows = [_fact_row(f, data, sentence_anchors, False) for f in article.facts]
        article_parts.append(
            f'<section id="{article.anchor}" class="article" '
            f'data-identifier="{escape(article.identifier)}"><h3>'
            f"{escape(article.headline or article.identifier)}</h3>"
            f'<p class="meta">{escape(article.identifier)}{" · " if meta else ""}{meta}</p>'
            f'{note}<div class="text">{body}</div><h4>Facts</h4>'
            f"{_facts_table(rows, False)}</section>"
        )
    entity_parts = []
    for entity in sorted(data.entities.values(), key=lambda e: int(e.anchor[1:])):
        facts = data.facts_of(entity.iri)
        rows = [_fact_row(f, data, anchors.get(f.article, {}), True) for f in facts]
        aliases = f"also: {escape(', '.join(entity.aliases))}" if entity.aliases else ""
        entity_parts.append(
            f'<section id="{entity.anchor}" class="entity"><h3>'
            f'<mark class="ent" style="{_ent_style(entity.cls)}">{escape(entity.label)}'
            f'<span class="lbl">{entity.cls}</span></mark></h3>'
            f'<p class="meta">{aliases} <code>{escape(entity.iri)}</code></p>'
            f"{neighbourhood_svg(entity, facts, data.entities)}{_facts_table(rows, True)}"
            "</section>"
        )
    return _page(title, data, "".join(article_parts), "".join(entity_parts))


def _index(data: ReportData) -> str:
    items = [
        f'<li><a href="#{a.anchor}">{escape(a.headline or a.identifier)}</a> '
        f'<span class="meta">{escape(a.date)} · {len(a.facts)} facts</span></li>'
        for a in data.articles
    ]
    parts = [f'<h2 id="articles">Articles ({len(data.articles)})</h2><ol class="cols">']
    parts += items
    parts.append(f'</ol><h2 id="entities">Entities ({len(data.entities)})</h2>')
    by_class: dict[str, list[Entity]] = {}
    for entity in data.entities.values():
        by_class.setdefault(entity.cls, []).append(entity)
    for cls in sorted(by_class):
        members = sorted(by_class[cls], key=lambda e: e.label.casefold())
        parts.append(
            f'<h3><mark class="ent" style="{_ent_style(cls)}">{cls}</mark> '
            f'({len(members)})</h3><ul class="cols">'
        )
        parts += [f'<li><a href="#{e.anchor}">{escape(e.label)}</a></li>' for e in members]
        parts.append("</ul>")
    return "".join(parts)


def _page(title: str, data: ReportData, articles: str, entities: str) -> str:
    legend = "".join(f'<span style="{_ent_style(c)}">{c}</span>' for c in COLOURS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{len(data.articles)} articles · "
        f"{len(data.entities)} entities · {len(data.facts)} facts · "
        '<a href="#articles">articles</a> · <a href="#entities">entities</a> · '
        '<a href="#article-texts">texts</a> · <a href="#entity-facts">entity facts</a></p>'
        f'<p class="legend">{legend}</p></header><main>{_index(data)}'
        f'<h2 id="article-texts">Articles and their facts</h2>{articles}'
        f'<h2 id="entity-facts">Entities and their facts</h2>{entities}'
        "</main></body></html>\n"
    )
