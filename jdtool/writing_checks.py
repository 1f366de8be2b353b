"""Plain-English checks on adverts and job descriptions, shown as warnings beside the text.

Each check returns `WritingWarning`s; none of them blocks anything — a person decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Sentences longer than this are hard to read on a job board (GOV.UK style guidance suggests
#: about 25 words; job descriptions run long, so only clearly long sentences are flagged).
LONG_SENTENCE_WORDS = 35
#: More than this share of criteria essential means the spec gates on nearly everything.
ESSENTIAL_SHARE_LIMIT = 0.75
#: Below this many criteria with a stated priority, the essential share says little.
ESSENTIAL_MIN_CRITERIA = 4

#: Jargon and what it stands for; a term counts as explained when its meaning appears before
#: its first use, or in brackets just after it.
JARGON = {
    "SENDCO": "special educational needs (and disabilities) co-ordinator",
    "SENCO": "special educational needs co-ordinator",
    "SENCo": "special educational needs co-ordinator",
    "EHCP": "education, health and care plan",
    "KCSIE": "keeping children safe in education",
    "HLTA": "higher level teaching assistant",
    "SEND": "special educational needs and disabilities",
    "SEN": "special educational needs",
    "DBS": "disclosure and barring service",
    "DSL": "designated safeguarding lead",
    "IEP": "individual education plan",
    "PPA": "planning, preparation and assessment",
    "CPD": "continuing professional development",
    "LSA": "learning support assistant",
    "TA": "teaching assistant",
}
#: Words that put off applicants of one sex or age, with advice on a neutral alternative.
CODED_WORDING = {
    r"\bhe or she\b|\bhe/she\b|\bhis/her\b|\bhis or her\b|\bhim/her\b": (
        "gendered", "Use “they” or “their”.",
    ),
    r"\b(?:he|him|his)\b": ("gendered", "Use “they” or “their”."),
    r"\b(?:she|her|hers)\b": ("gendered", "Use “they” or “their”."),
    r"\b(?:headmaster|headmistress|chairman|manpower|dinner lad(?:y|ies))\b": (
        "gendered", "Use a neutral word: headteacher, chair, staff, midday supervisor.",
    ),
    r"\b(?:young|youthful)\b(?! (?:people|person|children|learners|pupils|adults|carers))": (
        "age-coded", "Describe the work, not the person's age.",
    ),
    r"\b(?:energetic|recent graduates?|digital natives?|mature|school leavers?)\b": (
        "age-coded", "Describe the skills the work needs.",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class WritingWarning:
    #: "long sentence", "jargon", "gendered", "age-coded", "essential criteria", "safeguarding"
    kind: str
    message: str


def check_text(paragraphs: Iterable[str]) -> list[WritingWarning]:
    """Long sentences, unexplained jargon and coded wording in running text."""
    paragraphs = [paragraph for paragraph in paragraphs if paragraph and paragraph.strip()]
    warnings = [*_long_sentences(paragraphs), *_unexplained_jargon(" \n".join(paragraphs))]
    warnings += _coded_wording(paragraphs)
    return warnings


def check_essential_share(priorities: Iterable[str | None]) -> list[WritingWarning]:
    stated = [priority for priority in priorities if priority in ("essential", "desirable")]
    essential = stated.count("essential")
    if len(stated) >= ESSENTIAL_MIN_CRITERIA and essential / len(stated) > ESSENTIAL_SHARE_LIMIT:
        return [
            WritingWarning(
                "essential criteria",
                f"{essential} of {len(stated)} criteria are essential. An applicant who misses "
                "any essential criterion is not shortlisted: keep essential for what the job "
                "cannot be done without and make the rest desirable.",
            )
        ]
    return []


def check_safeguarding(paragraphs: Iterable[str]) -> list[WritingWarning]:
    if any(re.search(r"safeguard", paragraph, re.IGNORECASE) for paragraph in paragraphs):
        return []
    return [
        WritingWarning(
            "safeguarding",
            "There is no safeguarding statement. Say that the school is committed to "
            "safeguarding and promoting the welfare of children, and that the post needs an "
            "enhanced DBS check.",
        )
    ]


def check_job_description(content: dict) -> list[WritingWarning]:
    """Checks on a JD in the `jdtool show --json` shape."""
    paragraphs = [content["purpose"] or ""]
    for section in content["sections"]:
        paragraphs += section["duties"]
    paragraphs += content["statements"]
    for extra in content["extra_sections"]:
        paragraphs += extra["paragraphs"]
    criteria = [
        criterion
        for category in (content["person_spec"] or {}).get("categories", [])
        for criterion in category["criteria"]
    ]
    warnings = check_text(paragraphs + [criterion["text"] for criterion in criteria])
    warnings += check_essential_share(criterion["priority"] for criterion in criteria)
    warnings += check_safeguarding(paragraphs)
    return warnings


def check_advert(paragraphs: list[str], statements: list[str], priorities: list[str | None]):
    """Checks on an advert: its text, its statements, and the spec's essential share."""
    warnings = check_text(paragraphs + statements)
    warnings += check_essential_share(priorities)
    warnings += check_safeguarding(statements)
    return warnings


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(“\"'])", paragraph.strip()) if s]


