"""What a browser would send from a page's form: text inputs, textareas, checked radios and
checkboxes, selected options; for the test client."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            value = chosen[0] if chosen else (self._options[0][0] if self._options else "")
            self.fields.append((self._select, value))
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)


def form_pairs(page: str) -> list[tuple[str, str]]:
    """The (name, value) pairs submitting the page's form unchanged would send (a textarea's
    leading newline is dropped, as browsers do)."""
    reader = _FormReader()
    reader.feed(page)
    return [(name, value.removeprefix("\r").removeprefix("\n")) for name, value in reader.fields]


def replace(pairs: list[tuple[str, str]], name: str, *values: str) -> list[tuple[str, str]]:
    """The pairs with every value of `name` replaced by `values` (none: the field unticked)."""
    kept = [(key, value) for key, value in pairs if key != name]
    return kept + [(name, value) for value in values]
