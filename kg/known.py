"""What a store already holds, for resolution across runs: each article's names, and
the rewriting of stored graphs when resolution over more articles changes them.

Each article's graph carries its names (:func:`kg.resolve.names_record`) under
:data:`NAMES`. A run resolves its new articles together with the names of
every article already stored, so the outcome is what one run over all of
them gives. When that moves a stored article's name to another entity (a
surname joins a full name that arrives later, or leaves it when a second
full name makes it ambiguous) or changes an entity's label or class, that
article's graph is rewritten here: entity IRIs replaced, descriptions
rewritten, statement IRIs re-minted. The new graphs and the rewritten ones
are loaded together (one transaction in the embedded store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.iris import article_iri, entity_iri, statement_iri
from kg.query import Term
from kg.records import Entity, Extraction
from kg.resolve import Resolution, evidence_digest, from_names_record
from kg.vocab import CLASS_IRIS, KG, SCHEMA

if TYPE_CHECKING:
    from kg.store import Store

#: The property linking an article to its names (JSON), outside the ontology: kg's
#: own bookkeeping, which only kg reads.
NAMES = "https://w3id.org/kg-populator/internal#names"

_CLASS_TERMS = frozenset(f"<{iri}>" for iri in CLASS_IRIS.values())
_TYPE, _LABEL, _ALT = f"<{RDF.type}>", f"<{RDFS.label}>", f"<{SKOS.altLabel}>"
_STATEMENT = f"<{KG.Statement}>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"
_DERIVED, _EVIDENCE = f"<{PROV.wasDerivedFrom}>", f"<{KG.evidence}>"
_MENTIONS, _MODALITY = f"<{SCHEMA.mentions}>", f"<{KG.modality}>"
_PLAIN = frozenset({f"<{KG.Asserted}>", f"<{KG.Reported}>"})

Triple = tuple[str, str, str]  # terms in N-Triples syntax


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in sorted(iris)) + " }"


def stored_names(store: Store) -> dict[str, Extraction]:
    """Every stored article's names, by article IRI (articles loaded without them,
    e.g. by `kg load` of another tool's output, take no part in resolution)."""
    result = store.query(
        f"SELECT DISTINCT ?a ?id ?names WHERE {{ GRAPH ?a {{ ?a schema:identifier ?id ; "
        f"<{NAMES}> ?names }} }}"
    )
    return {r["a"].value: from_names_record(r["id"].value, r["names"].value) for r in result.rows}


def article_graphs(store: Store, identifiers: Iterable[str]) -> dict[str, str]:
    """Article IRI → content hash for the articles with these schema:identifiers."""
    ids = sorted(set(identifiers))
    if not ids:
        return {}
    values = "VALUES ?id { " + " ".join(Term("literal", i).n3() for i in ids) + " }"
    result = store.query(
        f"SELECT DISTINCT ?a ?id ?hash WHERE {{ {values} GRAPH ?a {{ ?a schema:identifier ?id . "
        "OPTIONAL { ?a kg:contentHash ?hash } } }"
    )
    return {r["a"].value: (r["hash"].value if "hash" in r else "") for r in result.rows}


