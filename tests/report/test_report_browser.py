"""`kg report` opened in a real headless browser (Debian's chromium and chromedriver, selenium).

Checks: the page loads with no console errors, every statement of the store
appears in its article's fact table, every internal link resolves, every
entity has its neighbourhood picture, and a screenshot is not blank.

Run as a script to check a report of another store and keep a screenshot:
    python tests/report/test_report_browser.py STORE_DIR OUT.png
"""

from __future__ import annotations

import shutil
import struct
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Every statement: article identifier, subject label, property, object label or
# literal, modality.
STATEMENTS = """
SELECT DISTINCT ?article ?subject ?property ?object ?modality WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:modality ?m ; prov:wasDerivedFrom ?a .
  ?a schema:identifier ?article .
  { SELECT DISTINCT ?s ?subject WHERE { ?s rdfs:label ?subject } }
  OPTIONAL { { SELECT DISTINCT ?o ?objectLabel WHERE { ?o rdfs:label ?objectLabel } } }
  BIND(COALESCE(?objectLabel, STR(?o)) AS ?object)
  BIND(REPLACE(STR(?p), "^.*[/#]", "") AS ?property)
  BIND(REPLACE(STR(?m), "^.*[/#]", "") AS ?modality)
}
"""

PAGE_FACTS = """
const out = [];
for (const section of document.querySelectorAll('section.article')) {
  for (const row of section.querySelectorAll('tbody tr')) {
    const cells = [...row.querySelectorAll('td')].map(td => td.textContent.trim());
    out.push([section.dataset.identifier, cells[0], cells[1],
              cells[2].replace(/^\u201c|\u201d$/g, ''), cells[3]]);
  }
}
return out;
"""

BROKEN_LINKS = """
const links = [...document.querySelectorAll('a[href^="#"]')];
const broken = links.map(a => a.getAttribute('href').slice(1))
                    .filter(id => !document.getElementById(decodeURIComponent(id)));
return [links.length, broken.slice(0, 10), broken.length];
"""


def _png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB(A) PNG (what Chrome writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def not_blank(png: bytes) -> bool:
    """Whether a screenshot shows something: many colours, and not one colour almost everywhere."""
    width, height, rows = _png_pixels(png)
    channels = len(rows[0]) // width
    colours: dict[bytes, int] = {}
    for row in rows[:: max(1, height // 200)]:
        for x in range(0, width * channels, channels * 3):
            colours[row[x : x + 3]] = colours.get(row[x : x + 3], 0) + 1
    return len(colours) > 50 and max(colours.values()) < 0.9 * sum(colours.values())


def _driver() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def check_report(page: Path, expected: set[tuple[str, ...]], screenshot: Path | None) -> None:
    """Open ``page`` in headless chromium and make every check; raise AssertionError."""
    driver = _driver()
    try:
        driver.get(page.resolve().as_uri())
        assert driver.title
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
        shown = {tuple(row) for row in driver.execute_script(PAGE_FACTS)}
        missing = expected - shown
        assert not missing, sorted(missing)[:5]
        links, broken, count = driver.execute_script(BROKEN_LINKS)
        assert links > len(expected) and count == 0, broken
        entities = driver.execute_script(
            "return document.querySelectorAll('section.entity').length"
        )
        pictures = driver.execute_script(
            "return [...document.querySelectorAll('section.entity svg.hood')]"
            ".filter(s => s.getBoundingClientRect().width > 100).length"
        )
        assert entities > 0 and pictures == entities
        # an entity's picture links to its neighbours, and they resolve too
        driver.get(page.resolve().as_uri() + "#e1")
        png = driver.get_screenshot_as_png()
        assert not_blank(png)
        driver.get(page.resolve().as_uri())
        png = driver.get_screenshot_as_png()
        assert not_blank(png)
        if screenshot is not None:
            screenshot.write_bytes(png)
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
    finally:
        driver.quit()


def expected_facts(store_dir: Path) -> set[tuple[str, ...]]:
    """Every statement of the store, as the report's fact tables show them."""
    from kg.store import open_store

    with open_store(store_dir, read_only=True) as store:
        result = store.query(STATEMENTS)
    names = ("article", "subject", "property", "object", "modality")
    return {tuple(" ".join(row[n].value.split()) for n in names) for row in result.rows}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo store: examples/ ingested, as `make demo` does."""
    store = tmp_path_factory.mktemp("demo") / "store"
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    yield store


needs_browser = pytest.mark.skipif(
    not (Path(CHROMEDRIVER).exists() and Path(CHROMIUM).exists()),
    reason="chromium and chromium-driver are not installed (.ci/run installs them)",
)


@needs_browser
def test_report_of_the_demo_store_in_a_browser(demo_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--store", str(demo_store), "-o", str(page)])
    assert result.exit_code == 0, result.output
    expected = expected_facts(demo_store)
    assert len(expected) > 20
    check_report(page, expected, tmp_path / "shot.png")
    assert (tmp_path / "shot.png").stat().st_size > 10_000


@needs_browser
def test_report_from_articles_shows_their_full_text(tmp_path: Path, demo_store: Path) -> None:
    page = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(page), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "The store keeps no full text" not in text
    check_report(page, expected_facts(demo_store), None)


if __name__ == "__main__":
    store_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    html = out.with_suffix(".html")
    code = CliRunner().invoke(cli, ["report", "--store", str(store_dir), "-o", str(html)])
    assert code.exit_code == 0, code.output
    facts = expected_facts(store_dir)
    check_report(html, facts, out)
    print(f"{html}: {len(facts)} statements shown, links resolve, no console errors; {out}")
