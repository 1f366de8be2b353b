"""Where each importer finding belongs on the review page: the editor field of the part it is
about, found by the source text it quotes, else by the stage that made the decision.

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Where a finding goes when its source text matches no part, by the importer stage.
FIELD_BY_STAGE = {
    "fields": "title",
    "headings": "sections-0-heading",
    "sections": "sections-0-heading",
    "prompts": "statements",
    "tables": "categories",
}
#: What each stage decides, in the words the review page uses.
STAGE_LABELS = {
    "fields": "Job details",
    "headings": "Headings",
    "sections": "Duties and sections",
    "prompts": "Template prompts",
    "tables": "Person specification",
}


@dataclass(frozen=True)
class PlacedFinding:
    message: str
    source: str
    stage: str
    confidence: str
    alternative: str | None
    #: The editor field of the part it concerns (an anchor on the review page).
    field: str
    #: That part, as the user knows it: "Duty 3", "Criterion 2", "Job details".
    part: str


def place_findings(content: dict[str, Any], findings: list[dict[str, Any]]) -> list[PlacedFinding]:
    """Each finding with the field and part it concerns, in the document's order of parts."""
    parts = list(_parts(content))
    placed = []
    for finding in findings:
        source = _normal(str(finding.get("source") or ""))
        stage = str(finding.get("stage") or "sections")
        field, part = next(
            ((field, part) for field, part, text in parts if source and _same_text(source, text)),
            (FIELD_BY_STAGE.get(stage, "title"), STAGE_LABELS.get(stage, "The document")),
        )
        placed.append(
            PlacedFinding(
                message=str(finding.get("message") or ""),
                source=str(finding.get("source") or ""),
                stage=stage,
                confidence=str(finding.get("confidence") or "medium"),
                alternative=finding.get("alternative") or None,
                field=field,
                part=part,
            )
        )
    order = {field: index for index, (field, _part, _text) in enumerate(parts)}
    return sorted(placed, key=lambda finding: order.get(finding.field, -1))


def _parts(content: dict[str, Any]):
    """(field, part, normalised text) of every part a finding can be about."""
    for name, label in (("title", "Job title"), ("purpose", "Job purpose")):
        if content.get(name):
            yield name, label, _normal(str(content[name]))
    duty = 0
    for index, section in enumerate(content.get("sections") or []):
        yield f"sections-{index}-heading", f"Section {index + 1}", _normal(section["heading"])
        for position, text in enumerate(section.get("duties") or []):
            duty += 1
            yield f"sections-{index}-duties-{position}", f"Duty {duty}", _normal(text)
    for index, text in enumerate(content.get("statements") or []):
        yield f"statements-{index}", f"Statement {index + 1}", _normal(text)
    for index, extra in enumerate(content.get("extra_sections") or []):
        yield (
            f"extra_sections-{index}-heading",
            f"Other section {index + 1}",
            _normal(" ".join([extra["heading"], *extra.get("paragraphs", [])])),
        )
    criterion = 0
    for index, category in enumerate((content.get("person_spec") or {}).get("categories") or []):
        yield f"categories-{index}-name", f"Category {index + 1}", _normal(category["name"])
        for position, item in enumerate(category.get("criteria") or []):
            criterion += 1
            yield (
                f"categories-{index}-criteria-{position}-text",
                f"Criterion {criterion}",
                _normal(item["text"]),
            )


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("…", " ").strip(" .:\u2026").lower())


def _same_text(source: str, text: str) -> bool:
    """The finding quotes this part: the same words, or the start of them (sources are
    shortened), or the part is quoted inside a longer source."""
    if not text:
        return False
    if text == source:
        return True
    return (len(source) >= 12 and text.startswith(source)) or (len(text) >= 12 and text in source)
