"""Header fields: the labelled details before the first section, however they are laid out.

`HeaderFieldReader` reads "Label: value" lines, a label in one cell beside its value, a label
above its value, labels glued to values ("Teaching Assistant 2Department: Children"), pay on a
line of its own (grade, pay range and its basis), a school named in the title line, and picks
weekly hours, weeks a year, INSET days, contract terms and who the post reports to out of free
text. Also read here: a purpose heading lined up beside its first paragraph ("MAIN PURPOSE<tab>To
contribute…") and short labelled details among the duties ("Key Interfaces: …").
`FIELD_LABELS` is the vocabulary of labels and the field each fills.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..document import ExtraSection
from .blocks import Paragraph, flat
from .duties import DutyReader
from .headings import heading_key, role_of

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
ORGANISATION = re.compile(
    r"\b(trust|council|federation|diocese|academies|borough|partnership)\b", re.IGNORECASE
)
#: A header line that is a grade alone: "Grade 5", "Band C", "Scale 3".
_GRADE_LINE = re.compile(r"^(?:grade|band|scale|level)\s+[A-Z0-9]{1,3}$", re.IGNORECASE)
#: Words that name a school in a header line ("Harmony Primary School", "Oak Academy").
_SCHOOL = re.compile(r"\b(?:school|academy|college|nursery)\s*$", re.IGNORECASE)
#: Words that make a heading line look like a job title when no label names the title.
ROLE_WORDS = re.compile(
    r"\b(?:assistant|teacher|supervisor|manager|administrator|officer|leader|TA|HLTA|SENCO|"
    r"SENDCO|caretaker|clerk|practitioner|mentor|technician|coordinator|co-ordinator|bursar|"
    r"librarian|nurse|coach|worker)\b",
    re.IGNORECASE,
)
WEAK_ROLE_WORDS = re.compile(r"\b(?:lead|head|support|cover|midday)\b", re.IGNORECASE)
#: "Key Interfaces: External agencies": a short label, a colon, a value.
_LABELLED_LINE = re.compile(r"^([A-Z][A-Za-z'’]+(?: [A-Za-z'’]+){0,2})\s*:\s+(\S.*)$")


class HeaderFieldReader(DutyReader):
    """The header's lines and labelled fields, filled into the document as they are met."""

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
        key = heading_key(head)
        if role_of(key) != "purpose" or key in FIELD_LABELS:
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
        if not self.document.organisation and ORGANISATION.search(plain) and len(plain) < 80:
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
        label_role = role_of(heading_key(label))
        if len(label.split()) < 2 and label_role is None and heading_key(label) not in FIELD_LABELS:
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
