"""Duty sections and extra sections: filing what is read under a duties heading.

`DutyReader` opens and closes duty sections and sub-sections (a numbered heading over lettered
or indented items, a lead-in line ending in a colon), joins wrapped lines, and on closing a
section files its entries as duties, the purpose's lead-in, or statements (safeguarding
commitment, "this job description…", sentences about the post after the list). Prose after
listed duties opens an extra section ("Contacts and relationships", "Work environment").
"""

from __future__ import annotations

import re

from ..document import DutySection, ExtraSection
from .blocks import Paragraph
from .headings import heading_strength, heading_text
from .reader_state import Entry, ReaderState

STATEMENT = re.compile(
    r"committed to safeguarding|in compliance with all (?:school )?policies|"
    r"neither exclusive nor exhaustive|\bthis job description\b|"
    r"\bjob description (?:is|may|will|provides|describes|does)\b|\bthe duties above\b|"
    r"equal opportunit(?:y|ies) employer|\bthis post is subject to\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(r"^(?:the|this|these|all staff|it is|we|our|you)\b", re.IGNORECASE)
#: A sentence about the post rather than a duty of it ("The post holder will be required to…").
_ABOUT_THE_POST = re.compile(
    r"^(?:the|this|these)\b|\b(?:post ?holder|job ?holder|will be required|the following)\b",
    re.IGNORECASE,
)


class DutyReader(ReaderState):
    """Duty sections, their statements, and extra sections."""

    def _open_section(self, heading: str, *, lead_in: bool = False) -> None:
        heading = heading_text(heading)
        if self.section_heading is not None and not self.section_entries:
            if self.section_heading_is_lead_in and lead_in:
                heading = f"{self.section_heading}: {heading}"
            self.section_heading = heading
            self.section_heading_is_lead_in = lead_in
            return
        self._close_section()
        self.section_heading = heading
        self.section_heading_is_lead_in = lead_in

    def _read_duty_line(self, paragraph: Paragraph, plain: str, following) -> None:
        is_list = paragraph.list_kind is not None
        if self.section_heading is None:
            self.section_heading = "Duties"
        if STATEMENT.search(plain) and (not is_list or _ABOUT_THE_POST.match(plain)):
            # A statement about the job description, bulleted or not, is not one of its duties.
            self.section_entries.append(Entry(plain, False, paragraph.gap_before, statement=True))
            return
        if not is_list and plain.endswith(":") and len(plain) < 200:
            self._open_section(plain, lead_in=True)
            return
        # Unlisted lines after a list item ending in a colon are that item's sub-items.
        listed = [entry for entry in self.section_entries if entry.is_list]
        lead_in = (
            bool(listed)
            and listed[-1].text.endswith(":")
            and (not self.section_entries[-1].is_list or self.section_entries[-1] is listed[-1])
        )
        if not lead_in and _is_sub_heading(paragraph, plain, following, self.section_entries):
            if self.duties_were_listed and not is_list and self._body_is_prose():
                # After duties written as lists, a heading over prose opens an extra section
                # ("Contacts and relationships", "Work environment"), not more duties.
                self._open_extra(plain)
                return
            self._open_section(plain)
            return
        entries = self.section_entries
        if (
            entries
            and paragraph.list_kind is None
            and not re.search(r"[.;:!?]$", entries[-1].text)
            and (plain[:1].islower() or _wrapped_in_full_stop_style(entries, paragraph))
        ):
            entries[-1].text = f"{entries[-1].text} {plain}"
            return
        entries.append(Entry(plain, is_list, paragraph.gap_before))
        self.duties_were_listed = self.duties_were_listed or is_list

    def _body_is_prose(self) -> bool:
        """True when what follows the current line holds no list item."""
        body = self._body_after(self.index)
        return bool(body) and all(paragraph.list_kind is None for paragraph in body)

    def _close_section(self) -> None:
        """File the open section's entries as duties, intro text or statements."""
        if self.section_heading is None:
            return
        entries, heading = self.section_entries, self.section_heading
        self.section_entries, self.section_heading = [], None
        self.section_heading_is_lead_in = False
        list_positions = [i for i, entry in enumerate(entries) if entry.is_list]
        duties: list[str] = []
        statements = self.document.statements
        if not list_positions:
            for entry in entries:
                (statements if entry.statement else duties).append(entry.text)
        else:
            first, last = list_positions[0], list_positions[-1]
            for entry in entries[:first]:
                if entry.statement or self.purpose or self.document.sections:
                    statements.append(entry.text)
                else:
                    self.purpose.append(entry.text)
            for entry in entries[first : last + 1]:
                (statements if entry.statement else duties).append(entry.text)
            trailing = entries[last + 1 :]
            wide_gap = bool(trailing) and trailing[0].gap_before >= 2
            for entry in trailing:
                if entry.statement or wide_gap or _THIRD_PERSON.match(entry.text):
                    statements.append(entry.text)
                else:
                    duties.append(entry.text)
        if not duties:
            return
        previous = self.prose_section
        listed = bool(list_positions) or len(duties) >= 3
        if listed and previous is not None and previous is self.document.sections[-1]:
            # Prose under a heading just before a list of duties is the list's lead-in
            # ("Under the direction of … the post holder will be required to …").
            self.document.sections.pop()
            self.document.statements.extend(previous.duties)
            self._find(
                f"The paragraph under “{previous.heading}” introduces the duties after it; it "
                "was kept as a statement.",
                previous.duties[0],
                alternative="a duty",
                matters=False,
            )
        section = DutySection(heading=heading, duties=duties)
        self.document.sections.append(section)
        long_prose = len(duties) <= 2 and bool(_ABOUT_THE_POST.search(duties[0]))
        self.prose_section = section if not list_positions and long_prose else None

    def _open_extra(self, heading: str) -> None:
        self._close_section()
        self.mode = "extra"
        self.extra = ExtraSection(heading=heading_text(heading))
        self.document.extra_sections.append(self.extra)

    def _read_extra_line(self, paragraph: Paragraph, plain: str, following) -> None:
        short_heading = paragraph.list_kind is None and len(plain.split()) <= 6
        if short_heading and (
            plain.endswith(":") or plain.isupper() or heading_strength(paragraph, following) >= 1.5
        ):
            self.extra = ExtraSection(heading=heading_text(plain))
            self.document.extra_sections.append(self.extra)
            return
        if self.extra is None:
            self.extra = ExtraSection(heading="Additional information")
            self.document.extra_sections.append(self.extra)
        self.extra.paragraphs.append(plain)


def _is_sub_heading(paragraph: Paragraph, plain: str, following, entries) -> bool:
    """A short title-like line that introduces the duties below it."""
    words = plain.split()
    if not words or len(words) > 8 or re.search(r"[.;:,!?]$", plain) or not plain[:1].isupper():
        return False
    if following is None:
        return False
    if paragraph.list_kind is None:
        return (
            following.list_kind is not None
            or len(following.text.split()) > len(words)
            or heading_strength(paragraph, following) >= 1.5
        )
    # A bulleted title among imperative duties ("Working with staff, parents…" among "Build…").
    first = words[0].lower()
    previous_first = entries[-1].text.split()[0].lower() if entries else ""
    following_first = following.text.split()[0].lower() if following.text.split() else ""
    return (
        first.endswith("ing")
        and following.list_kind is not None
        and bool(previous_first)
        and not previous_first.endswith("ing")
        and not following_first.endswith("ing")
    )


def _wrapped_in_full_stop_style(entries: list[Entry], paragraph: Paragraph) -> bool:
    """True when duties here end with full stops and the last stopped short: a wrapped line."""
    finished = [
        entry for entry in entries[:-1] if entry.is_list == (paragraph.list_kind is not None)
    ]
    if not finished or paragraph.list_kind is not None:
        return False
    return sum(entry.text.endswith(".") for entry in finished) >= 0.8 * len(finished)
