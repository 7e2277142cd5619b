"""Report stage, pictures: an entity's neighbourhood as an SVG, laid out radially at build time.

The entity sits at the centre; each entity it shares a fact with sits on a
circle around it, in order of class and name, one edge per neighbour
labelled with the properties between them. Planned, negated and past facts
are dashed. No JavaScript: the picture is static markup, and each
neighbour links to its own section of the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from kg.report.model import Entity, Fact, local

COLOURS = {
    "Person": "#f4a261",
    "Organization": "#8ecae6",
    "Country": "#90be6d",
    "Place": "#b5e48c",
    "Event": "#cdb4db",
    "Agreement": "#ffd166",
}
MAX_NEIGHBOURS = 16
SIZE = 640
_SOLID = frozenset({"Asserted", "Reported", ""})


@dataclass
class _Edge:
    other: Entity
    properties: set[str] = field(default_factory=set)
    solid: bool = False


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def neighbours(
    entity: Entity, facts: Sequence[Fact], entities: Mapping[str, Entity]
) -> list[_Edge]:
    """Entities that share a fact with ``entity``, with the properties between them."""
    edges: dict[str, _Edge] = {}
    for fact in facts:
        if not fact.obj_is_iri:
            continue
        if fact.subject == entity.iri and fact.obj in entities and fact.obj != entity.iri:
            other = entities[fact.obj]
            name = local(fact.predicate)
        elif fact.obj == entity.iri and fact.subject in entities and fact.subject != entity.iri:
            other = entities[fact.subject]
            name = f"{local(fact.predicate)} ←"
        else:
            continue
        edge = edges.setdefault(other.iri, _Edge(other))
        edge.properties.add(name)
        edge.solid = edge.solid or fact.modality in _SOLID
    return sorted(edges.values(), key=lambda e: (e.other.cls, e.other.label.casefold()))


def radial_layout(count: int, radius: float, centre: float) -> list[tuple[float, float]]:
    """Points evenly on a circle, the first at the top, clockwise."""
    return [
        (
            centre + radius * math.sin(2 * math.pi * i / count),
            centre - radius * math.cos(2 * math.pi * i / count),
        )
        for i in range(count)
    ]


def _node(x: float, y: float, entity: Entity, r: float, centre: bool = False) -> str:
    colour = COLOURS.get(entity.cls, "#dddddd")
    weight = ' font-weight="bold"' if centre else ""
    label = escape(_short(entity.label, 30 if centre else 22))
    # labels point away from the centre: above the nodes of the upper half, else below
    middle = SIZE / 2
    label_y = y - r - 5 if y < middle - 1 and not centre else y + r + 13
    anchor = "middle"
    if not centre and abs(y - middle) < SIZE / 6:  # beside the nodes at the sides
        anchor = "start" if x > middle else "end"
        label_y = y + 4
        x = x + (r + 4 if x > middle else -(r + 4))
    circle_x = x if centre or anchor == "middle" else x - (r + 4 if anchor == "start" else -(r + 4))
    return (
        f'<a href="#{entity.anchor}"><title>{escape(entity.label)} ({entity.cls})</title>'
        f'<circle cx="{circle_x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" stroke="#333"/>'
        f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}" font-size="12"{weight}>'
        f"{label}</text></a>"
    )


def neighbourhood_svg(entity: Entity, facts: Sequence[Fact], entities: Mapping[str, Entity]) -> str:
    """The SVG markup of ``entity`` and its neighbours (at most MAX_NEIGHBOURS shown)."""
    edges = neighbours(entity, facts, entities)
    shown, hidden = edges[:MAX_NEIGHBOURS], len(edges) - MAX_NEIGHBOURS
    centre = SIZE / 2
    points = radial_layout(len(shown), SIZE / 2 - 150, centre) if shown else []
    parts = [
        f'<svg class="hood" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" '
        f'aria-label="{escape(entity.label)} and the entities it shares facts with">'
    ]
    for (x, y), edge in zip(points, shown, strict=True):
        dash = "" if edge.solid else ' stroke-dasharray="6 4"'
        parts.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="#777" stroke-width="1.5"{dash}/>'
        )
        # labels at three fifths of the way out, where the edges are apart
        mx, my = centre + 0.6 * (x - centre), centre + 0.6 * (y - centre)
        text = escape(_short(", ".join(sorted(edge.properties)), 34))
        parts.append(
            f'<text x="{mx:.1f}" y="{my - 4:.1f}" text-anchor="middle" font-size="10" '
            f'fill="#444" class="edge">{text}</text>'
        )
    for (x, y), edge in zip(points, shown, strict=True):
        parts.append(_node(x, y, edge.other, 14))
    parts.append(_node(centre, centre, entity, 22, centre=True))
    if hidden > 0:
        parts.append(
            f'<text x="{SIZE - 10}" y="{SIZE - 10}" text-anchor="end" font-size="12">'
            f"+{hidden} more (see the table)</text>"
        )
    if not shown:
        parts.append(
            f'<text x="{centre}" y="{centre + 60}" text-anchor="middle" font-size="12" '
            f'fill="#666">no fact links it to another entity</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
