"""Word's formatting, as the importer needs it: list numbering, heading levels, run formatting.

A paragraph's list kind, marker family ("1." over "a)") and level come from its own numbering
or its style's (`numbering.xml`, followed through `basedOn`); its heading level from its
outline level or a heading style; bold and larger text from its runs, against the document's
body text size. Styles are looked up by ID through an index built once per document.
"""

from __future__ import annotations

import re

#: WordprocessingML's namespace, as lxml writes it in element tags.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def numbering_formats_of(document) -> dict[tuple[str, str], str]:
    """Map (numId, ilvl) to Word's number format ("bullet", "decimal", ...)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract_formats: dict[str, dict[str, str]] = {}
    for abstract in numbering.iter(f"{W}abstractNum"):
        levels = {}
        for level in abstract.iter(f"{W}lvl"):
            fmt = level.find(f"{W}numFmt")
            levels[level.get(f"{W}ilvl", "0")] = fmt.get(f"{W}val", "") if fmt is not None else ""
        abstract_formats[abstract.get(f"{W}abstractNumId", "")] = levels
    formats = {}
    for num in numbering.iter(f"{W}num"):
        abstract_id = num.find(f"{W}abstractNumId")
        if abstract_id is None:
            continue
        for ilvl, fmt in abstract_formats.get(abstract_id.get(f"{W}val", ""), {}).items():
            formats[(num.get(f"{W}numId", ""), ilvl)] = fmt
    return formats


def list_kind_of(paragraph, numbering_formats, document) -> str | None:
    """Return "bullet", "number" or None: the paragraph's numbering, else its style's."""
    return list_info(paragraph, numbering_formats, document)[0]


#: Word's number formats by the marker family the layout compares ("1." over "a)").
_FORMAT_FAMILIES = {
    "bullet": "bullet", "lowerLetter": "alpha", "upperLetter": "alpha",
    "lowerRoman": "roman", "upperRoman": "roman",
}  # fmt: skip


def list_info(paragraph, numbering_formats, document) -> tuple[str | None, str | None, int]:
    """The paragraph's list kind ("bullet", "number", None), marker family and list level."""
    properties = paragraph.find(f"{W}pPr")
    style_id = ""
    num_pr = None
    if properties is not None:
        num_pr = properties.find(f"{W}numPr")
        style = properties.find(f"{W}pStyle")
        if style is not None:
            style_id = style.get(f"{W}val", "")
    style_num_pr = _style_numbering(document, style_id) if style_id else None
    num_id = _num_pr_value(num_pr, "numId") or _num_pr_value(style_num_pr, "numId")
    if num_id == "0":  # numId 0 switches numbering off
        return None, None, 0
    style_name = _style_name(document, style_id) if style_id else ""
    ilvl = _num_pr_value(num_pr, "ilvl") or _num_pr_value(style_num_pr, "ilvl") or "0"
    level = whole_number(ilvl, 0) or 0
    if num_id:
        fmt = numbering_formats.get((num_id, ilvl))
        if fmt is not None:
            if fmt == "none":
                return None, None, 0
            family = _FORMAT_FAMILIES.get(fmt, "decimal")
            return ("bullet" if fmt == "bullet" else "number"), family, level
    if "List Bullet" in style_name:
        return "bullet", "bullet", level
    if "List Number" in style_name:
        return "number", "decimal", level
    return ("number", "decimal", level) if num_id else (None, None, 0)


def whole_number(text: str | None, default: int | None = None) -> int | None:
    """A whole number written in ASCII digits (Word's attribute values), else `default`.

    (`str.isdigit` also accepts characters such as "²" that `int` refuses.)
    """
    if text and len(text) <= 9 and re.fullmatch(r"[0-9]+", text):
        return int(text)
    return default


def _outline_level(properties) -> int | None:
    """1-9 from a paragraph's or style's <w:outlineLvl> (0-8; 9 means body text)."""
    outline = properties.find(f"{W}outlineLvl") if properties is not None else None
    value = whole_number(outline.get(f"{W}val")) if outline is not None else None
    return value + 1 if value is not None and value < 9 else None