def _long_sentences(paragraphs: list[str]) -> list[WritingWarning]:
    warnings = []
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            words = sentence.split()
            if len(words) > LONG_SENTENCE_WORDS:
                start = " ".join(words[:8])
                warnings.append(
                    WritingWarning(
                        "long sentence",
                        f"“{start}…” is {len(words)} words long. Sentences of "
                        f"{LONG_SENTENCE_WORDS} words or fewer are easier to read; split it.",
                    )
                )
    return warnings


def _unexplained_jargon(text: str) -> list[WritingWarning]:
    spellings: dict[str, list[str]] = {}  # meaning → its spellings (SENCO, SENCo)
    for term, meaning in JARGON.items():
        spellings.setdefault(meaning, []).append(term)
    warnings = []
    for meaning, terms in spellings.items():
        uses = [
            match
            for term in terms
            if (match := re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text))
        ]
        if not uses:
            continue
        first = min(uses, key=lambda match: match.start())
        if _explained(text, first.start(), first.end(), meaning):
            continue
        term = first.group(0)
        warnings.append(
            WritingWarning(
                "jargon",
                f"“{term}” is not explained where it is first used. Write “{meaning[:1].upper()}"
                f"{meaning[1:]} ({term})” the first time.",
            )
        )
    return warnings


def _explained(text: str, start: int, end: int, meaning: str) -> bool:
    """The meaning appears before the first use, or in brackets straight after it."""
    words = [re.escape(word) for word in re.findall(r"[a-z]+", meaning) if word != "and"]
    # The key words of the meaning in order, anything short in between ("(and disabilities)").
    pattern = r"\W+(?:\w+\W+){0,2}?".join(words)
    before = re.search(pattern, text[:start], re.IGNORECASE)
    after = re.match(rf"\s*\(\s*{pattern}", text[end:], re.IGNORECASE)
    return bool(before or after)


def _coded_wording(paragraphs: list[str]) -> list[WritingWarning]:
    warnings = []
    text = "\n".join(paragraphs)
    reported: set[str] = set()
    for pattern, (kind, advice) in CODED_WORDING.items():
        for match in re.finditer(pattern, text, re.IGNORECASE):
            word = match.group(0).lower()
            if word in reported:
                continue
            reported.add(word)
            if (
                kind == "gendered"
                and " " not in word
                and "/" not in word
                and _inside_pair(text, match)
            ):
                continue
            warnings.append(WritingWarning(kind, f"“{match.group(0)}” is {kind} wording. {advice}"))
    return warnings


def _inside_pair(text: str, match: re.Match) -> bool:
    """ "his" inside "his/her" is reported once, as the pair."""
    around = text[max(0, match.start() - 4) : match.end() + 4].lower()
    return "/" in around or " or " in around
