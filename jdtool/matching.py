"""Normalise duty and criterion texts and find near-duplicates among them (pure: no Flask, no DB).

Two texts are compared on their *matching keys*: the normalised text (case, punctuation,
bullets and numbering, whitespace, "pupil(s)", British/US spelling, SENCO/SENDCo… folded) with
the little words that never change a clause's meaning removed. The score is rapidfuzz's
`token_sort_ratio` of the two keys, so reordered clauses still match; the cut-off was chosen on
the labelled pairs in tests/data/clause_pairs.csv (see NEAR_DUPLICATE_CUTOFF).

Here: the keys (`normalise`, `matching_key`, `key_hash`), the score and cut-off, and comparing
two texts (`compare`) or one document's few dozen (`find_duplicates`). For a whole library,
`clause_index.ClauseIndex` finds the same pairs without comparing every clause with every other.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

MatchKind = Literal["exact", "near", "subset"]

#: Scores (0-100, `token_sort_ratio` of the matching keys) at or above this are near-duplicates
#: (unless a qualifier or number differs, see `meaning_differs`). Chosen on the labelled pairs in
#: tests/data/clause_pairs.csv: every cut-off from 88 to 93 gives the same precision and recall
#: there (below 88 a look-alike becomes a duplicate; above 93 rewordings are lost), and 90 sits in
#: the middle of that plateau. test_matching.py measures precision and recall at this value.
NEAR_DUPLICATE_CUTOFF = 90
#: A shorter clause contained word for word in a longer one is a `subset` only when it has at
#: least this many meaningful words ("Attend" inside a long duty says nothing).
SUBSET_MIN_WORDS = 2

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
#: Leading list markers: "•", "-", "1.", "1)", "(a)", "iv.", "2.3" …, possibly several.
_LIST_MARKER = re.compile(
    r"^\s*(?:(?:[-\u2022*\u00b7\u25aa\u25e6\u25cf\u2023\u2043>o]|\(?\d+(?:\.\d+)*[.)]|\(?[a-h][.)]"
    r"|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)]|\d+(?:\.\d+)+)\s+)+"
)
#: Phrases folded to one form before punctuation goes (longest first where they overlap). Each
#: pattern is tried only when its literal "needle" is in the text: normalising stays fast.
_PHRASES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (needle, re.compile(pattern), replacement)
    for needle, pattern, replacement in (
        ("special", r"\bspecial educational needs?\s*(?:and|&)\s*disabilit(?:y|ies)\s*"
         r"co-?\s*ordinator\b", "senco"),
        ("special", r"\bspecial educational needs?\s*co-?\s*ordinator\b", "senco"),
        ("sen", r"\bsen\s*d?\s*co(?:-?ordinator)?\b", "senco"),
        ("special", r"\bspecial educational needs?\s*(?:and|&)\s*disabilit(?:y|ies)\b", "send"),
        ("special", r"\bspecial educational needs?\b", "sen"),
        ("care", r"\beducation,?\s*health\s*(?:and|&)\s*care\s*plans?\b", "ehcp"),
        ("ehc", r"\behc\s*plans?\b", "ehcp"),
        ("teaching", r"\bteaching assistants?\b", "ta"),
        ("learning", r"\blearning support assistants?\b", "lsa"),
        ("information", r"\binformation (?:and|&) communications? technology\b", "ict"),
        ("continuing", r"\bcontinuing professional development\b", "cpd"),
        ("keeping", r"\bkeeping children safe in education\b", "kcsie"),
        ("mathematics", r"\bmathematics\b", "maths"),
        ("math", r"\bmath\b", "maths"),
        ("1st", r"\b1st\b", "first"),
        ("first-aid", r"\bfirst-aid\b", "first aid"),
        ("e.", r"\be\.\s?g\.?(?=\s|,|$)", "eg"),
        ("i.", r"\bi\.\s?e\.?(?=\s|,|$)", "ie"),
        ("ordinat", r"\bco-?\s*ordinat", "coordinat"),
        ("one", r"\bone[- ]to[- ]one\b", "1:1"),
        ("(s)", r"\bpupil\(s\)", "pupils"),
        ("(ren)", r"\bchild\(ren\)", "children"),
        ("(s)", r"\bparent\(s\)", "parents"),
        ("(s)", r"\bcarer\(s\)", "carers"),
        ("'", r"(\w)'s\b", r"\1"),
        ("'", r"(\w)s'(?=\s|$|[^\w])", r"\1s"),
        ("&", r"&", " and "),
        ("(", r"\b([\w ]+?) \(\1\)", r"\1"),  # "EHCP (EHCP)" after an expansion
        ("being", r"\bwell-?\s?being\b", "wellbeing"),
    )
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9:]+")
_COLON_OUTSIDE_NUMBERS = re.compile(r"(?<![0-9]):|:(?![0-9])")

#: American spellings and variants -> the British form schools in England write.
_SPELLINGS = {
    "behavior": "behaviour", "behaviors": "behaviours", "behavioral": "behavioural",
    "color": "colour", "colors": "colours", "center": "centre", "centers": "centres",
    "program": "programme", "programs": "programmes", "labor": "labour", "honor": "honour",
    "favor": "favour", "favorite": "favourite", "enroll": "enrol", "enrollment": "enrolment",
    "fulfill": "fulfil", "fulfillment": "fulfilment", "judgment": "judgement",
    "counseling": "counselling", "counselor": "counsellor", "traveling": "travelling",
    "modeling": "modelling", "labeled": "labelled", "labeling": "labelling",
    "canceled": "cancelled", "practise": "practice", "practising": "practicing",
    "license": "licence", "defense": "defence", "offense": "offence", "catalog": "catalogue",
    "dialog": "dialogue", "gray": "grey", "aging": "ageing", "skillful": "skilful",
    "pediatric": "paediatric", "toward": "towards", "analyze": "analyse",
    "analyzed": "analysed", "analyzing": "analysing", "wellbeing": "wellbeing",
    "esthetic": "aesthetic", "learned": "learnt", "spelled": "spelt",
    "inquiry": "enquiry", "inquiries": "enquiries", "mold": "mould",
}  # fmt: skip
#: Stems whose -ize/-izing/-ization forms are written -ise/-ising/-isation in British English.
_IZE_STEMS = (
    "organ", "recogn", "priorit", "special", "minim", "maxim", "emphas", "summar", "familiar",
    "util", "real", "categor", "custom", "individual", "standard", "author", "apolog", "critic",
    "mobil", "stabil", "social", "memor", "visual", "personal", "harmon", "optim", "character",
    "final", "general", "normal", "vocal", "sympath", "capital", "computer", "modern",
    "central", "hospital", "publ", "mesmer", "sanit", "internal", "contextual", "conceptual",
)  # fmt: skip
_IZE = re.compile(r"\b(" + "|".join(_IZE_STEMS) + r")iz(e|es|ed|ing|ation|ations|er|ers)\b")

#: Words that never change what a clause asks for.
STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "as", "be",
    "is", "are", "was", "were", "been", "being", "it", "its", "this", "that", "these", "those",
    "their", "them", "they", "there", "all", "any", "such", "so", "also", "eg", "ie", "etc",
    "including", "which", "who", "whom", "where", "when", "within", "into", "from", "upon", "our",
    "your", "his", "her", "he", "she", "we", "us", "i",
))  # fmt: skip


def normalise(text: str) -> str:
    """Fold case, punctuation, list markers, spellings and abbreviations; single spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _DASHES.sub("-", text).lower()
    text = _LIST_MARKER.sub("", text)
    for needle, pattern, replacement in _PHRASES:
        if needle in text:
            text = pattern.sub(replacement, text)
    text = _NOT_WORD.sub(" ", text)
    if ":" in text:
        text = _COLON_OUTSIDE_NUMBERS.sub(" ", text)
    if "iz" in text:
        text = _IZE.sub(lambda match: f"{match[1]}is{match[2]}", text)
    return " ".join(_SPELLINGS.get(word, word) for word in text.split())


