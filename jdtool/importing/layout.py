"""Interpret blocks (paragraphs and table rows) as a job description and person specification.

The reader walks the document once, in one of a few modes (header, purpose, duties, extra
sections, person spec, signature block), switching mode on headings it recognises. Person-spec
tables are read as grids whose header row names the columns (E/D, Essential and Desirable,
one column per assessment method). Where the source does not say a criterion's priority or
methods, they stay unknown and a warning says so: the importer never guesses.

This module is the entry point (`read_layout`) and the assembly: it walks the units (`units.py`),
hands each paragraph to the part that reads it — template prompts (`prompts.py`), mode switches
(`sections.py`), header fields (`fields.py`), duties and extra sections (`duties.py`), the
person specification (`person_spec.py`, its tables typed by `spec_tables.py`) — reads the
signature block, then finishes the document: title from the candidates, warnings, every source
block placed once (`JobDocument.placements`). The parts are classes over one `ReaderState`
(reader_state.py), not functions, because they read and change the same state: the mode, the
open duty section, extra section and category, the E/D priority in force.
"""

from __future__ import annotations

import re

from ..document import ExtraSection, JobDocument
from .blocks import Block, Paragraph, flat
from .fields import FIELD_LABELS, ORGANISATION, ROLE_WORDS, WEAK_ROLE_WORDS, HeaderFieldReader
from .headings import heading_key, heading_text, is_key_line
from .person_spec import PersonSpecReader
from .prompts import TEMPLATE_PROMPT, TEMPLATE_PROMPT_PART, without_prompt_parts
from .sections import SectionReader
from .spec_tables import Grid

_SIGNATURE_LINE = re.compile(r"(?:\.{4,}|…{2,}|_{4,})")
_SIGNATURE_ROLE = re.compile(
    r"^(?:(?:print\s+name|signed|signature|name)\s*\((?P<paren>[^)]+)\)"
    r"|(?P<label>[A-Za-z][A-Za-z /'-]{1,40}?))\s*:",
    re.IGNORECASE,
)
_NOT_ROLES = {"print name", "signed", "signature", "name", "date", "dated", "print"}


def read_layout(blocks: list[Block]) -> JobDocument:
    """Interpret a document's blocks; warnings go into the result's `warnings`."""
    return _LayoutReader(blocks).read()


