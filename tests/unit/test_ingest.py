"""Unit tests of kg.ingest: furniture rules, metadata, line joins and the readers."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import clean
from kg.errors import InputError
from kg.ingest import (
    article_from_bytes,
    is_furniture,
    join_broken_lines,
    parse_byline,
    parse_date,
    parse_dateline,
    parse_text,
    read_inputs,
    split_furniture,
    strip_tags,
)
from kg.records import Article

DATA = Path(__file__).parent.parent / "data" / "ingest"


def read_one(path: Path | str, **kwargs: int) -> Article | InputError:
    items = list(read_inputs([str(path)], **kwargs))
    assert len(items) == 1
    return items[0]


def problem(item: Article | InputError) -> str:
    assert isinstance(item, InputError), item
    return item.problem


# --------------------------------------------------------------------------
# Furniture: one dropped and one kept line per rule

FURNITURE = {
    "icon font": (
        "icon bookmark-bicon cameraicon checkicon shareicon searchicon",
        "The museum bought an icon of Saint George and two smaller icons.",
    ),
    "share button": ("Share", "Share prices fell sharply on Monday."),
    "print button": ("Print this article", "The bank will print more money next year."),
    "email button": ("E-mail", "The e-mail was sent to every member of staff."),
    "bookmark button": ("Bookmark", "Bookmark sales rose at the book fair."),
    "follow us": (
        "Follow us on Instagram and Twitter.",
        "Police said they would follow up on the complaints.",
    ),
    "share widely": (
        "Feel free to repost and share widely our articles.",
        "The two sides share a long border.",
    ),
    "comment on facebook": (
        "Comment on our articles on our Facebook page",
        "The firm said Facebook had declined to comment on the case.",
    ),
    "facebook comment": ("Facebook Comment", "Facebook shares rose on Tuesday."),
    "newsletter box": (
        "To receive our Daily Newsletter (selected articles), click here.",
        "His newsletter says the party will win the seat in May.",
    ),
    "subscribe": (
        "Subscribe to our Telegram Channel",
        "Millions of people subscribe to streaming services.",
    ),
    "click here": ("Click here to continue.", "Users can click on a map of the city."),
    "read more": ("Read more", "Read the report, the minister said."),
    "read the full article": (
        "Read the full story at the Daily Example.",
        "The full story of the trade deal is told in the book.",
    ),
    "translation widget": (
        "All articles can be read in 51 languages by activating the Translate Website button.",
        "The book will be translated into 12 languages next year.",
    ),
    "select language": ("Select Language", "Officials had to select the language of the treaty."),
    "become a member": (
        "Become a Member of Example Weekly",
        "Ukraine hopes to become a member of the alliance within a decade.",
    ),
    "note to readers": (
        "Note to readers: please click the share button above.",
        "A note to readers of the report said figures were provisional.",
    ),
    "disclaimer": (
        "Disclaimer: The contents of this article are of sole responsibility of the author.",
        "The court ruled that the copyrighted material had been copied without permission.",
    ),
    "fair use notice": (
        'This site contains copyrighted material made available under "fair use".',
        "Critics say the fair use rules are too narrow for teachers and students in the US.",
    ),
    "copyright sign": ("© 2023 Example Media", "Prices rose by 3% in 2023."),
    "copyright notice": (
        "Copyright 2023 Example Media",
        "The band sued over copyright infringement in the United States last year.",
    ),
    "all rights reserved": (
        "All rights reserved.",
        "The union reserved the right to strike again.",
    ),
    "media inquiries": (
        "For media inquiries: press@example.org",
        "For media groups the inquiry is a serious threat.",
    ),
    "e-mail address": ("Contact: news@example.org", "The contact was made by letter."),
    "bare url": ("https://example.org/news/1", "The site example.org was shut down."),
    "bare www": ("www.example.org", "Visitors to the www pages rose."),
    "articles by": ("Articles by: Jane Roe and John Doe", "The articles by the two won a prize."),
    "category line": ("Region: Asia Theme: Intelligence", "The region is poor and remote."),
    "tags line": ("Tags: politics, economy", "Tags were fitted to the birds."),
    "lone symbol": ("*", "2023"),
    "top": ("top", "Top officials met on Monday."),
    "advertisement": ("Advertisement", "The advertisement was banned by the regulator."),
    "source credit": (
        "The original source of this article is Daily Example",
        "The original plan was dropped.",
    ),
    "thanks credit": (
        "Our thanks to Daily Example for this article.",
        "Our thanks go to the rescue teams, the mayor said.",
    ),
}


@pytest.mark.parametrize("rule", sorted(FURNITURE))
def test_furniture_rule_drops_one_line_and_keeps_another(rule: str) -> None:
    dropped, kept = FURNITURE[rule]
    assert is_furniture(dropped) is True
    assert is_furniture(kept) is False


def test_blank_line_is_not_furniture() -> None:
    assert is_furniture("   ") is False


def test_furniture_words_inside_a_long_paragraph_are_news() -> None:
    line = (
        "Russia has been waiting for a decade to join the WTO and hopes to finally "
        "subscribe to its rules and become a member by early 2006, officials said."
    )
    assert is_furniture(line) is False


def test_strip_tags_keeps_the_text_inside() -> None:
    assert strip_tags("Region: <u>Asia</u> and <a href='x'>Europe</a>") == "Region: Asia and Europe"
    assert strip_tags("3 < 4 and <b>bold</b>") == "3 < 4 and bold"


def test_split_furniture_strips_tags_and_blank_lines() -> None:
    kept, furniture = split_furniture(["", "The <u>bloc</u> met.", "  ", "Share", "*"])
    assert kept == ["The bloc met."]
    assert furniture == ["Share", "*"]


# --------------------------------------------------------------------------
# Dates, date lines and bylines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 May, 2023 14:36", date(2023, 5, 3)),
        ("May 05, 2023", date(2023, 5, 5)),
        ("Jun 17, 2023", date(2023, 6, 17)),
        ("2023-05-03", date(2023, 5, 3)),
        ("Wednesday 3 May 2023", date(2023, 5, 3)),
        ("3 May 2023", date(2023, 5, 3)),
        ("Sept. 5, 2023", date(2023, 9, 5)),
        ("1st March 2021", date(2021, 3, 1)),
        ("Updated 2023-05-03T10:00:00Z", date(2023, 5, 3)),
        ("The talks began on 4 July 2022 in Vilnius.", date(2022, 7, 4)),
    ],
)
def test_parse_date_reads_news_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["no date here", "May 2023", "5 May", "31 Feb 2023", "3 Mayo 2023", "12/05/2023"]
)
def test_parse_date_never_fills_gaps(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Example Research, May 05, 2023", ("Example Research", date(2023, 5, 5))),
        ("Daily Planet 3 May 2023", ("Daily Planet", date(2023, 5, 3))),
        ("Published: 3 May 2023", (None, date(2023, 5, 3))),
        ("3 May, 2023 14:36", (None, date(2023, 5, 3))),
        ("The summit opened on 3 May 2023 in Vilnius.", None),
        ("the court ruled on 3 May 2023", None),
        ("Elections on 3 May 2023", None),
        ("Wednesday 3 May 2023", (None, date(2023, 5, 3))),
    ],
)
def test_parse_dateline(line: str, expected: tuple[str | None, date] | None) -> None:
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "By Ada Lovelace, Charles Babbage, and Grace Hopper",
            ("Ada Lovelace", "Charles Babbage", "Grace Hopper"),
        ),
        ("By Ada Lovelace and Charles Babbage", ("Ada Lovelace", "Charles Babbage")),
        ("Articles by: Ada Lovelace and Grace Hopper", ("Ada Lovelace", "Grace Hopper")),
        ("By Ada Lovelace | May 5, 2023", ("Ada Lovelace",)),
        ("By Jan van der Berg", ("Jan van der Berg",)),
        ("By Staff Reporter", ()),
        ("By declaring their assets, people would avoid the tax.", ()),
        ("By 2007, the population will peak.", ()),
        ("Ada Lovelace and Charles Babbage", ()),
    ],
)
def test_parse_byline(line: str, expected: tuple[str, ...]) -> None:
    assert parse_byline(line) == expected


# --------------------------------------------------------------------------
# Metadata from plain text


def test_masthead_before_headline_is_the_publisher() -> None:
    raw = (
        "Harbour Weekly News\n\nBridge to reopen after six months of repairs\n\n"
        "Jun 17, 2023\n\nThe bridge reopened on Friday, the council said.\n"
    )
    article = parse_text(raw, "a.txt", "dir/a.txt")
    assert article.headline == "Bridge to reopen after six months of repairs"
    assert article.publisher == "Harbour Weekly News"
    assert article.date_published == date(2023, 6, 17)
    assert article.text == "The bridge reopened on Friday, the council said."
    assert (article.identifier, article.source) == ("a.txt", "dir/a.txt")


def test_title_case_headline_before_prose_is_not_a_masthead() -> None:
    raw = "Yukos Unit Buyer Faces Loan Claim\n\nThe owners of the unit face a claim.\n"
    article = parse_text(raw, "b.txt", "b.txt")
    assert article.headline == "Yukos Unit Buyer Faces Loan Claim"
    assert article.publisher is None
    assert article.date_published is None


def test_headline_is_first_line_of_plain_news_text() -> None:
    raw = "Ad sales boost profit at media firm\n\nQuarterly profits jumped 76% to $1.13bn.\n"
    article = parse_text(raw, "c.txt", "c.txt")
    assert article.headline == "Ad sales boost profit at media firm"
    assert article.text == "Quarterly profits jumped 76% to $1.13bn."


def test_datelines_give_publisher_then_cited_outlets() -> None:
    raw = "\n".join(
        [
            "",
            "Does the alliance need a new name: bloc opens an office",
            "",
            "By Ada Lovelace, Charles Babbage, and Grace Hopper",
            "",
            "Example Research, May 05, 2023",
            "",
            "Daily Planet 3 May 2023",
            "",
            "Region: <u>Asia</u> Theme: Intelligence",
            "",
            "The bloc is planning to open an office in Tokyo, the Daily Planet has learned.",
            "",
            "Click here to read the full article on Morning Herald.",
            "",
            "Our thanks to Daily Planet for this article.",
            "",
            "Articles by: Ada Lovelace, Charles Babbage, and Grace Hopper",
        ]
    )
    article = parse_text(raw, "d.txt", "d.txt")
    assert article.headline == "Does the alliance need a new name: bloc opens an office"
    assert article.date_published == date(2023, 5, 5)
    assert article.publisher == "Example Research"
    assert article.authors == ("Ada Lovelace", "Charles Babbage", "Grace Hopper")
    assert article.cited == ("Daily Planet", "Morning Herald")
    assert article.text == (
        "The bloc is planning to open an office in Tokyo, the Daily Planet has learned."
    )


def test_date_line_before_headline_and_repeated_headline() -> None:
    raw = (
        "icon bookmark-bicon cameraicon checkicon shareicon\n3 May, 2023 14:36\n\n"
        "Bloc to open office in Tokyo – media\n\n"
        "The bloc wants deeper cooperation, according to Daily Planet\n"
        "Bloc to open office in Tokyo – media\n\n"
        "Japan and the bloc are seeking closer ties.\n"
    )
    article = parse_text(raw, "e.txt", "e.txt")
    assert article.headline == "Bloc to open office in Tokyo – media"
    assert article.date_published == date(2023, 5, 3)
    assert article.publisher is None
    assert article.text == (
        "The bloc wants deeper cooperation, according to Daily Planet\n\n"
        "Japan and the bloc are seeking closer ties."
    )


def test_body_stays_verbatim() -> None:
    body = (
        "The outlet noteD that \u201csystemic challenges\u201d matter.\u00a0Really.\n\n"
        "Second   paragraph  \u2018stays\u2019 as it is."
    )
    article = parse_text(f"A headline\n\n{body}\n\n", "f.txt", "f.txt")
    assert article.text == body


# --------------------------------------------------------------------------
# Broken lines


def test_join_lower_case_continuation() -> None:
    lines = ["The council said the bridge", "", "", "would reopen on Friday."]
    assert join_broken_lines(lines) == ["The council said the bridge would reopen on Friday."]


def test_join_name_broken_across_lines() -> None:
    lines = [
        "In May the envoy spoke about the plan. However, French",
        "",
        "President Emmanuel Macron voiced objections to the proposal.",
    ]
    assert join_broken_lines(lines) == [
        "In May the envoy spoke about the plan. However, French "
        "President Emmanuel Macron voiced objections to the proposal."
    ]


@pytest.mark.parametrize(
    "lines",
    [
        ["The council met on Friday.", "it was the first meeting."],
        ["Two sides to upgrade cooperation on cyber", "The bloc is planning an office."],
        ["The bloc wants closer ties, according to Daily Planet", "Japan and NATO are talking."],
        ["Harbour bridge reopens in Tokyo", "Prime Minister Fumio Kishida opened it."],
        ["Released in March. METAL GEAR SOLID", "More Stealth Action is promised."],
        ['He said: "We will win."', "Later the minister left."],
    ],
)
def test_no_join(lines: list[str]) -> None:
    assert join_broken_lines(lines) == lines


def test_headline_is_never_joined_to_the_body() -> None:
    raw = "Harbour bridge reopens in Tokyo\n\nPrime Minister Fumio Kishida opened it on Friday.\n"
    article = parse_text(raw, "g.txt", "g.txt")
    assert article.headline == "Harbour bridge reopens in Tokyo"
    assert article.text == "Prime Minister Fumio Kishida opened it on Friday."


_TEXT = st.text(
    alphabet=st.sampled_from("abcXYZ019 .,:;!?'\"\u201c\u201d\u00a0\n-*©@"),
    max_size=400,
)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_cleaning_never_invents_or_changes_words(raw: str) -> None:
    article = parse_text(raw, "h.txt", "h.txt")
    assert Counter(article.text.split()) <= Counter(raw.split())


def test_cleaning_is_fast() -> None:
    paragraph = "The bloc said on Friday that it would open an office in Tokyo next year. " * 6
    raw = "A headline about the bloc\n\nMay 05, 2023\n\n" + f"{paragraph}\n\n" * 8
    start = time.process_time()
    for _ in range(200):
        parse_text(raw, "i.txt", "i.txt")
    assert (time.process_time() - start) / 200 < 0.002


# --------------------------------------------------------------------------
# Readers: good and bad inputs


def test_file_gives_article_with_identifier_source_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbfBridge reopens\n\nThe bridge reopened.\n")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.identifier == "story.txt"
    assert article.source == str(path)
    assert article.headline == "Bridge reopens"
    expected = hashlib.sha256(b"Bridge reopens\n\nThe bridge reopened.\n").hexdigest()
    assert article.content_hash == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty file"),
        (b"  \n\t\n \r\n", "white space only"),
        (b"PK\x03\x04\x00\x00\x08\x00", "binary file (contains NUL bytes)"),
        (bytes(range(1, 32)) * 10, "binary file (mostly non-text characters)"),
        (b"Headline\n\ncaf\xe9 \x81\x8d\x8f text\n", "not UTF-8 text"),
        (bytes(range(0xA0, 0x100)) * 4, "not UTF-8 text"),
        ("\ufeffHeadline".encode("utf-16-le"), "not UTF-8 text (UTF-16); convert it to UTF-8"),
        (b"*\n\nShare\n\ntop\n", "no article text in file (only a headline or page furniture)"),
    ],
)
def test_bad_file(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    item = read_one(path)
    assert problem(item) == expected
    assert isinstance(item, InputError) and item.source == str(path)
    assert str(item) == f"{path}: {expected}"


def test_latin1_file_is_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Café reopens\n\nThe café in München reopened.\n".encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == "The café in München reopened."
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: not UTF-8; read as Windows-1252 (cp1252) text"
    ]


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"A headline\n\nA body line.\n")
    assert problem(read_one(path, max_bytes=10)) == "too large (25 bytes; the limit is 10)"
    assert isinstance(read_one(path, max_bytes=25), Article)


def test_missing_file(tmp_path: Path) -> None:
    assert problem(read_one(tmp_path / "nope.txt")) == "no such file or directory"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(b"A headline\n\nA body.\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: a mode 000 file is still readable")
        assert problem(read_one(path)) == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(b"A headline\n\nA body.\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert problem(read_one(path)) == "permission denied"


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("First story\n\nIt happened.\n", encoding="utf-8")
    (root / "b" / "c.txt").write_text("Second story\n\nIt happened too.\n", encoding="utf-8")
    (root / "b" / "empty.txt").write_bytes(b"")
    (root / "d").write_bytes(b"\x00\x01\x02")  # no suffix: read, and refused by content
    (root / "e.bin").write_bytes(b"\x00\x01\x02")  # not an article's suffix: skipped
    (root / ".hidden.txt").write_text("Hidden\n\nNot read.\n", encoding="utf-8")
    (root / ".git" / "x.txt").write_text("Hidden too\n\nNot read.\n", encoding="utf-8")
    (root / "page.html").write_bytes((DATA / "page.html").read_bytes())
    items = list(read_inputs([str(root)]))
    summary = [
        (type(i).__name__, i.source, i.headline if isinstance(i, Article) else i.problem)
        for i in items
    ]
    assert summary == [
        ("Article", str(root / "a.txt"), "First story"),
        ("Article", str(root / "b" / "c.txt"), "Second story"),
        ("InputError", str(root / "b" / "empty.txt"), "empty file"),
        ("InputError", str(root / "d"), "binary file (contains NUL bytes)"),
        ("Article", str(root / "page.html"), "Harbour bridge reopens after repairs"),
    ]


def test_symlink_loops_end(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("A story\n\nIt happened.\n", encoding="utf-8")
    (root / "self").symlink_to(root, target_is_directory=True)
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    (root / "z.txt").symlink_to(root / "z.txt")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        items = list(read_inputs([str(root)]))
    summary = [(Path(i.source).name, getattr(i, "problem", "ok")) for i in items]
    assert summary == [
        ("a.txt", "ok"),
        ("gone.txt", "broken symbolic link"),
        ("z.txt", "symbolic link loop"),
    ]
    assert len(caplog.records) == 2


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"Bridge reopens\n\nThe bridge reopened on Friday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    (article,) = read_inputs(["-"])
    assert isinstance(article, Article)
    assert (article.identifier, article.source) == ("stdin", "stdin")
    assert article.headline == "Bridge reopens"
    assert article.text == "The bridge reopened on Friday."


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"", "empty input"), (b"x" * 40, "too large (21 bytes; the limit is 20)")],
)
def test_bad_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, expected: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    (item,) = read_inputs(["-"], max_bytes=20)
    assert problem(item) == expected
    assert isinstance(item, InputError) and item.source == "stdin"


# --------------------------------------------------------------------------
# HTML


def test_html_page_with_meta_tags_and_json_ld() -> None:
    article = read_one(DATA / "page.html")
    assert isinstance(article, Article)
    assert article.identifier == "https://courier.example/news/bridge"  # its canonical URL
    assert article.headline == "Harbour bridge reopens after repairs"
    assert article.date_published == date(2021, 4, 9)
    assert article.publisher == "Coastal Courier"
    assert article.authors == ("Ada Lovelace", "Charles Babbage")
    assert article.url == "https://courier.example/news/bridge"
    assert article.text == (
        "The harbour bridge reopened to traffic on Friday after six months of repairs, "
        "the city council said.\n\n"
        "Engineers replaced the main cables and repainted the deck, which had rusted "
        "badly in the salt air.\n\n"
        "The mayor thanked residents for their patience during the long closure of the "
        "crossing."
    )


def test_html_is_sniffed_without_suffix() -> None:
    data = (DATA / "page.html").read_bytes()
    article = article_from_bytes(data, "page.txt")
    assert article.headline == "Harbour bridge reopens after repairs"
    assert article.publisher == "Coastal Courier"


def test_html_falls_back_to_text_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    data = (
        b"<html><head><title>Bridge reopens</title><style>p {}</style></head>"
        b"<body><p>The bridge <b>reopened</b> on Friday.</p><p>Share</p></body></html>"
    )
    article = article_from_bytes(data, "x.html")
    assert article.headline == "Bridge reopens"
    assert article.text == "The bridge reopened on Friday."


def test_html_without_text_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        article_from_bytes(b"<html><body><script>x()</script></body></html>", "e.html")
    assert (
        caught.value.problem == "no article text in HTML page (only a headline or page furniture)"
    )


def test_rules_are_loaded_once() -> None:
    assert clean.text_rules() is clean.text_rules()
