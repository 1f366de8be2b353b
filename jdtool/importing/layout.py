"""Interpret blocks (paragraphs and table rows) as a job description and person specification.

The reader walks the document once, in one of a few modes (header, purpose, duties, extra
sections, person spec, signature block), switching mode on headings it recognises. Person-spec
tables are read as grids whose header row names the columns (E/D, Essential and Desirable,
one column per assessment method). Where the source does not say a criterion's priority or
methods, they stay unknown and a warning says so: the importer never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..document import (
    Category,
    Criterion,
    DutySection,
    ExtraSection,
    Finding,
    JobDocument,
    PersonSpec,
)
from .blocks import Block, Paragraph, TableRow, flat, split_list_marker
from .headings import body_role, heading_key, heading_strength, is_key_line, section_role

_heading_key = heading_key


PURPOSE_HEADINGS = {
    "job purpose", "purpose", "main purpose", "main purpose of job", "main purpose of the job",
    "purpose of job", "purpose of the job", "purpose of the post", "purpose of post",
    "main job purpose", "role purpose", "overall purpose", "overall purpose of the job",
    "reason job exists", "job summary", "main purpose of the role", "purpose of the role",
    "job purpose and content", "purpose of job role", "summary of role", "the role",
    "about the role", "about the job", "the job", "role overview", "job overview",
}  # fmt: skip
DUTY_HEADINGS = {
    "duties and responsibilities", "main duties and responsibilities",
    "main duties and responsibilties", "main responsibilities and duties", "main responsibilities",
    "key responsibilities", "responsibilities", "duties", "main duties", "key duties",
    "principal accountabilities", "principal duties and responsibilities",
    "principal responsibilities", "summary of responsibilities and duties",
    "responsibilities and role", "job activities", "key tasks", "main tasks", "specific duties",
    "key accountabilities", "core duties", "general duties", "general",
    "responsibilities and duties",
    "roles and responsibilities", "role and responsibilities", "key duties and responsibilities",
    "duties and responsibilities of the post", "main duties of the post", "principal duties",
}  # fmt: skip
EXTRA_HEADINGS = {
    "supporting processes", "physical effort and working conditions", "working conditions",
    "problem solving and creativity", "decision making", "contacts and relationships",
    "special conditions", "additional information", "working environment",
    "physical effort", "work environment", "supervision and management",
}  # fmt: skip
SPEC_CATEGORY_WORDS = ("knowledge", "skills", "experience", "qualifications", "abilities")

#: Header labels (lower case, no colon) and the field each fills.
FIELD_LABELS = {
    "job title": "title", "title": "title", "post": "title", "post title": "title",
    "title of post": "title", "post held": "title", "title of job": "title", "role": "title",
    "job role": "title", "position": "title", "role title": "title",
    "school": "school", "school name": "school", "establishment": "school",
    "organisation": "organisation", "employer": "organisation", "trust": "organisation",
    "location": "location", "work location": "location", "place of work": "location",
    "based at": "location", "workplace": "location",
    "grade": "grade", "grade/salary": "grade", "salary grade": "grade", "pay": "grade",
    "salary": "grade", "pay grade": "grade", "grade and salary": "grade", "salary/grade": "grade",
    "scale": "grade", "point range": "grade", "pay scale": "grade", "salary range": "grade",
    "hours": "hours", "working hours": "hours", "hours of work": "hours",
    "hours per week": "hours", "contract times": "hours", "working pattern": "hours",
    "contract": "contract", "contract type": "contract", "type of contract": "contract",
    "reports to": "reports_to", "reporting to": "reports_to", "responsible to": "reports_to",
    "to whom responsible": "reports_to", "accountable to": "reports_to",
    "line manager": "reports_to", "report to": "reports_to",
    "key relationships": "key_relationships", "liaison with": "key_relationships",
    "main contacts": "key_relationships", "key contacts": "key_relationships",
    "liaises with": "key_relationships", "working relationships": "key_relationships",
    "department": "department", "directorate": "department",
    "section": "section", "service": "section", "team": "section",
    "job number": "job_number", "post number": "job_number", "job no": "job_number",
    "job ref": "job_number", "post reference": "job_number",
    "date": "date", "effective date": "date", "date of issue": "date", "date reviewed": "date",
}  # fmt: skip
#: Labels seen in the posting details job boards add around a JD; never JD header fields.
POSTING_LABELS = {
    "posting date", "closing date", "job reference", "company", "job type", "date posted",
    "expiry date", "apply by", "start date", "interview date", "vacancy reference",
}  # fmt: skip

_LABELS_BY_LENGTH = sorted(FIELD_LABELS, key=len, reverse=True)
_LABEL_AT_START = re.compile(
    r"^(?P<label>" + "|".join(re.escape(label) for label in _LABELS_BY_LENGTH) + r")"
    r"(?:\s*:\s*\|?\s*|\s*\t\s*|\s*\|\s*|\s+/\s*|\s*[–-]\s+|(?<=[a-z)])(?=[A-Z0-9£])|\s*$)",
    re.IGNORECASE,
)
_GLUED_LABEL = re.compile(
    r"(?<=\S)(?=(?:"
    + "|".join(re.escape(label.title()) for label in _LABELS_BY_LENGTH if " " not in label)
    + r")\s*:)"
)
_MONEY = re.compile(r"£\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,4})?)")
_HOURS = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)\s*(?:hours|hrs)\b", re.IGNORECASE)
#: Hours of a day or a session, not of a week: "2.5 hours at lunchtime", "6 hours per day".
_NOT_WEEKLY = re.compile(
    r"^\s*(?:(?:per|a|each|every)\s+(?:day|session|night|shift|lunchtime)|daily|at lunch"
    r"|over lunch|in the (?:morning|afternoon))",
    re.IGNORECASE,
)
#: "The post holder will report to the Teacher/Senior Teaching Assistant."
_REPORTS_TO_IN_SENTENCE = re.compile(
    r"\b(?:will |shall )?reports? (?:directly )?to (?:the )?([A-Z][^.,;:()]{2,60})"
)
#: Words that make pay in words a grade: "Grade 5", "NJC scale 3", "Band C", "SCP 9-12".
_GRADE_WORDS = re.compile(r"\b(?:grade|scale|band|level|spine|scp|njc|point|range)\b|\d", re.I)
_WEEKS = re.compile(r"(\d{2}(?:\.\d{1,3})?)\s*(?:paid\s+)?weeks", re.IGNORECASE)
_INSET = re.compile(r"(\d{1,2})\s*(?:inset|insets|inset days|training days)\b", re.IGNORECASE)
_CONTRACT = re.compile(r"\b(fixed[\s-]term\b[^.]*|permanent\b[^.]*|temporary\b[^.]*)", re.I)
_UNTIL = re.compile(
    r"\buntil\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+)\s+(\d{4})", re.I
)
_ORGANISATION = re.compile(
    r"\b(trust|council|federation|diocese|academies|borough|partnership)\b", re.IGNORECASE
)
#: A header line that is a grade alone: "Grade 5", "Band C", "Scale 3".
_GRADE_LINE = re.compile(r"^(?:grade|band|scale|level)\s+[A-Z0-9]{1,3}$", re.IGNORECASE)
#: Words that name a school in a header line ("Harmony Primary School", "Oak Academy").
_SCHOOL = re.compile(r"\b(?:school|academy|college|nursery)\s*$", re.IGNORECASE)
#: Words that make a heading line look like a job title when no label names the title.
_ROLE_WORDS = re.compile(
    r"\b(?:assistant|teacher|supervisor|manager|administrator|officer|leader|TA|HLTA|SENCO|"
    r"SENDCO|caretaker|clerk|practitioner|mentor|technician|coordinator|co-ordinator|bursar|"
    r"librarian|nurse|coach|worker)\b",
    re.IGNORECASE,
)
_WEAK_ROLE_WORDS = re.compile(r"\b(?:lead|head|support|cover|midday)\b", re.IGNORECASE)
#: Where a text rendering joined a table cell's paragraphs with " / ": the slash is followed by a
#: bullet or a capital ("… classroom / • Knowledge of …"), unlike "children / young people".
_JOINED_PARAGRAPHS = re.compile(r"\s+/\s+(?=[·•▪\uf0b7¨]|[A-Z])")
_SIGNATURE_LINE = re.compile(r"(?:\.{4,}|…{2,}|_{4,})")
_SIGNATURE_ROLE = re.compile(
    r"^(?:(?:print\s+name|signed|signature|name)\s*\((?P<paren>[^)]+)\)"
    r"|(?P<label>[A-Za-z][A-Za-z /'-]{1,40}?))\s*:",
    re.IGNORECASE,
)
_NOT_ROLES = {"print name", "signed", "signature", "name", "date", "dated", "print"}
_STATEMENT = re.compile(
    r"committed to safeguarding|in compliance with all (?:school )?policies|"
    r"neither exclusive nor exhaustive|\bthis job description\b|"
    r"\bjob description (?:is|may|will|provides|describes|does)\b|\bthe duties above\b|"
    r"equal opportunit(?:y|ies) employer|\bthis post is subject to\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(r"^(?:the|this|these|all staff|it is|we|our|you)\b", re.IGNORECASE)
#: "Key Interfaces: External agencies": a short label, a colon, a value.
_LABELLED_LINE = re.compile(r"^([A-Z][A-Za-z'’]+(?: [A-Za-z'’]+){0,2})\s*:\s+(\S.*)$")
#: Words a template addresses to its author: "[insert school name]", "delete as appropriate",
#: "Provide a summary of the postholder's responsibility for…".
_TEMPLATE_PROMPT = re.compile(
    r"^(?:please )?(?:provide|give|insert|include|add) (?:a |an |the )?(?:brief )?"
    r"(?:summary|description|details|outline|list) of\b",
    re.IGNORECASE,
)
#: A prompt inside a line the school did write: "Follow [insert school name]'s policy",
#: "Grade 4/5 (delete as appropriate)".
_TEMPLATE_PROMPT_PART = re.compile(
    r"\s*\[(?:insert|add|enter|type|name of|school name)[^\]]*\]"
    r"|\s*\(?\bdelete as (?:appropriate|applicable)\b\)?[:.]?",
    re.IGNORECASE,
)
#: A cell line that only joins two criteria ("Have either (A) or (B):" / "OR").
_CONNECTIVES = {"or", "and", "and/or", "either", "plus"}
#: A sentence about the criteria themselves, not one of them (ten words or more).
_ABOUT_CRITERIA = re.compile(
    r"^(?=(?:\S+\s+){9})(?:the following|these|some or all|all (?:of )?the|candidates|"
    r"applicants|you)\b.*\bcriteri(?:a|on)\b",
    re.IGNORECASE,
)
#: A sentence about the post rather than a duty of it ("The post holder will be required to…").
_ABOUT_THE_POST = re.compile(
    r"^(?:the|this|these)\b|\b(?:post ?holder|job ?holder|will be required|the following)\b",
    re.IGNORECASE,
)
_FORMAT_NOTE = re.compile(r"\b(?:italics?|bold|underlined?|shaded|highlighted)\b", re.IGNORECASE)
#: A line saying which priority the criteria under it have: "SECTION 1 – ESSENTIAL CRITERIA",
#: "Essential:", "Desirable requirements".
_SPEC_PRIORITY_HEADING = re.compile(
    r"\b(essential|desirable)\s+(?:criteria|requirements)\b|^(essential|desirable)\s*:?$",
    re.IGNORECASE,
)

_MARKS = {
    "x",
    "✓",
    "✔",
    "√",
    "•",
    "·",
    "*",
    "y",
    "yes",
    "\uf0b7",
    "\uf0fc",
    "\uf0a7",
    "¨",
    "✗",
    "☑",
    "■",
}

#: Header-cell words naming an assessment method, and the single letters employers use.
_METHOD_WORDS = (
    ("application", "application"), ("interview", "interview"), ("reference", "references"),
    ("observation", "observation"), ("certificate", "certificates"), ("task", "task"),
    ("test", "task"), ("exercise", "task"), ("presentation", "task"), ("dbs", "certificates"),
)  # fmt: skip
#: A header over a column in which each row names its methods in words or letters.
_METHODS_HEADER = re.compile(
    r"how (?:identified|assessed|evidenced|tested|measured)|identified (?:by|through|from)"
    r"|(?:method|means|mode)s? of (?:assessment|identification|evidence)|assessment(?: methods?)?"
    r"|assessed (?:by|through|via)|evidence(?:d by)?|source of evidence"
)
_METHOD_LETTERS = {
    "a": "application", "i": "interview", "r": "references", "t": "task",
    "o": "observation", "c": "certificates", "af": "application", "app": "application",
    "ref": "references", "refs": "references", "int": "interview",
}  # fmt: skip


@dataclass
class _Entry:
    text: str
    is_list: bool
    gap_before: int
    #: A standard statement (safeguarding commitment, "this job description…"), not a duty.
    statement: bool = False


@dataclass
class _Column:
    #: "text", "ed", "essential", "desirable", "method" (one method, ticked per row), "methods"
    #: (method names written in the cell, e.g. "Application / Interview") or "merged" (a column
    #: the header's merged cell covers; its cells belong to the column before it).
    kind: str
    method: str | None = None


@dataclass
class _Grid:
    columns: list[_Column]
    #: Which Word table the header row came from (0 for text renderings).
    table: int = 0
    #: The header row's cell texts, to know the header again where it repeats.
    header: list[str] = field(default_factory=list)
    #: The source block of each row in `rows`.
    row_blocks: list[int] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)


def read_layout(blocks: list[Block]) -> JobDocument:
    """Interpret a document's blocks; warnings go into the result's `warnings`."""
    return _LayoutReader(blocks).read()


class _LayoutReader:
    def __init__(self, blocks: list[Block]) -> None:
        self.block_count = len(blocks)
        #: Where each source block went (its position → places), for `JobDocument.placements`.
        self.placed: dict[int, list[str]] = {}
        self.units = _promote_list_headings(list(_units(blocks, self.placed)))
        #: The unit being read, so a heading can look at the body that follows it.
        self.index = 0
        self.document = JobDocument()
        self.mode = "header"
        self.purpose: list[str] = []
        self.pending_labels: list[str] = []
        #: Duty-mode entries of the open section, filed when the section closes.
        self.section_entries: list[_Entry] = []
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

    # -- driver ---------------------------------------------------------------------------

    def read(self) -> JobDocument:
        for index, unit in enumerate(self.units):
            self.index = index
            if isinstance(unit, _Grid):
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

    def _next_paragraph(self, index: int) -> Paragraph | None:
        # By position, not over a slice: copying the rest of the list for every paragraph made
        # reading quadratic (a 100,000-line file took minutes).
        for position in range(index + 1, len(self.units)):
            unit = self.units[position]
            if isinstance(unit, _Grid):
                return None
            if unit.label is not None:
                return Paragraph(unit.label)
            if unit.paragraphs:
                return unit.paragraphs[0]
        return None

    # -- one paragraph --------------------------------------------------------------------

    def _read_paragraph(self, paragraph: Paragraph, following: Paragraph | None) -> str:
        """Read one paragraph; return where it went ("duty section", "ignored: …")."""
        text = paragraph.text
        plain = flat(text)
        key = _heading_key(text)

        if self.mode == "signature":
            return self._read_signature_line(plain)
        if is_key_line(plain):
            return "ignored: the key to the assessment-method letters"
        if _TEMPLATE_PROMPT_PART.search(plain):
            kept = flat(_TEMPLATE_PROMPT_PART.sub("", plain)).strip(" ,;")
            # Nothing left, a bare label, or a line that starts as an instruction to the author
            # ("Delete as appropriate: full time / part time"): the whole line is the prompt.
            whole = (
                len(kept.split()) < 2
                or kept.endswith(":")
                or bool(_TEMPLATE_PROMPT_PART.match(plain))
            )
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
            text, plain, key = kept, kept, _heading_key(kept)
        if _TEMPLATE_PROMPT.search(plain):
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

    def _switch_on_heading(self, plain: str, key: str) -> bool:
        """Switch mode when the paragraph is a heading we know; True if it was one."""
        switched = self._switch_mode_for(plain, key)
        self.document.landmarks += switched
        return switched

    def _switch_mode_for(self, plain: str, key: str) -> bool:
        if _is_spec_title(key) and not plain.endswith((".", ",")):
            if self.mode == "header":
                self._add_title_from_heading(plain)
            self._close_section()
            self.mode = "spec"
            self.category = None
            return True
        if len(plain) > 90:
            return False
        # A line ending like a sentence is a heading only when its words are ones we list.
        role = _role_of(key, listed_only=bool(re.search(r"[.;,]$", plain)))
        if role == "purpose" and self.mode != "spec":
            self._close_section()
            self.mode = "purpose"
            return True
        if role == "spec" and self.mode != "spec":
            # "Selection criteria", "Essential requirements": the person specification.
            self._close_section()
            self.mode = "spec"
            self.category = None
            self.spec_priority = None
            return True
        if role == "duties" and self.mode not in ("spec",):
            self._open_section(plain)
            self.mode = "duties"
            return True
        if (role == "extra" and self.mode != "spec") or role == "offer":
            self._open_extra(plain)
            return True
        if role == "title" and key in self.titles_seen:
            return True  # the paperwork's title repeated at the top of a page: not a new start
        if role == "title":
            # The paperwork's own title ("1:1 TEACHING ASSISTANT JOB DESCRIPTION"): a new
            # header starts; the words before "job description" may name the role.
            self.titles_seen.add(key)
            if self.mode != "header":
                self._close_section()
                self.mode = "header"
            self._add_title_from_heading(plain)
            return True
        if self.mode in ("duties", "extra", "purpose") and _is_spec_category_heading(key):
            self._close_section()
            self.mode = "spec"
            self._open_category(_heading_text(plain))
            return True
        return False

    def _switch_on_body(self, paragraph: Paragraph, plain: str, following) -> bool:
        """A heading whose words name no section: what follows it decides; True if it was one.

        A heading always closes the purpose, so nothing joins the purpose unrecognised.
        """
        if self.mode not in ("header", "purpose", "extra", "duties"):
            return False
        strength = heading_strength(paragraph, following)
        # In the purpose (prose) or among duties, a short line set apart with a list of three
        # or more under it is enough.
        if strength < 2 and not (self.mode in ("purpose", "duties") and strength >= 1.5):
            return False
        body = self._body_after(self.index)
        role = body_role(body)
        if strength < 2 and sum(item.list_kind is not None for item in body) < 3:
            return False
        if self.mode == "duties" and role != "spec":
            return False  # a sub-heading among the duties: the duty reader files it
        if self.mode == "header" and (not body or body[0].list_kind is None):
            return False  # in the header, only a list straight after a heading starts one
        if role == "duties":
            self._open_section(plain)
            self.mode = "duties"
            self._find(
                f"“{_heading_text(plain)}” is not a heading jdtool knows; the list under it was "
                "read as duties.",
                plain,
                stage="headings",
                alternative="an extra section",
            )
        elif role == "spec":
            self._close_section()
            self.mode = "spec"
            self._open_category(_heading_text(plain))
            self._find(
                f"“{_heading_text(plain)}” is not a heading jdtool knows; the list under it reads "
                "as requirements, so it was read as person-specification criteria.",
                plain,
                stage="headings",
                alternative="duties",
            )
        elif self.mode == "purpose" and self.purpose and role != "fields":
            self._open_extra(plain)
        else:
            return False
        return True

    def _list_of_criteria_starts(self) -> bool:
        """A list of criteria ("Ability to…", "Experience of…") in the header or the purpose,
        under a short line such as "What we are looking for": a person specification."""
        if self.mode not in ("header", "purpose"):
            return False
        previous = self.units[self.index - 1] if self.index else None
        if not isinstance(previous, _Unit) or previous.label is not None or not previous.paragraphs:
            return False
        lead = previous.paragraphs[0]
        if lead.list_kind is not None:
            return False
        if body_role(self._body_after(self.index - 1)) != "spec":
            return False
        name = flat(lead.text)
        heading = len(name.split()) <= 12 and not re.search(r"[.;,]$", name)
        if heading and self.mode == "purpose" and self.purpose and self.purpose[-1] == name:
            self.purpose.pop()
        elif heading and self.title_candidates and self.title_candidates[-1] == name:
            self.title_candidates.pop()
        self._close_section()
        self.mode = "spec"
        self._open_category(_heading_text(name) if heading else "Person specification")
        self._find(
            "A list of requirements with no person-specification heading was read as criteria "
            "(essential or desirable unknown).",
            name,
            stage="sections",
            alternative="duties or the job purpose",
        )
        return True

    def _body_after(self, index: int) -> list[Paragraph]:
        """The paragraphs after a heading, up to the next heading or table (at most 40)."""
        body: list[Paragraph] = []
        for position in range(index + 1, min(index + 41, len(self.units))):
            unit = self.units[position]
            if isinstance(unit, _Grid) or unit.label is not None or not unit.paragraphs:
                break
            paragraph = unit.paragraphs[0]
            following = self._next_paragraph(position)
            if paragraph.list_kind is None and (
                heading_strength(paragraph, following) >= 2
                or _role_of(_heading_key(paragraph.text)) is not None
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

    def _open_extra(self, heading: str) -> None:
        self._close_section()
        self.mode = "extra"
        self.extra = ExtraSection(heading=_heading_text(heading))
        self.document.extra_sections.append(self.extra)

    # -- header fields --------------------------------------------------------------------

    def _read_field_line(self, text: str) -> bool:
        """Read "Label: value" (or a label alone, its value to follow); True if it was one."""
        match = _LABEL_AT_START.match(text)
        if not match:
            return False
        field_name = FIELD_LABELS[match.group("label").lower()]
        value = text[match.end() :].strip(" \t/")
        if not value:
            if self.mode == "header" or (self.mode == "spec" and not self.document.has_criteria()):
                self.pending_labels.append(field_name)
                return True
            return False
        if self.mode != "header" and self._field_is_set(field_name):
            return False
        if self.mode not in ("header", "duties", "purpose", "spec") and field_name != "title":
            return False
        if self.mode != "header" and not re.search(r"[:\t]", text[: match.end() + 1]):
            return False  # outside the header only an explicit "Label:" counts
        for part_label, part_value in _split_glued_fields(field_name, value):
            self._set_field(part_label, part_value)
        return True

    def _read_heading_beside_text(self, text: str) -> bool:
        """ "MAIN PURPOSE OF THE JOB<tab>To contribute to…": a heading lined up beside its
        first paragraph (fixed-width and two-column layouts); True if it was one."""
        head, tab, rest = text.partition("\t")
        if not tab or not rest.strip() or len(head.split()) > 8:
            return False
        key = _heading_key(head)
        if _role_of(key) != "purpose" or key in FIELD_LABELS:
            return False
        self._close_section()
        self.mode = "purpose"
        self.purpose.append(flat(rest))
        return True

    def _read_header_line(self, paragraph: Paragraph, plain: str, following) -> str:
        if plain.strip("/ ") == "":
            return "ignored: a separator"
        if (
            paragraph.list_kind is None
            and not self.document.salary.text
            and _MONEY.search(plain)
            and (len(plain.split()) <= 12 or plain.lstrip().startswith("£"))
        ):
            # Pay on a line of its own, under a grade or salary label.
            self._read_pay(plain)
            return "header field"
        if not self.document.grade and _GRADE_LINE.match(plain):
            self.document.grade = plain
            return "header field"
        if paragraph.list_kind is not None:
            # A list before any heading: the duties have started without one.
            self._open_section("Duties")
            self.mode = "duties"
            self._read_duty_line(paragraph, plain, following)
            return "duty section"
        if not self.document.organisation and _ORGANISATION.search(plain) and len(plain) < 80:
            self.document.organisation = plain.strip(" :")
            return "header field"
        if self._read_school_line(plain):
            return "header field"
        dashed = re.match(
            r"^(?:job|role) (?:description|profile)\s*[-–—:]\s*(.+)$", plain, re.IGNORECASE
        )
        if dashed:
            self.title_candidates.append(dashed.group(1).strip())
            return "title"
        found = self._scan_terms(plain)
        if (
            len(plain.split()) <= 10
            and not re.search(r"[.:]$", plain)
            and "job description" not in plain.lower()
            and not _HOURS.search(plain)
        ):
            self.title_candidates.append(plain)
            return "title"
        if found:
            return "header field"
        return "ignored: header text that is not a field (a note or a web page's words)"

    def _read_labelled_line(self, plain: str) -> str | None:
        """ "Role Purpose: …", "Key Interfaces: …" among duties: a labelled detail, not a duty.

        A purpose label starts the purpose; any other short labelled line is kept as an extra
        section under its label. Where the line went, or None when it was not one.
        """
        if self.mode not in ("duties", "purpose"):
            return None
        match = _LABELLED_LINE.match(plain)
        if not match:
            return None
        label, value = match.group(1), match.group(2)
        label_role = _role_of(_heading_key(label))
        if (
            len(label.split()) < 2
            and label_role is None
            and _heading_key(label) not in FIELD_LABELS
        ):
            return None  # "Literacy: hear pupils read daily" is a duty with a lead word
        if label_role == "purpose":
            self._close_section()
            self.mode = "purpose"
            self.purpose.append(value)
            return "purpose"
        if len(value.split()) > 10:
            return None
        self._close_section()
        self.document.extra_sections.append(ExtraSection(heading=label, paragraphs=[value]))
        return "extra section"

    def _read_school_line(self, plain: str) -> bool:
        """A header line naming the school ("Harmony Primary School – Teaching Assistant / Job
        Description"): the school's name, and what follows a dash as a title candidate."""
        if self.document.school or len(plain) > 120:
            return False
        parts = re.split(r"\s+[–—-]\s+", plain, maxsplit=1)
        head, comma, place = parts[0].partition(", ")
        head = head.strip(" :")
        if not _SCHOOL.search(head) or len(head.split()) > 7 or re.search(r"[.,;]$", head):
            return False
        self.document.school = head
        if comma and place.strip() and not self.document.location and len(place.split()) <= 4:
            self.document.location = place.strip()  # "Meadow Lane Primary School, Leeds"
        if len(parts) > 1:
            self._add_title_from_heading(re.sub(r"\s*/\s*$", "", parts[1]).strip())
        return True

    def _field_is_set(self, field_name: str) -> bool:
        if field_name == "hours":
            return self.document.hours_per_week is not None
        return bool(getattr(self.document, field_name, None))

    def _set_field(self, field_name: str, value: str) -> None:
        value = flat(value).strip(" :/|–-")
        if not value or set(value) <= set(".…_-"):
            return
        document = self.document
        document.landmarks += 1
        if field_name == "grade":
            self._read_pay(value)
        elif field_name == "hours":
            self._scan_terms(value)
            if document.hours_per_week is None:
                document.warnings.append(f"Hours given as '{value}': no weekly hours found.")
        elif field_name == "contract":
            document.contract = value
            self._scan_terms(value)
        elif field_name == "reports_to":
            document.reports_to = value.rstrip(".")
        else:
            setattr(document, field_name, value)

    def _read_pay(self, value: str) -> None:
        document = self.document
        amounts = [float(match.group(1).replace(",", "")) for match in _MONEY.finditer(value)]
        if amounts:
            document.salary.text = value
            document.salary.min = amounts[0]
            document.salary.max = amounts[1] if len(amounts) > 1 else amounts[0]
            lowered = value.lower()
            if re.search(r"per hour|/hr|hourly|an hour", lowered) and amounts[0] < 100:
                document.salary.basis = "hourly"
            elif "actual" in lowered and "fte" not in lowered and "full time" not in lowered:
                document.salary.basis = "actual"
            else:
                document.salary.basis = "fte"
            grade = value[: value.index("£")].strip(" ,;:-–")
            if grade and not document.grade:
                document.grade = grade
        elif not document.grade and _looks_like_grade(value):
            document.grade = value
        elif not document.salary.text:
            # "Competitive", "To be discussed at interview": pay in words, not a grade.
            document.salary.text = value
        self._scan_terms(value)

    def _scan_terms(self, text: str) -> bool:
        """Pick hours, weeks, INSET days and contract terms out of free text; True if any."""
        document = self.document
        before = (
            document.hours_per_week, document.weeks_per_year, document.inset_days,
            document.contract, document.contract_end,
        )  # fmt: skip
        self._scan_terms_into(text)
        return before != (
            document.hours_per_week, document.weeks_per_year, document.inset_days,
            document.contract, document.contract_end,
        )  # fmt: skip

    def _scan_terms_into(self, text: str) -> None:
        document = self.document
        if document.hours_per_week is None and (hours := _weekly_hours(text)) is not None:
            document.hours_per_week = hours
        if document.reports_to is None and (reporting := _REPORTS_TO_IN_SENTENCE.search(text)):
            document.reports_to = reporting.group(1).strip()
        if document.weeks_per_year is None and (weeks := _WEEKS.search(text)):
            document.weeks_per_year = float(weeks.group(1))
        if document.inset_days is None and (inset := _INSET.search(text)):
            document.inset_days = int(inset.group(1))
        if document.contract is None and (contract := _CONTRACT.search(text)):
            document.contract = contract.group(1).strip(" ,;")
        if document.contract_end is None and (until := _UNTIL.search(text)):
            try:
                end = datetime.strptime(" ".join(until.groups()), "%d %B %Y")
            except ValueError:
                return
            document.contract_end = end.date().isoformat()

    def _read_label_cell(self, label: str, paragraphs: list[Paragraph]) -> list[str]:
        """A two-column row: a label beside its value or its content; where its parts went."""
        plain = flat(label)
        key = _heading_key(label)
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
                self.extra = ExtraSection(heading=_heading_text(plain))
                self.document.extra_sections.append(self.extra)
            elif self.mode == "spec":
                self._open_category(_heading_text(plain))
            else:
                places = [self._read_paragraph(Paragraph(label), None)]
        for index, paragraph in enumerate(paragraphs):
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            places.append(self._read_paragraph(paragraph, following))
        return places

    # -- duties ---------------------------------------------------------------------------

    def _open_section(self, heading: str, *, lead_in: bool = False) -> None:
        heading = _heading_text(heading)
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
        if _STATEMENT.search(plain) and (not is_list or _ABOUT_THE_POST.match(plain)):
            # A statement about the job description, bulleted or not, is not one of its duties.
            self.section_entries.append(_Entry(plain, False, paragraph.gap_before, statement=True))
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
        entries.append(_Entry(plain, is_list, paragraph.gap_before))
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

    # -- extra sections -------------------------------------------------------------------

    def _read_extra_line(self, paragraph: Paragraph, plain: str, following) -> None:
        short_heading = paragraph.list_kind is None and len(plain.split()) <= 6
        if short_heading and (
            plain.endswith(":") or plain.isupper() or heading_strength(paragraph, following) >= 1.5
        ):
            self.extra = ExtraSection(heading=_heading_text(plain))
            self.document.extra_sections.append(self.extra)
            return
        if self.extra is None:
            self.extra = ExtraSection(heading="Additional information")
            self.document.extra_sections.append(self.extra)
        self.extra.paragraphs.append(plain)

    # -- person specification as text -----------------------------------------------------

    def _open_category(self, name: str, parent: str | None = None) -> None:
        self.category = Category(name=name, parent=parent)
        spec = self.document.person_spec or PersonSpec()
        self.document.person_spec = spec
        spec.categories.append(self.category)

    def _read_spec_line(self, paragraph: Paragraph, plain: str) -> str:
        if _FORMAT_NOTE.search(plain) and re.search(r"essential|desirable", plain, re.I):
            self.document.warnings.append(
                "The person specification marks essential/desirable by text formatting "
                f"(\u201c{plain.strip('()')}\u201d); those priorities are left unknown."
            )
            return "ignored: a note that E/D is shown by formatting the text has lost"
        if paragraph.list_kind is None and _STATEMENT.search(plain) and len(plain.split()) >= 8:
            # A safeguarding or equal-opportunities sentence after the person specification.
            self.document.statements.append(plain)
            return "statement"
        if paragraph.list_kind is None and plain.startswith("(") and self.document.has_criteria():
            # A bracketed note under the criteria ("(Level 2 qualifications are equivalent…").
            return "ignored: a note under the person specification"
        if paragraph.list_kind is None and _ABOUT_CRITERIA.search(plain):
            # "The following are essential criteria which will be measured at shortlisting…"
            return "ignored: a note to applicants about the criteria"
        priority_heading = _SPEC_PRIORITY_HEADING.search(plain)
        if priority_heading and paragraph.list_kind is None and len(plain.split()) <= 8:
            self.spec_priority = _priority_named(priority_heading)
            # "Essential:" inside a category holds for that category only.
            self.priority_in_category = priority_heading.group(2) is not None
            return "heading (essential or desirable criteria)"
        if self.priority_in_category and paragraph.list_kind is None and _is_upper_or_short(plain):
            self.spec_priority = None
            self.priority_in_category = False
        is_heading = (
            paragraph.list_kind is None
            and len(plain.split()) <= 6
            and not re.search(r"[.;,]$", plain)
            and plain[:1].isupper()
        )
        # Straight under a category name, a phrase of four or more words is its first criterion
        # whose bullet was lost, not a second category with nothing in the first.
        lost_bullet = self.category is not None and not self.category.criteria
        if is_heading and not (lost_bullet and len(plain.split()) >= 4):
            self._open_category(_heading_text(plain))
            return "person-spec category"
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None
        criteria = self.category.criteria
        if criteria and plain[:1].islower() and not re.search(r"[.;!?]$", criteria[-1].text):
            criteria[-1].text = f"{criteria[-1].text} {plain}"
            return "criterion"
        criteria.append(Criterion(text=plain, priority=self.spec_priority))
        return "criterion"

    # -- person specification as a grid ---------------------------------------------------

    def _read_grid(self, grid: _Grid) -> list[str]:
        """Read a person-spec table's rows; return where each row went."""
        self.document.landmarks += 1
        places: list[str] = []
        columns = _refine_columns(grid.columns, grid.rows)
        text_columns = [i for i, column in enumerate(columns) if column.kind == "text"]
        merged = [i for i, column in enumerate(columns) if column.kind == "merged"]
        for i in text_columns[2:] + merged:
            # Beyond a category column and a criteria column, a column of text has no place.
            if any(row.cell_text(i) for row in grid.rows):
                heading = grid.header[i] if i < len(grid.header) and grid.header[i] else ""
                self._find(
                    f"The person-spec table's column {i + 1}"
                    + (f" (“{heading}”)" if heading else "")
                    + " is neither E/D, a method nor the criteria; its cells were not imported.",
                    heading,
                    stage="tables",
                    alternative="E/D, assessment methods or criteria",
                )
        parent: str | None = None
        parent_is_upper = False
        last_was_category = False
        for row in grid.rows:
            filled = [i for i in range(len(row.cells)) if row.cell_text(i)]
            if not filled:
                places.append("ignored: an empty table row")
                continue
            if len(filled) == 1 and _is_category_row(row, filled[0], text_columns):
                name = _heading_text(row.cell_text(filled[0]))
                priority_heading = _SPEC_PRIORITY_HEADING.search(name)
                if priority_heading and len(name.split()) <= 8:
                    self.spec_priority = _priority_named(priority_heading)
                    places.append("heading (essential or desirable criteria)")
                    continue
                is_upper = _is_upper(name)
                if last_was_category and self.category and not self.category.criteria:
                    parent, parent_is_upper = self.category.name, _is_upper(self.category.name)
                    self._open_category(name, parent=parent)
                elif parent is not None and is_upper != parent_is_upper:
                    self._open_category(name, parent=parent)
                else:
                    parent = None
                    self._open_category(name)
                last_was_category = True
                places.append("person-spec category")
                continue
            last_was_category = False
            category = self.category
            before = len(category.criteria) if category else 0
            self._read_grid_row(row, columns, text_columns)
            added = self.category is not None and (
                len(self.category.criteria) > before
                if self.category is category
                else bool(self.category.criteria)
            )
            places.append("criterion" if added else "ignored: a table row with no criterion")
        return places

    def _read_grid_row(self, row: TableRow, columns: list[_Column], text_columns: list[int]):
        criteria_columns = [
            i
            for i, column in enumerate(columns)
            if column.kind in ("essential", "desirable") and _holds_criteria(row.cell_text(i))
        ]
        if criteria_columns:
            self._read_priority_columns_row(row, columns, text_columns, criteria_columns)
            return
        if len(text_columns) >= 2:
            category_column, criterion_column = text_columns[0], text_columns[1]
            category_name = row.cell_text(category_column)
            if category_name:
                self._open_category(_heading_text(category_name))
        elif text_columns:
            criterion_column = text_columns[0]
        else:
            return
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None

        criterion_lines = _cell_lines(row, criterion_column)
        other = [i for i, column in enumerate(columns) if column.kind != "text"]
        aligned = len(criterion_lines) > 1 and all(
            len(_cell_lines(row, i)) in (0, len(criterion_lines)) for i in other
        )
        if not aligned:
            criterion_lines = [row.cell_text(criterion_column)] if criterion_lines else []
        elif any(len(_cell_lines(row, i)) not in (0, len(criterion_lines)) for i in other):
            aligned = False
        for line_index, text in enumerate(criterion_lines):
            text, _ = split_list_marker(text)
            if not text:
                continue
            values = {
                i: (_cell_lines(row, i)[line_index] if aligned and _cell_lines(row, i) else "")
                if aligned
                else row.cell_text(i)
                for i in other
            }
            self.category.criteria.append(self._grid_criterion(text, columns, values))
        if len(criterion_lines) > 1 and not aligned:
            self.document.warnings.append(
                f"The E/D values beside '{criterion_lines[0][:40]}…' do not line up with its "
                "criteria; their priorities are left unknown."
            )

    def _read_priority_columns_row(
        self,
        row: TableRow,
        columns: list[_Column],
        text_columns: list[int],
        criteria_columns: list[int],
    ) -> None:
        """A row whose Essential and Desirable cells hold the criteria themselves, beside the
        category's name; the methods written or ticked in the row apply to all of them."""
        if text_columns and row.cell_text(text_columns[0]):
            self._open_category(_heading_text(row.cell_text(text_columns[0])))
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None
        methods: list[str] = []
        for i, column in enumerate(columns):
            found: list[str] = []
            if column.kind == "methods":
                found = _methods_named(row.cell_text(i))
            elif column.kind == "method" and _is_mark(row.cell_text(i)):
                found = [column.method or ""]
            methods += [method for method in found if method not in methods]
        for i in criteria_columns:
            priority = columns[i].kind
            for text in _criteria_in_cell(_cell_lines(row, i)):
                self.category.criteria.append(
                    Criterion(text=text, priority=priority, methods=list(methods))
                )

    def _grid_criterion(self, text: str, columns, values: dict[int, str]) -> Criterion:
        priority: str | None = None
        methods: list[str] = []
        essential_marked = desirable_marked = False
        for i, value in values.items():
            column = columns[i]
            if column.kind == "ed":
                priority = priority or _priority_from_value(value)
            elif column.kind == "essential":
                essential_marked = _is_mark(value) or essential_marked
            elif column.kind == "desirable":
                desirable_marked = _is_mark(value) or desirable_marked
            elif column.kind == "method" and _is_mark(value) and column.method not in methods:
                methods.append(column.method or "")
            elif column.kind == "methods":
                methods += [method for method in _methods_named(value) if method not in methods]
        if essential_marked != desirable_marked:
            priority = "essential" if essential_marked else "desirable"
        if priority is None and self.spec_priority:
            priority = self.spec_priority
        return Criterion(text=flat(text), priority=priority, methods=methods)

    # -- signature block ------------------------------------------------------------------

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
        if not self.document.organisation and _ORGANISATION.search(plain) and len(plain) < 80:
            self.document.organisation = plain
            return "header field"
        self.ignored_after_signature += 1
        return "ignored: after the signature block"

    # -- finishing ------------------------------------------------------------------------

    def _finish(self) -> None:
        document = self.document
        if self.purpose:
            document.purpose = "\n".join(self.purpose)
        if not document.title:
            document.title = next(
                (title for title in self.title_candidates if _ROLE_WORDS.search(title)),
                next(
                    (title for title in self.title_candidates if _WEAK_ROLE_WORDS.search(title)),
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


# -- units: blocks regrouped for reading ------------------------------------------------------


@dataclass
class _Unit:
    paragraphs: list[Paragraph]
    #: The left cell of a two-column row, when the row is a label beside its content.
    label: str | None = None
    #: Job-board posting details (closing date, job reference): not part of the JD.
    skip: bool = False
    #: The position of the source block (paragraph or table row) this unit came from.
    block: int = -1


def _units(blocks: list[Block], placed: dict[int, list[str]]):
    """Regroup blocks: paragraphs stay, label/value rows pair, person-spec tables become grids.

    Each unit knows the block it came from; rows used up here (a table's header, its key) are
    put in `placed` with what they were.
    """
    grid: _Grid | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Paragraph):
            grid = None
            yield _Unit(paragraphs=[block], block=index)
            index += 1
            continue
        if grid is not None and block.table in (grid.table, 0):
            texts = [block.cell_text(i) for i in range(len(block.cells))]
            if not grid.rows and (refined := _method_header_row(block, grid.columns)):
                grid.columns = refined
                placed[index] = ["person-spec table header (its second row)"]
            elif texts == grid.header:
                placed[index] = ["person-spec table header (repeated)"]
            elif is_key_line(" ".join(block.filled_cells())):
                placed[index] = ["ignored: the key to the assessment-method letters"]
            else:
                grid.rows.append(block)
                grid.row_blocks.append(index)
            index += 1
            continue
        columns = _grid_columns(block)
        if columns is not None:
            grid = _Grid(
                columns=columns,
                table=block.table,
                header=[block.cell_text(i) for i in range(len(block.cells))],
            )
            placed[index] = ["person-spec table header"]
            yield grid
            index += 1
            continue
        if _is_label_value(block):
            group_end = index
            while group_end < len(blocks) and isinstance(blocks[group_end], TableRow):
                if not _is_label_value(blocks[group_end]):  # type: ignore[arg-type]
                    break
                group_end += 1
            group = blocks[index:group_end]
            labels = {_heading_key(row.cell_text(0)) for row in group}  # type: ignore[union-attr]
            posting = bool(labels & POSTING_LABELS)
            for offset, row in enumerate(group):
                assert isinstance(row, TableRow)
                yield _Unit(
                    paragraphs=[_cell_paragraph(line) for line in row.cells[1] if line.strip()],
                    label=row.cell_text(0),
                    skip=posting,
                    block=index + offset,
                )
            index = group_end
            continue
        for cell in block.cells:
            lines = [line for line in cell if line.strip()]
            if _is_wrapped_heading(lines):
                yield _Unit(
                    paragraphs=[Paragraph(text=" ".join(flat(line) for line in lines))],
                    block=index,
                )
                continue
            gap = 0
            for line in cell:
                if line.strip():
                    yield _Unit(paragraphs=[_cell_paragraph(line, gap)], block=index)
                    gap = 0
                else:
                    gap += 1
        if not block.filled_cells():
            placed[index] = ["ignored: an empty table row"]
        index += 1


def _promote_list_headings(units: list) -> list:
    """Numbered items that head lists of their own ("1. Support for pupils" over "a) …" or
    indented bullets), and list items in capitals ("b) DUTIES"), become headings."""
    paragraphs = [
        (position, unit.paragraphs[0])
        for position, unit in enumerate(units)
        if isinstance(unit, _Unit) and unit.label is None and unit.paragraphs
    ]
    for index, (position, paragraph) in enumerate(paragraphs):
        if paragraph.list_kind is None:
            continue
        plain = flat(paragraph.text)
        if len(plain.split()) > 10 or re.search(r"[.;:,!?]$", plain):
            continue
        following = [p for _, p in paragraphs[index + 1 : index + 3]]
        nested = (
            paragraph.marker in ("decimal", "alpha", "roman")
            and len(following) == 2
            and all(
                p.list_kind is not None
                and (p.marker != paragraph.marker or p.level > paragraph.level)
                for p in following
            )
        )
        key = _heading_key(plain)
        listed = key in PURPOSE_HEADINGS | DUTY_HEADINGS | EXTRA_HEADINGS or _is_spec_title(key)
        capitals = _is_upper(plain) and 2 <= len(plain.split()) <= 6  # not "QTS", "GCSE"
        if nested or listed or capitals:
            units[position].paragraphs[0] = Paragraph(
                text=paragraph.text,
                gap_before=paragraph.gap_before,
                heading_level=paragraph.heading_level or 2,
                bold=paragraph.bold,
            )
    return units


def _role_of(key: str, *, listed_only: bool = False) -> str | None:
    """The section a heading opens: a heading we list, else the concept its words name."""
    if key in PURPOSE_HEADINGS:
        return "purpose"
    if key in DUTY_HEADINGS:
        return "duties"
    if key in EXTRA_HEADINGS:
        return "extra"
    return None if listed_only else section_role(key)


def _is_wrapped_heading(lines: list[str]) -> bool:
    """A heading Word wrapped over two or three lines of one cell ("Principal/Accountabilities")."""
    if not 2 <= len(lines) <= 3:
        return False
    joined = " ".join(flat(line) for line in lines)
    key = _heading_key(joined)
    return key in PURPOSE_HEADINGS | DUTY_HEADINGS | EXTRA_HEADINGS or _is_spec_title(key)


def _cell_paragraph(line: str, gap: int = 0) -> Paragraph:
    body, list_kind = split_list_marker(line)
    return Paragraph(text=body, list_kind=list_kind, gap_before=gap)


def _is_label_value(row: TableRow) -> bool:
    if len(row.cells) != 2:
        return False
    label = row.cell_text(0)
    return bool(label) and len(label) <= 60 and len(row.cells[0]) <= 3


def _grid_columns(row: TableRow) -> list[_Column] | None:
    """Name the columns of a person-spec table from its header row, or None if it is not one."""
    if len(row.cells) < 2:
        return None
    columns = [
        _Column("merged") if i in row.fillers else _column_kind(row.cell_text(i))
        for i in range(len(row.cells))
    ]
    if columns[0].kind == "methods" and all(c.kind != "text" for c in columns[1:]):
        # "Method of Assessment" over the criteria column: a caption, not the methods.
        columns[0] = _Column("text")
    kinds = {column.kind for column in columns}
    if "text" not in kinds or kinds == {"text"}:
        return None
    if (
        not kinds & {"ed", "essential", "desirable"}
        and sum(c.kind == "method" for c in columns) < 2
    ):
        return None
    return columns


def _column_kind(header: str) -> _Column:
    lowered = flat(header).lower().strip(" :*()")
    if not lowered:
        return _Column("text")
    if re.search(
        r"\bess\w*\b.*(?:\bor\b|/)\s*desirable|^e\s*/\s*d$|^e\s*or\s*d$|^priority$|^e\s*/\s*d\b",
        lowered,
    ):
        return _Column("ed")
    if re.fullmatch(r"essential(?: criteria)?|e", lowered):
        return _Column("essential")
    if re.fullmatch(r"desirable(?: criteria)?|d", lowered):
        return _Column("desirable")
    if lowered in _METHOD_LETTERS:
        return _Column("method", _METHOD_LETTERS[lowered])
    if _METHODS_HEADER.fullmatch(lowered) or re.fullmatch(r"(?:assessment )?methods?|how", lowered):
        return _Column("methods")
    if len(lowered) <= 45:
        for word, method in _METHOD_WORDS:
            if word in lowered and "method of assessment" not in lowered:
                return _Column("method", method)
    return _Column("text")


def _refine_columns(columns: list[_Column], rows: list[TableRow]) -> list[_Column]:
    """Columns by content: a column the header left as text but whose every filled cell is an
    E/D value becomes the E/D column; every cell naming methods, a methods column."""
    refined = list(columns)
    text_columns = [i for i, column in enumerate(columns) if column.kind == "text"]
    for i in text_columns[1:]:
        values = [row.cell_text(i) for row in rows if len(row.cells) > i and row.cell_text(i)]
        if len(values) < 2:
            continue
        if all(_priority_from_value(value) for value in values):
            refined[i] = _Column("ed")
        elif all(_methods_named(value) and len(value.split()) <= 6 for value in values):
            refined[i] = _Column("methods")
    return refined


def _method_header_row(row: TableRow, columns: list[_Column]) -> list[_Column] | None:
    """The second row of a two-row header ("Method of assessment" over "Application |
    Interview"): the columns it names, or None when the row is not one."""
    cells = [row.cell_text(i) for i in range(len(row.cells))]
    named = {i: _column_kind(text) for i, text in enumerate(cells) if text}
    if (
        len(named) < 2
        or 0 in named  # the criteria column is empty in a header's second row
        or any(column.kind != "method" for column in named.values())
        or any(len(cells[i].split()) > 3 for i in named)
    ):
        return None
    refined = [columns[i] if i < len(columns) else _Column("text") for i in range(len(cells))]
    for i, column in named.items():
        refined[i] = column
    return refined


# -- small predicates ---------------------------------------------------------------------------


def _is_category_row(row: TableRow, filled: int, text_columns: list[int]) -> bool:
    """A row naming a category: a merged full-width row, or the category column alone."""
    if len(row.cells) == 1:
        return True
    if filled not in text_columns[:1]:
        return False
    if len(text_columns) >= 2:
        return True  # the first text column holds categories (criteria are in the second)
    name = flat(row.cell_text(filled))
    words = len(name.split())
    return words <= 6 and (name.endswith(":") or _is_upper(name) or words <= 3)


def _holds_criteria(value: str) -> bool:
    """True when an Essential/Desirable cell holds criteria, not a mark or an E/D letter."""
    text = flat(value)
    return len(text.split()) >= 2 and not _is_mark(text) and _priority_from_value(text) is None


def _criteria_in_cell(lines: list[str]) -> list[str]:
    """Split a cell into its criteria: one per paragraph, or per " / "-joined part where a text
    rendering put a cell's paragraphs on one line ("• Good IT skills / • Able to…")."""
    criteria = []
    for line in lines:
        for part in _JOINED_PARAGRAPHS.split(line):
            text, _ = split_list_marker(part.strip())
            if text and not _is_mark(text) and text.lower().strip(" .") not in _CONNECTIVES:
                criteria.append(flat(text))
    return criteria


def _methods_named(value: str) -> list[str]:
    """Method codes written out in a cell: "Application / Interview", "A, I", "Interview & refs"."""
    lowered = flat(value).lower()
    found = sorted(
        (position, method)
        for word, method in _METHOD_WORDS
        if (position := lowered.find(word)) >= 0
    )
    methods = list(dict.fromkeys(method for _, method in found))
    if methods:
        return methods
    letters = [token for token in re.split(r"[^a-z]+", lowered) if token]
    if letters and all(token in _METHOD_LETTERS for token in letters):
        return list(dict.fromkeys(_METHOD_LETTERS[token] for token in letters))
    return []


def _cell_lines(row: TableRow, index: int) -> list[str]:
    if index >= len(row.cells):
        return []
    return [flat(line) for line in row.cells[index] if line.strip()]


def _priority_from_value(value: str) -> str | None:
    lowered = flat(value).lower().strip(" .*")
    lowered = lowered.strip("()[] ")
    if lowered in ("e", "essential"):
        return "essential"
    if lowered in ("d", "desirable"):
        return "desirable"
    return None


def _is_mark(value: str) -> bool:
    lowered = flat(value).lower()
    return lowered in _MARKS or (0 < len(lowered) <= 2 and not lowered.isalnum())


def _is_upper(text: str) -> bool:
    """True when a heading is in capitals (judged on its part before any " - " explanation)."""
    letters = [c for c in re.split(r"\s[-–—:]\s", text)[0] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _weekly_hours(text: str) -> float | None:
    """The first number of hours in the text that is not a day's or a session's."""
    for match in _HOURS.finditer(text):
        if not _NOT_WEEKLY.match(text[match.end() :]):
            return float(match.group(1))
    return None


def _looks_like_grade(value: str) -> bool:
    """A grade names a scale or point ("Grade 5", "H5/H6", "GLPC - D"), not pay in words."""
    if _GRADE_WORDS.search(value):
        return True
    # A short code: "A", "APLb", "GLPC - D" (a word such as "Competitive" is not one).
    capitals = sum(c.isupper() for c in value)
    letters = sum(c.isalpha() for c in value)
    return len(value) <= 12 and letters > 0 and (capitals >= 2 or capitals == letters)


def _is_upper_or_short(plain: str) -> bool:
    """A line that could name a new category: short, unpunctuated, capitalised."""
    return len(plain.split()) <= 6 and not re.search(r"[.;,:]$", plain) and plain[:1].isupper()


def _priority_named(match: re.Match[str]) -> str:
    return (match.group(1) or match.group(2)).lower()


def _heading_text(text: str) -> str:
    return flat(text).rstrip(" :|").strip()


def _is_spec_title(key: str) -> bool:
    words = key.split()
    return (
        "person specification" in key
        and "job description" not in key
        and not key.endswith((".", ","))
        and len(words) <= 8
        and (
            key.startswith("person specification")
            or key.endswith("person specification")
            or len(words) <= 6
        )
    )


def _is_spec_category_heading(key: str) -> bool:
    words = set(re.findall(r"[a-z]+", key))
    return len(key.split()) <= 6 and len(words & set(SPEC_CATEGORY_WORDS)) >= 2


def _is_signature_line(plain: str) -> bool:
    return bool(_SIGNATURE_LINE.search(plain)) and bool(
        re.match(
            r"^(?:print name|signed|signature|name|date|dated|[A-Za-z /'-]{2,40}:)", plain, re.I
        )
    )


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


def _wrapped_in_full_stop_style(entries: list[_Entry], paragraph: Paragraph) -> bool:
    """True when duties here end with full stops and the last stopped short: a wrapped line."""
    finished = [
        entry for entry in entries[:-1] if entry.is_list == (paragraph.list_kind is not None)
    ]
    if not finished or paragraph.list_kind is not None:
        return False
    return sum(entry.text.endswith(".") for entry in finished) >= 0.8 * len(finished)


def _split_glued_fields(field_name: str, value: str) -> list[tuple[str, str]]:
    """Split "Teaching Assistant 2Department: Children" into its two fields."""
    parts = _GLUED_LABEL.split(value, maxsplit=1)
    if len(parts) == 1 and "\t" in value:
        head, _, tail = value.partition("\t")
        if (match := _LABEL_AT_START.match(tail)) and re.search(r"[:|]", tail[: match.end()]):
            parts = [head, tail]
    if len(parts) == 1:
        return [(field_name, value)]
    head, tail = parts
    match = _LABEL_AT_START.match(tail)
    if not match:
        return [(field_name, value)]
    return [
        (field_name, head),
        *_split_glued_fields(FIELD_LABELS[match.group("label").lower()], tail[match.end() :]),
    ]
