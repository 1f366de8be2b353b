"""What the layout reader knows while it walks a document, and the helpers every part shares.

`ReaderState` holds the units being read, the document being built, the current mode (header,
purpose, duties, extra, spec, signature) and the open duty section, extra section and
person-spec category. The readers of each part (`duties`, `sections`, `fields`, `person_spec`)
extend it; `layout._LayoutReader` combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Category, DutySection, ExtraSection, Finding, JobDocument, PersonSpec
from .blocks import Block, Paragraph, flat
from .headings import heading_key, heading_strength, role_of
from .spec_tables import Grid
from .units import promote_list_headings, units_of


@dataclass
class Entry:
    """A line read in duty mode, filed as a duty or a statement when its section closes."""

    text: str
    is_list: bool
    gap_before: int
    #: A standard statement (safeguarding commitment, "this job description…"), not a duty.
    statement: bool = False


class ReaderState:
    """The reading position, the mode and the document so far."""

    def __init__(self, blocks: list[Block]) -> None:
        self.block_count = len(blocks)
        #: Where each source block went (its position → places), for `JobDocument.placements`.
        self.placed: dict[int, list[str]] = {}
        self.units = promote_list_headings(list(units_of(blocks, self.placed)))
        #: The unit being read, so a heading can look at the body that follows it.
        self.index = 0
        self.document = JobDocument()
        self.mode = "header"
        self.purpose: list[str] = []
        self.pending_labels: list[str] = []
        #: Duty-mode entries of the open section, filed when the section closes.
        self.section_entries: list[Entry] = []
        self.section_heading: str | None = None
        self.section_heading_is_lead_in = False
        #: The paperwork's title lines met so far ("teaching assistant job description").
        self.titles_seen: set[str] = set()
        #: Duties so far were written as a list (bulleted or numbered).
        self.duties_were_listed = False
        #: The last duty section filed, when it held only long unlisted paragraphs.
        self.prose_section: DutySection | None = None
        self.extra: ExtraSection | None = None
        self.category: Category | None = None
        self.spec_priority: str | None = None
        #: The priority came from an "Essential:" line under a category, not a section heading.
        self.priority_in_category = False
        self.ignored_after_signature = 0
        #: List items read outside the person specification (duties, purpose, extra sections).
        self.list_items_outside_spec = 0
        self.title_candidates: list[str] = []

    def _next_paragraph(self, index: int) -> Paragraph | None:
        # By position, not over a slice: copying the rest of the list for every paragraph made
        # reading quadratic (a 100,000-line file took minutes).
        for position in range(index + 1, len(self.units)):
            unit = self.units[position]
            if isinstance(unit, Grid):
                return None
            if unit.label is not None:
                return Paragraph(unit.label)
            if unit.paragraphs:
                return unit.paragraphs[0]
        return None

    def _body_after(self, index: int) -> list[Paragraph]:
        """The paragraphs after a heading, up to the next heading or table (at most 40)."""
        body: list[Paragraph] = []
        for position in range(index + 1, min(index + 41, len(self.units))):
            unit = self.units[position]
            if isinstance(unit, Grid) or unit.label is not None or not unit.paragraphs:
                break
            paragraph = unit.paragraphs[0]
            following = self._next_paragraph(position)
            if paragraph.list_kind is None and (
                heading_strength(paragraph, following) >= 2
                or role_of(heading_key(paragraph.text)) is not None
                or (body and body[-1].list_kind is not None)  # the list has ended
            ):
                break
            body.append(paragraph)
        return body

    def _add_title_from_heading(self, plain: str) -> None:
        """ "Teaching Assistant Person Specification" names the role before the paper's kind."""
        role = re.sub(
            r"[\s:–—-]*\b(?:job description|job profile|role profile|person specification)\b.*$",
            "",
            plain,
            flags=re.IGNORECASE,
        ).strip(" -–—:/|")
        if role and len(role.split()) <= 10:
            self.title_candidates.append(role)

    def _find(
        self,
        message: str,
        source: str,
        *,
        stage: str = "sections",
        alternative: str | None = None,
        matters: bool = True,
    ) -> None:
        source = flat(source)
        self.document.findings.append(
            Finding(
                message=message,
                source=source if len(source) <= 120 else source[:119] + "…",
                stage=stage,
                confidence="medium" if not matters else "low",
                alternative=alternative,
                matters=matters,
            )
        )

    def _open_category(self, name: str, parent: str | None = None) -> None:
        self.category = Category(name=name, parent=parent)
        spec = self.document.person_spec or PersonSpec()
        self.document.person_spec = spec
        spec.categories.append(self.category)