class _LayoutReader(SectionReader, HeaderFieldReader, PersonSpecReader):
    """One document's reading: the driver, paragraph by paragraph, and the finishing."""

    def read(self) -> JobDocument:
        for index, unit in enumerate(self.units):
            self.index = index
            if isinstance(unit, Grid):
                self._close_section()
                for block, place in zip(unit.row_blocks, self._read_grid(unit), strict=True):
                    self._place(block, place)
                self.mode = "spec"
                continue
            if unit.skip:
                self._place(unit.block, "ignored: job-board posting details")
                continue
            following = self._next_paragraph(index)
            if unit.label is not None:
                for place in self._read_label_cell(unit.label, unit.paragraphs):
                    self._place(unit.block, place)
            else:
                self._place(unit.block, self._read_paragraph(unit.paragraphs[0], following))
        self._close_section()
        self._finish()
        self._account()
        return self.document

    def _place(self, block: int, place: str) -> None:
        places = self.placed.setdefault(block, [])
        if place not in places:
            places.append(place)

    def _account(self) -> None:
        """Record where every source block went; any that went nowhere is a finding."""
        placements = [
            "; ".join(self.placed[block]) if block in self.placed else None
            for block in range(self.block_count)
        ]
        self.document.placements = placements
        missing = placements.count(None)
        if missing:
            self._find(
                f"{missing} part(s) of the source were not placed anywhere in the document.",
                "",
                stage="assembly",
                alternative="duties, criteria or statements",
            )

    def _read_paragraph(self, paragraph: Paragraph, following: Paragraph | None) -> str:
        """Read one paragraph; return where it went ("duty section", "ignored: …")."""
        text = paragraph.text
        plain = flat(text)
        key = heading_key(text)

        if self.mode == "signature":
            return self._read_signature_line(plain)
        if is_key_line(plain):
            return "ignored: the key to the assessment-method letters"
        if TEMPLATE_PROMPT_PART.search(plain):
            kept, whole = without_prompt_parts(plain)
            self._find(
                "A note to whoever fills in the template was left out of "
                + ("the document." if whole else "this line."),
                plain,
                stage="prompts",
                alternative="part of the text",
            )
            if whole:
                return "ignored: a prompt to the template's author"
            paragraph = Paragraph(
                text=kept, list_kind=paragraph.list_kind, gap_before=paragraph.gap_before
            )
            text, plain, key = kept, kept, heading_key(kept)
        if TEMPLATE_PROMPT.search(plain):
            self._find(
                "A note to whoever fills in the template was left out of the document.",
                plain,
                stage="prompts",
                alternative="a duty or statement",
            )
            return "ignored: a prompt to the template's author"
        if _is_signature_line(plain) or key.startswith("agreed that the job description"):
            self._close_section()
            self.mode = "signature"
            return self._read_signature_line(plain)
        if paragraph.list_kind is None and self._switch_on_heading(plain, key):
            return "heading"
        if paragraph.list_kind is None and self._read_heading_beside_text(text):
            return "purpose"
        if paragraph.list_kind is None and self._switch_on_body(paragraph, plain, following):
            return "heading"
        if paragraph.list_kind is not None and self.mode != "spec":
            self.list_items_outside_spec += 1
        if paragraph.list_kind is not None and self._list_of_criteria_starts():
            return self._read_spec_line(paragraph, plain)
        spec_started = self.mode == "spec" and self.document.has_criteria()
        if paragraph.list_kind is None and not spec_started and self._read_field_line(text):
            return "header field"
        if paragraph.list_kind is None and (labelled := self._read_labelled_line(plain)):
            return labelled
        if self.pending_labels and paragraph.list_kind is None and not spec_started:
            if not plain.strip("/ "):
                return "ignored: a separator between a label and its value"
            self._set_field(self.pending_labels.pop(0), plain)
            return "header field"
        if self.mode == "header":
            return self._read_header_line(paragraph, plain, following)
        if self.mode == "purpose":
            self.purpose.append(plain)
            return "purpose"
        if self.mode == "duties":
            self._read_duty_line(paragraph, plain, following)
            return "duty section"
        if self.mode == "extra":
            self._read_extra_line(paragraph, plain, following)
            return "extra section"
        return self._read_spec_line(paragraph, plain)

    def _read_label_cell(self, label: str, paragraphs: list[Paragraph]) -> list[str]:
        """A two-column row: a label beside its value or its content; where its parts went."""
        plain = flat(label)
        key = heading_key(label)
        field_name = FIELD_LABELS.get(key)
        if field_name and self.mode in ("header", "duties", "purpose"):
            self._set_field(field_name, " ".join(flat(p.text) for p in paragraphs))
            return ["header field"]
        if self.mode == "signature":
            return [self._read_signature_line(f"{plain}: {' '.join(p.text for p in paragraphs)}")]
        places = ["heading"]
        if not self._switch_on_heading(plain, key):
            if self.mode == "duties":
                self._open_section(plain)
            elif self.mode == "extra":
                self._close_section()
                self.extra = ExtraSection(heading=heading_text(plain))
                self.document.extra_sections.append(self.extra)
            elif self.mode == "spec":
                self._open_category(heading_text(plain))
            else:
                places = [self._read_paragraph(Paragraph(label), None)]
        for index, paragraph in enumerate(paragraphs):
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            places.append(self._read_paragraph(paragraph, following))
        return places

    def _read_signature_line(self, plain: str) -> str:
        found = False
        for part in re.split(r"\t|\s{2,}|(?<=[.…_])\s*(?=[A-Z][a-z]+\s*(?:\(|:))", plain):
            part = part.strip()
            match = _SIGNATURE_ROLE.match(part)
            signed_here = (
                _SIGNATURE_LINE.search(part) or not part[match.end() :].strip() if match else False
            )
            if not match or not signed_here:
                continue
            role = (match.group("paren") or match.group("label") or "").strip()
            if role and role.lower() not in _NOT_ROLES:
                found = True
                self.document.landmarks += 1
                if role not in self.document.signatories:
                    self.document.signatories.append(role)
        if found or _is_signature_line(plain) or plain.lower().startswith("agreed that"):
            return "signature block"
        if not self.document.organisation and ORGANISATION.search(plain) and len(plain) < 80:
            self.document.organisation = plain
            return "header field"
        self.ignored_after_signature += 1
        return "ignored: after the signature block"

    def _finish(self) -> None:
        document = self.document
        if self.purpose:
            document.purpose = "\n".join(self.purpose)
        if not document.title:
            document.title = next(
                (title for title in self.title_candidates if ROLE_WORDS.search(title)),
                next(
                    (title for title in self.title_candidates if WEAK_ROLE_WORDS.search(title)),
                    None,
                ),
            )
        if not document.title:
            document.warnings.append("No job title found.")
        if not document.duties():
            document.warnings.append("No duties found.")
            if self.list_items_outside_spec:
                self._find(
                    f"No duties were found, though the document has {self.list_items_outside_spec}"
                    " list item(s) outside the person specification.",
                    "",
                    alternative="duties",
                )
        criteria = document.criteria()
        unknown = sum(1 for criterion in criteria if criterion.priority is None)
        if unknown:
            document.warnings.append(
                f"{unknown} of {len(criteria)} criteria do not say whether they are essential or "
                "desirable; left as unknown."
            )
        no_method = sum(1 for criterion in criteria if not criterion.methods)
        if no_method:
            document.warnings.append(
                f"{no_method} of {len(criteria)} criteria do not say how they will be assessed."
            )
        if self.ignored_after_signature:
            document.warnings.append(
                f"{self.ignored_after_signature} line(s) after the signature block were not "
                "imported."
            )
        if document.person_spec:
            document.person_spec.categories = [
                category
                for index, category in enumerate(document.person_spec.categories)
                if category.criteria
                or any(
                    other.parent == category.name
                    for other in document.person_spec.categories[index + 1 :]
                )
            ]
            if not document.person_spec.categories:
                document.person_spec = None
        document.extra_sections = [extra for extra in document.extra_sections if extra.paragraphs]


def _is_signature_line(plain: str) -> bool:
    return bool(_SIGNATURE_LINE.search(plain)) and bool(
        re.match(
            r"^(?:print name|signed|signature|name|date|dated|[A-Za-z /'-]{2,40}:)", plain, re.I
        )
    )