def graph_triples(store: Store, graphs: Iterable[str]) -> dict[str, set[Triple]]:
    """The triples of each of these named graphs, as N-Triples terms."""
    iris = sorted(set(graphs))
    out: dict[str, set[Triple]] = {g: set() for g in iris}
    if not iris:
        return out
    result = store.query(
        f"SELECT ?g ?s ?p ?o WHERE {{ {_values('g', iris)} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    for r in result.rows:
        out[r["g"].value].add((r["s"].n3(), r["p"].n3(), r["o"].n3()))
    return out


def _literal(text: str) -> str:
    return Term("literal", text).n3()


def _unquote(literal: str) -> str:
    from rdflib.util import from_n3

    return str(from_n3(literal))


Ends = dict[tuple[str, str, str, str], tuple[str, str]]


def rewrite(
    triples: set[Triple],
    renamed: Mapping[str, str],
    described: Mapping[str, tuple[Entity, tuple[str, ...]]],
    base: str,
    article: str | None = None,
    ends: Ends | None = None,
) -> bytes:
    """A stored article graph as resolution now has it.

    Entities are renamed (old IRI → new); a statement found in ``ends``
    ((predicate, sentence digest, old subject, old object or "") → new
    subject and object) gets those ends exactly, so names that shared an
    entity and now go to several (a split) keep their facts apart; plain
    triples follow their statements; every entity's description (type,
    label, the article's own other names) is replaced by ``described`` (IRI
    → entity, aliases); the ``article``'s schema:mentions list exactly the
    described entities; statement IRIs are re-minted.
    """
    ren = {f"<{a}>": f"<{b}>" for a, b in renamed.items()}
    about: dict[str, dict[str, str]] = defaultdict(dict)
    for s, p, o in triples:
        about[s][p] = o
    statements = {
        st: props
        for st, props in about.items()
        if props.get(_TYPE) == _STATEMENT
        and all(k in props for k in (_SUBJECT, _PREDICATE, _OBJECT, _DERIVED, _EVIDENCE))
    }
    plain_before = {
        (props[_SUBJECT], props[_PREDICATE], props[_OBJECT])
        for props in statements.values()
        if props.get(_MODALITY) in _PLAIN
    }
    out = {(ren.get(s, s), p, ren.get(o, o)) for s, p, o in set(triples) - plain_before}
    moved: dict[str, tuple[str, str]] = {}
    for st, props in statements.items():
        subject, obj = (
            ren.get(props[_SUBJECT], props[_SUBJECT]),
            ren.get(props[_OBJECT], props[_OBJECT]),
        )
        key = (
            props[_PREDICATE][1:-1],
            evidence_digest(_unquote(props[_EVIDENCE])),
            props[_SUBJECT][1:-1],
            props[_OBJECT][1:-1] if props[_OBJECT].startswith("<") else "",
        )
        if ends and key in ends:
            new_s, new_o = ends[key]
            subject = f"<{new_s}>"
            obj = f"<{new_o}>" if new_o else obj
        moved[st] = (subject, obj)
        out -= {(st, _SUBJECT, ren.get(props[_SUBJECT], props[_SUBJECT]))}
        out -= {(st, _OBJECT, ren.get(props[_OBJECT], props[_OBJECT]))}
        out |= {(st, _SUBJECT, subject), (st, _OBJECT, obj)}
        if props.get(_MODALITY) in _PLAIN:
            out.add((subject, props[_PREDICATE], obj))
    if article is not None:
        node = f"<{article}>"
        out = {t for t in out if not (t[0] == node and t[1] == _MENTIONS)}
        out.update((node, _MENTIONS, f"<{iri}>") for iri in described)
    nodes = {f"<{iri}>" for iri in described}
    out = {
        t
        for t in out
        if not (
            t[0] in nodes and (t[1] in (_LABEL, _ALT) or (t[1] == _TYPE and t[2] in _CLASS_TERMS))
        )
    }
    for iri, (entity, aliases) in described.items():
        node = f"<{iri}>"
        out.add((node, _TYPE, f"<{CLASS_IRIS[entity.cls]}>"))
        out.add((node, _LABEL, _literal(entity.label)))
        out.update((node, _ALT, _literal(a)) for a in aliases)
    # Statement IRIs are minted from subject, predicate, object, article, sentence.
    new_ids: dict[str, str] = {}
    for st, props in statements.items():
        subject, obj = moved[st]
        new = statement_iri(
            base,
            subject[1:-1],
            props[_PREDICATE][1:-1],
            obj,
            ren.get(props[_DERIVED], props[_DERIVED])[1:-1],
            _unquote(props[_EVIDENCE]),
        )
        if f"<{new}>" != st:
            new_ids[st] = f"<{new}>"
    out = {(new_ids.get(s, s), p, new_ids.get(o, o)) for s, p, o in out}
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(out)).encode()