#: Words that change who or what a clause is about: a clause with one of them on one side only
#: ("experience of working with SEN children" / "… with children") is never a near-duplicate.
NEGATIONS = frozenset(("not", "no", "non", "without", "never"))
QUALIFIERS = NEGATIONS | frozenset((
    "sen", "send", "ehcp", "autism", "autistic", "adhd", "dyslexia",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
))  # fmt: skip
_NUMBER = re.compile(r"^\d")


def matching_key(text: str) -> str:
    """The normalised text without the little words, plurals folded: what scores compare."""
    words = [_singular(word) for word in normalise(text).split() if word not in STOPWORDS]
    return " ".join(words) or normalise(text)


def _singular(word: str) -> str:
    """A light plural fold ("pupils" -> "pupil", "activities" -> "activity"); no other stemming."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def meaning_differs(key_a: str, key_b: str) -> bool:
    """True when a number or a qualifier (SEN, "not"…) is on one side only."""
    words_a, words_b = set(key_a.split()), set(key_b.split())
    return any(
        word in QUALIFIERS or _NUMBER.match(word) for word in words_a.symmetric_difference(words_b)
    )


def key_hash(key: str) -> str:
    """A short stable hash of a matching key: equal keys are exact duplicates."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def score(key_a: str, key_b: str) -> float:
    """Similarity 0-100 of two matching keys (word order does not matter)."""
    return fuzz.token_sort_ratio(key_a, key_b)