def heading_level_of(paragraph, document) -> int | None:
    """1-6 from the paragraph's outline level or heading style (followed through basedOn)."""
    properties = paragraph.find(f"{W}pPr")
    style_id = ""
    if properties is not None:
        if (level := _outline_level(properties)) is not None:
            return level
        style = properties.find(f"{W}pStyle")
        if style is not None:
            style_id = style.get(f"{W}val", "")
    for style in _style_chain(document, style_id):
        name = (style.name_val or "").lower()
        if name == "title":
            return 1
        if name.startswith("heading ") and (number := whole_number(name[8:].strip())) is not None:
            return max(1, min(number, 6))
        if (level := _outline_level(style.find(f"{W}pPr"))) is not None:
            return level
    return None


#: Word's body text size when the document does not set one: 11 pt, in half-points.
_DEFAULT_HALF_POINTS = 22
#: How much larger (half-points: 4 = 2 pt) a paragraph's text is than body text to count.
_LARGER_BY = 4


def _body_half_points(document) -> int:
    """The document's default text size (docDefaults), in half-points."""
    cached: int | None = getattr(document, "_jdtool_body_size", None)
    if cached is None:
        cached = _DEFAULT_HALF_POINTS
        try:
            defaults = document.styles.element.find(f"{W}docDefaults")
        except (AttributeError, KeyError, ValueError):
            defaults = None
        size = defaults.find(f".//{W}rPrDefault//{W}sz") if defaults is not None else None
        if size is not None:
            cached = whole_number(size.get(f"{W}val")) or cached
        document._jdtool_body_size = cached
    return cached


def run_formatting(paragraph, document) -> tuple[bool, bool]:
    """(bold, larger): every run with text is bold; every one is set two points or more
    above body text. Run formatting only: heading styles give heading levels."""
    runs = [run for run in paragraph.iter(f"{W}r") if "".join(run.itertext()).strip()]
    if not runs:
        return False, False
    threshold = _body_half_points(document) + _LARGER_BY
    bold = larger = True
    for run in runs:
        properties = run.find(f"{W}rPr")
        if properties is None:
            return False, False
        weight = properties.find(f"{W}b")
        if weight is None or weight.get(f"{W}val", "true") in ("0", "false", "off"):
            bold = False
        size = properties.find(f"{W}sz")
        if size is None or (whole_number(size.get(f"{W}val")) or 0) < threshold:
            larger = False
    return bold, larger


def _num_pr_value(num_pr, name: str) -> str:
    if num_pr is None:
        return ""
    child = num_pr.find(f"{W}{name}")
    return child.get(f"{W}val", "") if child is not None else ""


def _style_numbering(document, style_id: str):
    """The numPr a paragraph style (or a style it is based on) gives its paragraphs."""
    for style in _style_chain(document, style_id):
        properties = style.find(f"{W}pPr")
        num_pr = properties.find(f"{W}numPr") if properties is not None else None
        if num_pr is not None:
            return num_pr
    return None


def _style_chain(document, style_id: str):
    """The style with this ID, then the style it is based on, and so on (each once)."""
    seen: set[str] = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = _style(document, style_id)
        if style is None:
            return
        yield style
        based_on = style.find(f"{W}basedOn")
        style_id = based_on.get(f"{W}val", "") if based_on is not None else ""


def _style_name(document, style_id: str) -> str:
    style = _style(document, style_id)
    name = style.find(f"{W}name") if style is not None else None
    return (name.get(f"{W}val") or "") if name is not None else ""


#: The attribute an open document keeps its styles by ID in, built once: python-docx looks a
#: style up with an XPath query each time, the slowest step of reading a paragraph's style.
_STYLE_INDEX = "_jdtool_styles_by_id"


def _style(document, style_id: str):
    """The <w:style> element with this ID, or None (also for a file with no styles part)."""
    index = getattr(document, _STYLE_INDEX, None)
    if index is None:
        try:
            styles = document.styles.element
        except (AttributeError, KeyError, ValueError):
            styles = None
        index = {}
        if styles is not None:
            for style in styles.iterchildren(f"{W}style"):
                index.setdefault(style.get(f"{W}styleId", ""), style)
        setattr(document, _STYLE_INDEX, index)
    return index.get(style_id)
