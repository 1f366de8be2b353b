"""Headings by evidence: how strongly a paragraph looks like a heading, and what its section is.

Two questions, kept apart:
- *Is it a heading?* `heading_strength` scores the paragraph's shape and formatting: a Word
  heading style or outline level, Markdown `#`, bold, larger text, capitals, a trailing colon, a
  blank line before it, short and unpunctuated, a list or a longer paragraph after it.
- *What section does it open?* `section_role` matches the heading's words against a small
  vocabulary of concepts (purpose, duties, person specification, extra sections, what the
  employer offers, the document's own title) fuzzily, so "MAJOR DUTIES AND RESPONSIBILITIES",
  "Main Tasks" or "Responsibilites" are known without being listed. Where the words say
  nothing, `body_role` reads what follows: a list of short imperative lines is a duty list; a
  list of "Ability to…", "Experience of…" lines is a person specification. Headings we list by
  name (`PURPOSE_HEADINGS`, `DUTY_HEADINGS`, `EXTRA_HEADINGS`, a person-specification title)
  are known before any concept matching (`role_of`).

Pure functions over `Paragraph`s; nothing here holds state between documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from .blocks import Paragraph, flat

#: Words that carry a section's meaning, each with the concept it names. Every word of a
#: heading is matched to these fuzzily (a typo or a plural still counts).
_CONCEPT_WORDS = {
    "duties": "duties", "duty": "duties", "responsibilities": "duties", "tasks": "duties",
    "accountabilities": "duties",
    "purpose": "purpose", "exists": "purpose",
    "summary": "overview", "overview": "overview", "aim": "overview", "aims": "overview",
    "objective": "overview", "objectives": "overview",
    "specification": "spec", "requirements": "spec", "criteria": "spec",
    "offer": "offer", "offers": "offer", "benefits": "offer", "perks": "offer",
}  # fmt: skip
#: Words of a heading that name a part of the employer's paperwork, not of the role.
_DOCUMENT_TITLE = re.compile(
    r"\b(?:job description|job profile|role profile)(?: and person specification)?$"
)
#: How close (rapidfuzz ratio, 0-100) a heading word must be to a concept word: one wrong or
#: missing letter in a word of eight or more ("Responsibilites") still matches, "duty" does not
#: match "dirty"; chosen on the development corpus and the variation table.
WORD_MATCH_CUTOFF = 86
#: Short concept words must match exactly: fuzzy matching four-letter words finds false friends.
_FUZZY_MIN_LENGTH = 7

#: First words (after "a", "an") of a person-specification criterion: what someone has or is.
_CRITERION_OPENERS = {
    "ability", "able", "experience", "experienced", "knowledge", "knowledgeable",
    "understanding", "awareness", "aware", "qualification", "qualifications", "qualified",
    "good", "excellent", "strong", "sound", "effective", "proven", "evidence", "demonstrable",
    "demonstrated", "willingness", "willing", "commitment", "committed", "enthusiasm",
    "enthusiastic", "patience", "patient", "empathy", "skills", "skilled", "competent",
    "confident", "flexible", "proficient", "gcse", "gcses", "nvq", "degree", "educated",
    "level", "working", "basic", "general", "previous", "recent", "relevant", "high",
    "capacity", "desire", "passion", "interest", "familiarity", "literate",
    "numerate", "fluent", "hold", "have", "full", "current", "caring", "calm", "friendly",
    "reliable", "resilient", "positive", "self-motivated", "motivated", "organised",
}  # fmt: skip


def heading_key(text: str) -> str:
    """Lower-case a heading, drop numbering ("1.", "a)", "SECTION 2 –") and trailing marks."""
    text = flat(text).lower().replace("&", "and")
    text = re.sub(r"^(?:section\s+)?(?:\d+(?:\.\d+)*|[a-z]\))[\s.):–-]*", "", text)
    return re.sub(r"[\s:;.*/|]+$", "", text).strip()


def _concepts(key: str) -> set[str]:
    concepts = set()
    for word in re.findall(r"[a-z]+", key):
        if word in _CONCEPT_WORDS:
            concepts.add(_CONCEPT_WORDS[word])
        elif len(word) >= _FUZZY_MIN_LENGTH:
            match = process.extractOne(
                word, _CONCEPT_WORDS.keys(), scorer=fuzz.ratio, score_cutoff=WORD_MATCH_CUTOFF
            )
            if match is not None:
                concepts.add(_CONCEPT_WORDS[match[0]])
    return concepts


def section_role(key: str) -> str | None:
    """The concept a heading names: "purpose", "duties", "spec", "offer", "extra", "title" or
    None.

    `key` is the `heading_key` of a short line; a sentence is never a heading.
    """
    words = key.split()
    if not words or len(words) > 8:
        return None
    if _DOCUMENT_TITLE.search(key):
        return "title"
    concepts = _concepts(key)
    if "spec" in concepts and ("person" in words or "selection" in words or "essential" in words):
        return "spec"
    if "offer" in concepts and len(words) <= 7:
        return "offer"
    role_words = {"job", "role", "post", "position"} & set(words)
    if words[0] in ("about", "our", "why") and len(words) <= 5 and not role_words:
        return "extra"  # "About us", "Our aims", "Why join us": the employer's own words
    if "purpose" in concepts and "duties" not in concepts:
        return "purpose"
    if "overview" in concepts and (role_words or {"main", "overall"} & set(words)):
        return "purpose"  # "Job summary", "Overall aim of the role" (not "Overview of the school")
    if "duties" in concepts and "spec" not in concepts and len(words) <= 7:
        return "duties"
    return None


def heading_strength(paragraph: Paragraph, following: Paragraph | None) -> float:
    """How much the paragraph looks like a heading: 0 for a sentence, 2 or more for a heading."""
    plain = flat(paragraph.text)
    words = plain.split()
    if not words or len(words) > 12 or re.search(r"[.;,!?]$", plain):
        return 0.0
    if not (plain[:1].isupper() or plain[:1].isdigit()):
        return 0.0
    score = 0.0
    if paragraph.heading_level is not None:
        score += 3
    if paragraph.bold:
        score += 2
    if paragraph.larger:
        score += 1.5
    letters = [c for c in plain if c.isalpha()]
    if len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        score += 1.5
    if plain.endswith(":"):
        score += 1
    if paragraph.gap_before:
        score += 0.5
    if (
        following is not None
        and paragraph.list_kind is None
        and (
            following.list_kind is not None
            or len(following.text.split()) > len(words) + 3
            or bool(re.search(r"[.;!?]$", flat(following.text)))  # a sentence under a title
        )
    ):
        score += 1
    return score


def is_criterion_line(text: str) -> bool:
    """True when a line reads as something a person has or is ("Ability to…", "A good…")."""
    words = re.findall(r"[a-z][a-z-]*", flat(text).lower())
    if words and words[0] in ("a", "an") and len(words) > 1:
        words = words[1:]
    return bool(words) and words[0] in _CRITERION_OPENERS and not text.lower().startswith("to ")


def body_role(body: Sequence[Paragraph]) -> str | None:
    """What the paragraphs under an unnamed heading are: "spec", "duties", "fields" or None.

    A list whose items mostly read as criteria is a person specification; any other list is a
    duty list; lines that are mostly "Label: value" are header fields.
    """
    items = [paragraph for paragraph in body if paragraph.list_kind is not None]
    if len(items) >= 2:
        criteria = sum(is_criterion_line(item.text) for item in items)
        return "spec" if criteria * 2 >= len(items) else "duties"
    labelled = sum(bool(re.match(r"^[A-Z][\w /&'-]{1,30}:\s*\S", p.text)) for p in body)
    if body and labelled * 2 >= len(body):
        return "fields"
    return None


#: "A = Application form", "I: Interview": one entry of a key to assessment-method letters (the
#: word after the sign must name a way of assessing, so "SEN – Special…" is not one).
_KEY_ENTRY = re.compile(
    r"(?:^|[,;(]|\s)\s*[A-Z]{1,3}\s*[=:]\s*(?:application|interview|reference|task|test|"
    r"observation|certificate|presentation|exercise|assessment|scenario|lesson|portfolio|"
    r"qualification|dbs|check)",
    re.IGNORECASE,
)


def is_key_line(text: str) -> bool:
    """True for a key to method letters: "A = Application form, I = Interview, R = References"."""
    plain = flat(text)
    if len(plain) > 200:
        return False
    return len(_KEY_ENTRY.findall(re.sub(r"^key\s*:?\s*", "", plain, flags=re.IGNORECASE))) >= 2


# -- headings listed by name, and the section each opens ---------------------------------

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


def role_of(key: str, *, listed_only: bool = False) -> str | None:
    """The section a heading opens: a heading we list, else the concept its words name."""
    if key in PURPOSE_HEADINGS:
        return "purpose"
    if key in DUTY_HEADINGS:
        return "duties"
    if key in EXTRA_HEADINGS:
        return "extra"
    return None if listed_only else section_role(key)


def is_spec_title(key: str) -> bool:
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


def is_spec_category_heading(key: str) -> bool:
    words = set(re.findall(r"[a-z]+", key))
    return len(key.split()) <= 6 and len(words & set(SPEC_CATEGORY_WORDS)) >= 2


def heading_text(text: str) -> str:
    return flat(text).rstrip(" :|").strip()


def is_in_capitals(text: str) -> bool:
    """True when a heading is in capitals (judged on its part before any " - " explanation)."""
    letters = [c for c in re.split(r"\s[-–—:]\s", text)[0] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
