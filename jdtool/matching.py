"""Normalise duty and criterion texts and find near-duplicates among them (pure: no Flask, no DB).

Two texts are compared on their *matching keys*: the normalised text (case, punctuation,
bullets and numbering, whitespace, "pupil(s)", British/US spelling, SENCO/SENDCo… folded) with
the little words that never change a clause's meaning removed. The score is rapidfuzz's
`token_sort_ratio` of the two keys, so reordered clauses still match; the cut-off was chosen on
the labelled pairs in tests/data/clause_pairs.csv (see NEAR_DUPLICATE_CUTOFF).

For a library of many clauses, `ClauseIndex` finds the same pairs without comparing every clause
with every other: identical keys are grouped by hash first, then candidate pairs come from a
prefix-filtering token index (clauses that match must share one of their rarest words), and
rapidfuzz scores only those candidates.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
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
#: Phrases folded to one form before punctuation goes (longest first where they overlap).
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (
            r"\bspecial educational needs?\s*(?:and|&)\s*disabilit(?:y|ies)\s*co-?\s*ordinator\b",
            "senco",
        ),
        (r"\bspecial educational needs?\s*co-?\s*ordinator\b", "senco"),
        (r"\bsen\s*d?\s*co(?:-?ordinator)?\b", "senco"),
        (r"\bspecial educational needs?\s*(?:and|&)\s*disabilit(?:y|ies)\b", "send"),
        (r"\bspecial educational needs?\b", "sen"),
        (r"\beducation,?\s*health\s*(?:and|&)\s*care\s*plans?\b", "ehcp"),
        (r"\behc\s*plans?\b", "ehcp"),
        (r"\bteaching assistants?\b", "ta"),
        (r"\blearning support assistants?\b", "lsa"),
        (r"\binformation (?:and|&) communications? technology\b", "ict"),
        (r"\bcontinuing professional development\b", "cpd"),
        (r"\bkeeping children safe in education\b", "kcsie"),
        (r"\bmathematics\b", "maths"),
        (r"\bmath\b", "maths"),
        (r"\b1st\b", "first"),
        (r"\bfirst-aid\b", "first aid"),
        (r"\be\.?\s?g\.?(?=\s|,|$)", "eg"),
        (r"\bi\.?\s?e\.?(?=\s|,|$)", "ie"),
        (r"\bco-?\s*ordinat", "coordinat"),
        (r"\bone[- ]to[- ]one\b", "1:1"),
        (r"\bpupil\(s\)", "pupils"),
        (r"\bchild\(ren\)", "children"),
        (r"\bparent\(s\)", "parents"),
        (r"\bcarer\(s\)", "carers"),
        (r"(\w)'s\b", r"\1"),
        (r"(\w)s'(?=\s|$|[^\w])", r"\1s"),
        (r"&", " and "),
        (r"\b([\w ]+?) \(\1\)", r"\1"),  # "EHCP (EHCP)" after an expansion
        (r"\bwell-?\s?being\b", "wellbeing"),
    )
)
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
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _DASHES.sub("-", text).lower()
    text = _LIST_MARKER.sub("", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = _COLON_OUTSIDE_NUMBERS.sub(" ", _NOT_WORD.sub(" ", text))
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


class ClauseIndex:
    """Near-duplicate search over a large set of clauses without comparing all pairs.

    Prefix filtering: order each clause's distinct words from rarest to commonest; two clauses
    whose word sets overlap by at least `MIN_OVERLAP` (Jaccard) must share a word among the
    first `n - ceil(MIN_OVERLAP * n) + 1` of either. Only clauses sharing such a word are scored
    with rapidfuzz. `MIN_OVERLAP` sits well below what a score at the cut-off implies, so the
    index finds (nearly) every pair brute force finds; benchmarks/dedupe.py measures that recall.
    """

    #: The lowest word-set overlap (Jaccard) that two near-duplicates are assumed to have.
    MIN_OVERLAP = 0.6

    def __init__(self, texts: Iterable[str], cutoff: float = NEAR_DUPLICATE_CUTOFF) -> None:
        self.cutoff = cutoff
        self.keys = [matching_key(text) for text in texts]
        self._word_sets = [frozenset(key.split()) for key in self.keys]
        self.frequency: dict[str, int] = defaultdict(int)
        for words in self._word_sets:
            for word in words:
                self.frequency[word] += 1
        self._by_hash: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._representatives: list[int] = []
        for position, key in enumerate(self.keys):
            group = self._by_hash[key_hash(key)]
            group.append(position)
            if len(group) == 1:  # exact duplicates are found by hash; index one of each
                self._representatives.append(position)
                for word in self._prefix(self._word_sets[position]):
                    self._postings[word].append(position)

    def _ordered(self, words: frozenset[str]) -> list[str]:
        return sorted(words, key=lambda word: (self.frequency.get(word, 0), word))

    def _prefix(self, words: frozenset[str]) -> list[str]:
        ordered = self._ordered(words)
        length = len(ordered) - math.ceil(self.MIN_OVERLAP * len(ordered)) + 1
        return ordered[: max(length, 1)]

    def exact_groups(self) -> list[list[int]]:
        """Positions whose matching keys are identical, groups of two or more."""
        return [group for group in self._by_hash.values() if len(group) > 1]

    def candidate_pairs(self) -> Iterable[tuple[int, int]]:
        """Pairs of distinct keys that share a prefix word (each pair once)."""
        for position in self._representatives:
            words = self._word_sets[position]
            seen: set[int] = set()
            for word in self._prefix(words):
                for other in self._postings[word]:
                    if other < position and other not in seen:
                        seen.add(other)
                        if self._overlap_possible(words, self._word_sets[other]):
                            yield other, position

    def _overlap_possible(self, words_a: frozenset[str], words_b: frozenset[str]) -> bool:
        smaller, larger = sorted((len(words_a), len(words_b)))
        return smaller >= self.MIN_OVERLAP * larger

    def representative_pairs(self, *, filtered: bool = True) -> list[tuple[int, int, float]]:
        """Scored near pairs between one clause of each distinct key (cheapest for clustering).

        `filtered=False` keeps every pair the scorer puts at or above the cut-off, look-alikes
        and subsets included (what a brute-force comparison with the same scorer finds).
        """
        pairs: list[tuple[int, int, float]] = []
        for first, second in self.candidate_pairs():
            key_a, key_b = self.keys[first], self.keys[second]
            similarity = fuzz.token_sort_ratio(key_a, key_b, score_cutoff=self.cutoff)
            if similarity and (not filtered or keeps_near_pair(key_a, key_b)):
                pairs.append((first, second, similarity))
        return pairs

    def near_pairs(self, *, filtered: bool = True) -> list[tuple[int, int, float]]:
        """Every scored pair (lower position first) at or above the cut-off, exact ones included."""
        pairs: list[tuple[int, int, float]] = []
        for group in self.exact_groups():
            pairs += [(first, second, 100.0) for first, second in combinations(group, 2)]
        for first, second, similarity in self.representative_pairs(filtered=filtered):
            group_a = self._by_hash[key_hash(self.keys[first])]
            group_b = self._by_hash[key_hash(self.keys[second])]
            pairs += [(min(a, b), max(a, b), similarity) for a in group_a for b in group_b]
        return pairs

    def clusters(self) -> list[list[int]]:
        """Groups of positions linked by near-duplicate pairs (two or more, sorted)."""
        parent = list(range(len(self.keys)))

        def root(position: int) -> int:
            while parent[position] != position:
                parent[position] = parent[parent[position]]
                position = parent[position]
            return position

        for group in self.exact_groups():
            for other in group[1:]:
                parent[root(other)] = root(group[0])
        for first, second, _score in self.representative_pairs():
            parent[root(first)] = root(second)
        groups: dict[int, list[int]] = defaultdict(list)
        for position in range(len(self.keys)):
            groups[root(position)].append(position)
        return sorted((group for group in groups.values() if len(group) > 1), key=min)

    def search(self, text: str, limit: int = 10) -> list[tuple[int, float]]:
        """Positions whose clauses near-duplicate `text`, best first: (position, score)."""
        key = matching_key(text)
        words = frozenset(key.split())
        results: dict[int, float] = {}
        for position in self._by_hash.get(key_hash(key), []):
            results[position] = 100.0
        candidates: set[int] = set()
        for word in self._prefix(words):
            candidates.update(self._postings.get(word, ()))
        for position in candidates - results.keys():
            if not self._overlap_possible(words, self._word_sets[position]):
                continue
            similarity = fuzz.token_sort_ratio(key, self.keys[position], score_cutoff=self.cutoff)
            if similarity and keeps_near_pair(key, self.keys[position]):
                for member in self._by_hash[key_hash(self.keys[position])]:
                    results[member] = similarity
        return sorted(results.items(), key=lambda item: (-item[1], item[0]))[:limit]
