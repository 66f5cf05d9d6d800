"""Reading built or rendered HTML in tests: the tags with their attributes, and the text."""

from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    """Collects (tag, attrs) pairs and the text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    return parser
