"""Real news pages: metadata from the page's own JSON-LD, meta tags and byline (kg.page).

tests/data/pages/ holds the eight pages of the shared HTML corpus cut down
(scripts other than JSON-LD, styles, images and navigation removed); the
metadata each gives is the page's own, checked by hand against its JSON-LD,
meta tags and byline.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from kg.ingest import article_from_bytes
from kg.page import classify_names, clean_title, read_page

PAGES = Path(__file__).parent.parent / "data" / "pages"


@pytest.fixture(autouse=True)
def _kg_logs_reach_caplog(monkeypatch: pytest.MonkeyPatch) -> None:
    # the CLI's handler (set by earlier CLI tests) stops kg's records at "kg"
    monkeypatch.setattr(logging.getLogger("kg"), "propagate", True)


# file: (headline, date, publisher, authors, first words of the body)
EXPECTED = {
    "bbc.com.52241221.html": (
        "New York ramps up mass burials amid virus outbreak",
        date(2020, 4, 10),
        "BBC News",
        (),  # the JSON-LD author is the NewsMediaOrganization: no Person
        "Coronavirus: New York ramps up mass burials amid outbreak",
    ),
    "cbsnews.com.carolina.html": (
        "Black voters in South Carolina are crucial for Democratic candidates",
        date(2020, 2, 24),
        "CBS News",
        (),  # was "CBS News February": the outlet and the date's month
        "The stakes are high for all of the candidates",
    ),
    "dw.com.colonial.html": (
        "Berlin confronts Germany's colonial past with new initiative",  # no "| DW | 19.01.2020"
        date(2020, 1, 19),
        "Deutsche Welle",  # meta author "Deutsche Welle (www.dw.com)" is the outlet
        ("Julia Hitz",),  # "Author: Julia Hitz (eg)" under the article
        "The German capital has launched a five-year project",
    ),
    "edition.cnn.com-royal.html": (
        "The royal split, racism and family struggles: 11 things we learned from Harry and "
        "Meghan's explosive interview",
        date(2021, 3, 8),
        "CNN",
        ("Rob Picheta",),  # meta author "Rob Picheta, CNN": CNN is no Person
        "London (CNN)It was the interview",
    ),
    "independent.co.uk.penalty.html": (
        "Coronavirus: £1,000 fine for falsely reporting a contact to force them to self-isolate",
        date(2020, 9, 28),
        "The Independent",
        ("Andrew Woodcock",),
        "Anyone falsely naming an antagonist as a coronavirus contact",
    ),
    "nytimes.com.blackouts.html": (
        "Rolling Blackouts in California Have Power Experts Stumped",
        date(2020, 8, 16),
        "The New York Times",
        ("Ivan Penn",),
        "As temperatures began to rise in California on Friday",
    ),
    "scmp.com.playbook.html": (
        # the JSON-LD headline is cut short ("… Hong Kong leader..."): the h1 is whole
        "Taiwanese President Tsai Ing-wen’s political playbook should be essential reading "
        "for Hong Kong leader Carrie Lam",
        date(2020, 1, 20),  # 2020-01-20T10:00:08+08:00: the page's own date, not UTC's
        "South China Morning Post",
        ("Alice Wu",),
        # trafilatura keeps a 24-word photo caption; the JSON-LD articleBody is the text
        "Taiwanese President Tsai Ing-wen’s spectacular re-election was no easy feat.",
    ),
    "timesofisrael.com.washington.html": (
        "State of Washington swears in first Native American-Jewish Supreme Court justice",
        date(2020, 1, 8),
        "The Times of Israel",  # from the title, not "Timesofisrael" from the domain
        ("Emily Burack",),
        "KVELLER via JTA — The state of Washington has sworn in",
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_of_real_pages(name: str, caplog: pytest.LogCaptureFixture) -> None:
    headline, published, publisher, authors, opening = EXPECTED[name]
    with caplog.at_level(logging.WARNING, logger="kg"):
        article = article_from_bytes((PAGES / name).read_bytes(), name)
    assert article.headline == headline
    assert article.date_published == published
    assert article.publisher == publisher
    assert article.authors == authors
    assert article.text.startswith(opening)
    assert len(article.text.split()) > 500
    assert article.url and article.url.startswith("https://")
    assert not [r for r in caplog.records if "words of article text" in r.getMessage()]


PAGE = """<!DOCTYPE html><html><head><title>{title}</title>{head}</head>
<body><nav>{nav}</nav><article><h1>{h1}</h1>{body}</article></body></html>"""


def _page(**parts: str) -> str:
    values = {"title": "", "head": "", "nav": "", "h1": "", "body": ""} | parts
    return PAGE.format(**values)


def test_an_organisation_is_never_a_person_author() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Talks in Oslo end", '
        '"datePublished": "2024-05-05T23:30:00-07:00", '
        '"author": [{"@type": "Person", "name": "Jane Doe"}, '
        '{"@type": "NewsMediaOrganization", "name": "Reuters"}], '
        '"publisher": {"@type": "Organization", "name": "Oslo Times"}}</script>'
    )
    meta = read_page(_page(head=head))
    assert meta.authors == ("Jane Doe",)
    assert meta.sources == ("Reuters",)
    assert meta.publisher == "Oslo Times"
    assert meta.date_published == date(2024, 5, 5)  # not 2024-05-06 in UTC
    assert meta.headline == "Talks in Oslo end"


@pytest.mark.parametrize(
    ("bylines", "people", "outlets"),
    [
        (["By AP and Jane Roe"], ["Jane Roe"], ["AP"]),
        (["Rob Picheta, CNN"], ["Rob Picheta"], ["CNN"]),
        (["Deutsche Welle (www.dw.com)"], [], ["Deutsche Welle"]),
        (["TOI staff"], [], ["TOI staff"]),
        (["By Agence France-Presse"], [], ["Agence France-Presse"]),
    ],
)
def test_bylines_split_people_from_outlets(
    bylines: list[str], people: list[str], outlets: list[str]
) -> None:
    assert classify_names(bylines) == (people, outlets)


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Berlin confronts Germany's past | DW | 19.01.2020", "Berlin confronts Germany's past"),
        ("Harry and Meghan - CNN", "Harry and Meghan"),
        ("Anti-war protest - in pictures", "Anti-war protest - in pictures"),
        ("A fine | The Independent", "A fine"),
    ],
)
def test_titles_lose_site_and_date(title: str, clean: str) -> None:
    assert clean_title(title, ["CNN"]) == clean


def test_a_body_very_short_for_its_page_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    links = "".join(
        f'<li><a href="/s{i}">Section {i} of the site with many links to other stories</a></li>'
        for i in range(80)
    )
    nav = f"<ul>{links}</ul>"
    html = _page(
        title="Storm hits coast | Coast News",
        nav=nav,
        h1="Storm hits coast",
        body="<p>A photo of the harbour after the storm passed through the town on Monday.</p>",
    )
    with caplog.at_level(logging.WARNING, logger="kg"):
        article = article_from_bytes(html.encode(), "storm.html")
    assert article.headline == "Storm hits coast"
    warnings = [r.getMessage() for r in caplog.records if "words of article text" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith("storm.html: only ")