@dataclass(frozen=True)
class Match:
    kind: MatchKind
    #: 0-100, rounded; 100 for exact duplicates.
    score: int


def compare(text_a: str, text_b: str) -> Match | None:
    """How two clause texts relate: exact, near or subset duplicate; None when they differ."""
    key_a, key_b = matching_key(text_a), matching_key(text_b)
    if key_a == key_b:
        return Match("exact", 100)
    similarity = score(key_a, key_b)
    if _is_subset(normalise(text_a), normalise(text_b)):
        return Match("subset", round(similarity))
    if similarity >= NEAR_DUPLICATE_CUTOFF and not meaning_differs(key_a, key_b):
        return Match("near", round(similarity))
    return None


def keeps_near_pair(key_a: str, key_b: str) -> bool:
    """Whether two keys that score at or above the cut-off stay a near pair in a library cluster.

    Not when a qualifier or number differs, nor when one key is contained in the other (a
    subset: merging it would change what the longer clause asks for).
    """
    if meaning_differs(key_a, key_b):
        return False
    shorter, longer = sorted((key_a, key_b), key=len)
    return shorter == longer or f" {shorter} " not in f" {longer} "


def _is_subset(normal_a: str, normal_b: str) -> bool:
    """True when the shorter text appears word for word, in order, inside the longer one."""
    shorter, longer = sorted((normal_a, normal_b), key=len)
    meaningful = [word for word in shorter.split() if word not in STOPWORDS]
    if len(meaningful) < SUBSET_MIN_WORDS or shorter == longer:
        return False
    added = set(longer.split()) - set(shorter.split())
    return f" {shorter} " in f" {longer} " and not added & NEGATIONS


@dataclass(frozen=True)
class DuplicatePair:
    """Two positions (0-based, in the order given) whose texts duplicate each other."""

    first: int
    second: int
    match: Match


def find_duplicates(texts: Sequence[str]) -> list[DuplicatePair]:
    """Every duplicate pair inside one list of texts (one document: a few dozen clauses)."""
    pairs = []
    for first in range(len(texts)):
        for second in range(first + 1, len(texts)):
            match = compare(texts[first], texts[second])
            if match is not None:
                pairs.append(DuplicatePair(first, second, match))
    return pairs
