"""The section state machine: which mode the reader is in, and the headings that switch it.

`SectionReader` switches mode on a heading it knows (a listed heading, or one whose words name
a section), on a heading whose words name nothing but whose body decides (a list of duties or
of requirements), and on a list of criteria with no heading at all. Modes: header, purpose,
duties, extra, spec (person specification) and signature.
"""

from __future__ import annotations

import re

from .blocks import Paragraph, flat
from .duties import DutyReader
from .headings import (
    body_role,
    heading_strength,
    heading_text,
    is_spec_category_heading,
    is_spec_title,
    role_of,
)
from .units import Unit


class SectionReader(DutyReader):
    """Mode switches on headings and on what follows them."""

    def _switch_on_heading(self, plain: str, key: str) -> bool:
        """Switch mode when the paragraph is a heading we know; True if it was one."""
        switched = self._switch_mode_for(plain, key)
        self.document.landmarks += switched
        return switched

    def _switch_mode_for(self, plain: str, key: str) -> bool:
        if is_spec_title(key) and not plain.endswith((".", ",")):
            if self.mode == "header":
                self._add_title_from_heading(plain)
            self._close_section()
            self.mode = "spec"
            self.category = None
            return True
        if len(plain) > 90:
            return False
        # A line ending like a sentence is a heading only when its words are ones we list.
        role = role_of(key, listed_only=bool(re.search(r"[.;,]$", plain)))
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
        if self.mode in ("duties", "extra", "purpose") and is_spec_category_heading(key):
            self._close_section()
            self.mode = "spec"
            self._open_category(heading_text(plain))
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
                f"“{heading_text(plain)}” is not a heading jdtool knows; the list under it was "
                "read as duties.",
                plain,
                stage="headings",
                alternative="an extra section",
            )
        elif role == "spec":
            self._close_section()
            self.mode = "spec"
            self._open_category(heading_text(plain))
            self._find(
                f"“{heading_text(plain)}” is not a heading jdtool knows; the list under it reads "
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
        if not isinstance(previous, Unit) or previous.label is not None or not previous.paragraphs:
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
        self._open_category(heading_text(name) if heading else "Person specification")
        self._find(
            "A list of requirements with no person-specification heading was read as criteria "
            "(essential or desirable unknown).",
            name,
            stage="sections",
            alternative="duties or the job purpose",
        )
        return True