def _ends(before: Resolution, after: Resolution, ex: Extraction, base: str) -> Ends:
    """Where each stored statement's ends were and go: (predicate IRI, sentence
    digest, old subject, old object or "") → (new subject, new object or "")."""
    from kg.build import predicate_iri

    aid = ex.article.identifier

    def iri(res: Resolution, cls: str | None, name: str) -> str:
        entity = res.lookup(aid, cls, name) if cls else None
        return entity_iri(base, entity.cls, entity.key) if entity else ""

    out: Ends = {}
    for rel in ex.relations:
        old_s, new_s = (
            iri(before, rel.subject_cls, rel.subject),
            iri(after, rel.subject_cls, rel.subject),
        )
        if not (old_s and new_s):
            continue
        old_o, new_o = iri(before, rel.obj_cls, rel.obj), iri(after, rel.obj_cls, rel.obj)
        key = (str(predicate_iri(rel.predicate)), rel.evidence, old_s, old_o)
        out[key] = (new_s, new_o)
    return out


def _views(res: Resolution, base: str) -> dict[str, dict[tuple[str, str], tuple[str, Entity]]]:
    """Each article's names → (entity IRI, entity) under a resolution."""
    out: dict[str, dict[tuple[str, str], tuple[str, Entity]]] = defaultdict(dict)
    iris: dict[tuple[str, str], str] = {}
    for (aid, cls, key), target in res.index.items():
        entity = res.entities[target]
        if target not in iris:
            iris[target] = entity_iri(base, entity.cls, entity.key)
        out[aid][(cls, key)] = (iris[target], entity)
    return out


def _renames(
    old: Mapping[tuple[str, str], tuple[str, Entity]],
    new: Mapping[tuple[str, str], tuple[str, Entity]],
) -> dict[str, str]:
    """Old entity IRI → new in one article. When an article's names that shared an
    entity now go to several (a split), its mentions are exact (rewrite lists
    them anew) and its facts stay with the entity that kept the IRI."""
    goes: dict[str, set[str]] = defaultdict(set)
    for k, (iri, _) in new.items():
        if k in old:
            goes[old[k][0]].add(iri)
    return {a: min(b) for a, b in goes.items() if a not in b}


def updates(
    store: Store,
    base: str,
    before: Resolution,
    after: Resolution,
    articles: Mapping[str, Extraction],
) -> dict[str, bytes]:
    """The stored article graphs (IRI → N-Triples) that resolving with ``after``
    instead of ``before`` changes, rewritten; ``articles`` are those to check."""
    old_views, new_views = _views(before, base), _views(after, base)
    changed: dict[str, tuple[dict[str, str], dict[str, tuple[Entity, tuple[str, ...]]]]] = {}
    for iri, ex in articles.items():
        aid = ex.article.identifier
        old, new = old_views.get(aid, {}), new_views.get(aid, {})
        renamed = _renames(old, new)
        described = {node: (e, after.aliases_in(aid, e)) for node, e in new.values()}
        was = {node: (e, before.aliases_in(aid, e)) for node, e in old.values()}
        if renamed or was != described:
            changed[iri] = (renamed, described)
    triples = graph_triples(store, changed)
    return {
        iri: rewrite(
            triples[iri], renamed, described, base, iri, _ends(before, after, articles[iri], base)
        )
        for iri, (renamed, described) in changed.items()
    }


def delete_plan(store: Store, base: str, graphs: Sequence[str]) -> dict[str, bytes]:
    """What deleting these article graphs does: each removed (empty value), and the
    other stored graphs that resolving without them changes, rewritten."""
    from kg.resolve import resolve

    stored = stored_names(store)
    rest = {iri: ex for iri, ex in stored.items() if iri not in set(graphs)}
    before = resolve(stored.values())
    after = resolve(rest.values())
    return {**{g: b"" for g in graphs}, **updates(store, base, before, after, rest)}


__all__ = [
    "NAMES",
    "article_graphs",
    "article_iri",
    "delete_plan",
    "graph_triples",
    "rewrite",
    "stored_names",
    "updates",
]
