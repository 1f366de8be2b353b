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
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy
from rapidfuzz import fuzz, process

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


class ClauseIndex:
    """Near-duplicate search over a large set of clauses without comparing all pairs.

    1. Identical matching keys are grouped (by hash): one clause of each key is indexed.
    2. Candidates by prefix filtering: two keys that score at or above the cut-off differ in
       only a few words (at most `MAX_DIFFERENT_WORDS` of the longer key's words are missing
       from the other). With every key's words ordered from rarest to commonest in the
       library, the prefixes of `MAX_DIFFERENT_WORDS + MIN_SHARED_WORDS` words of two such keys
       share at least `MIN_SHARED_WORDS` words (their rarest common words). Each key is indexed
       under its prefix words only, and probes the index with them.
    3. A length filter that loses nothing: `token_sort_ratio` >= c needs the shorter sorted key
       to be at least c / (200 - c) of the longer one's length.
    4. rapidfuzz scores a key against all its candidates in one `cdist` call; words are sorted
       once per key, so `fuzz.ratio` of sorted keys equals `token_sort_ratio` of the keys.

    `MAX_DIFFERENT_WORDS` is a bound chosen on data, not a proof (a long clause with many small
    spelling changes could escape it): benchmarks/dedupe.py measures the recall against brute
    force.
    """

    #: Words of one key that may be missing from a near-duplicate key. On the labelled pairs
    #: and the benchmark's synthetic library no pair at or above the cut-off exceeds 3.
    MAX_DIFFERENT_WORDS = 4
    #: How many of a key's rarest words a candidate must share with it.
    MIN_SHARED_WORDS = 2

    def __init__(
        self,
        texts: Iterable[str],
        cutoff: float = NEAR_DUPLICATE_CUTOFF,
        *,
        keys: Sequence[str] | None = None,
    ) -> None:
        """Index `texts` (or their ready-made matching `keys`)."""
        self.cutoff = cutoff
        self.keys = list(keys) if keys is not None else [matching_key(text) for text in texts]
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(self.keys):
            self._by_key[key].append(position)
        #: Position of one clause per distinct key; below, "representative" indexes this list.
        self._positions = [group[0] for group in self._by_key.values()]
        self._sorted_keys = [" ".join(sorted(self.keys[p].split())) for p in self._positions]
        self._lengths = numpy.array([len(key) for key in self._sorted_keys], dtype=numpy.int32)
        word_ids: dict[str, int] = {}
        word_lists = [
            [word_ids.setdefault(word, len(word_ids)) for word in set(self.keys[p].split())]
            for p in self._positions
        ]
        self._word_ids = word_ids
        self._frequency = numpy.bincount(
            numpy.fromiter((word for words in word_lists for word in words), dtype=numpy.int64),
            minlength=len(word_ids),
        )
        # Each key is indexed under its prefix (its rarest words) only: see _candidate_blocks.
        self._probes = [self._probe_words(words) for words in word_lists]
        self._needed_counts = numpy.array(
            [self._needed(len(words)) for words in word_lists], dtype=numpy.int64
        )
        prefix_words = numpy.fromiter(
            (word for probe in self._probes for word in probe), dtype=numpy.int64
        )
        owners = numpy.repeat(
            numpy.arange(len(word_lists), dtype=numpy.int64),
            [len(probe) for probe in self._probes],
        )
        order = numpy.argsort(prefix_words, kind="stable")
        self._posting_owners = owners[order]
        self._posting_starts = numpy.concatenate(
            ([0], numpy.cumsum(numpy.bincount(prefix_words, minlength=len(word_ids))))
        ).astype(numpy.int64)

    def _probe_words(self, words: list[int]) -> list[int]:
        """A key's rarest words, as many as the blocking bound needs."""
        words = sorted(words, key=lambda word: (self._frequency[word], word))
        return words[: self.MAX_DIFFERENT_WORDS + self.MIN_SHARED_WORDS]

    def _needed(self, word_count: int) -> int:
        return max(1, min(self.MIN_SHARED_WORDS, word_count - 1))

    def _meet(self, probe: list[int], needed: int, length: int) -> numpy.ndarray:
        """Representatives sharing `needed` probe words whose sorted key length fits."""
        if not probe:
            return numpy.empty(0, dtype=numpy.int64)
        met = numpy.concatenate(
            [
                self._posting_owners[self._posting_starts[word] : self._posting_starts[word + 1]]
                for word in probe
            ]
        )
        owners, counts = numpy.unique(met, return_counts=True)
        owners = owners[counts >= needed]
        lengths = self._lengths[owners]
        ratio = self.cutoff / (200 - self.cutoff)
        fits = numpy.minimum(lengths, length) >= ratio * numpy.maximum(lengths, length)
        return owners[fits]

    def _candidate_blocks(self, block: int = 512) -> Iterator[tuple[numpy.ndarray, ...]]:
        """(representatives, candidates) arrays, block by block: each candidate comes before its
        representative, shares enough probe words with it and has a fitting length."""
        count = len(self._positions)
        ratio = self.cutoff / (200 - self.cutoff)
        for start in range(0, count, block):
            stop = min(start + block, count)
            probes = self._probes[start:stop]
            words = numpy.fromiter((w for probe in probes for w in probe), dtype=numpy.int64)
            prober = numpy.repeat(numpy.arange(start, stop), [len(probe) for probe in probes])
            begins = self._posting_starts[words]
            sizes = self._posting_starts[words + 1] - begins
            # Every posting of every probe word, gathered in one go.
            offsets = numpy.repeat(begins - (numpy.cumsum(sizes) - sizes), sizes)
            others = self._posting_owners[offsets + numpy.arange(int(sizes.sum()))]
            probers = numpy.repeat(prober, sizes)
            earlier = others < probers
            codes, shared = numpy.unique(
                probers[earlier] * count + others[earlier], return_counts=True
            )
            representatives, candidates = numpy.divmod(codes, count)
            keep = shared >= self._needed_counts[representatives]
            representatives, candidates = representatives[keep], candidates[keep]
            length_a, length_b = self._lengths[representatives], self._lengths[candidates]
            fits = numpy.minimum(length_a, length_b) >= ratio * numpy.maximum(length_a, length_b)
            yield representatives[fits], candidates[fits]

    def exact_groups(self) -> list[list[int]]:
        """Positions whose matching keys are identical, groups of two or more."""
        return [group for group in self._by_key.values() if len(group) > 1]

    def _scored(self, sorted_key: str, candidates: numpy.ndarray) -> list[tuple[int, float]]:
        """(representative, score) of the candidates at or above the cut-off."""
        if not len(candidates):
            return []
        scores = process.cdist(
            [sorted_key],
            [self._sorted_keys[candidate] for candidate in candidates],
            scorer=fuzz.ratio,
            score_cutoff=self.cutoff,
            dtype=numpy.float32,
        )[0]
        return [(int(candidates[i]), float(scores[i])) for i in numpy.flatnonzero(scores)]

    def candidate_count(self) -> int:
        """How many pairs rapidfuzz scores (for the benchmark)."""
        return sum(len(candidates) for _, candidates in self._candidate_blocks())

    def representative_pairs(self, *, filtered: bool = True) -> list[tuple[int, int, float]]:
        """Scored near pairs (position, position, score) between one clause of each distinct key.

        `filtered=False` keeps every pair the scorer puts at or above the cut-off, look-alikes
        and subsets included (what a brute-force comparison with the same scorer finds).
        """
        pairs: list[tuple[int, int, float]] = []
        for representatives, candidates in self._candidate_blocks():
            # Representatives come sorted: score each one against its candidates in one call.
            bounds = numpy.flatnonzero(numpy.diff(representatives)) + 1
            for group in numpy.split(numpy.arange(len(representatives)), bounds):
                if not len(group):
                    continue
                representative = int(representatives[group[0]])
                scored = self._scored(self._sorted_keys[representative], candidates[group])
                for other, similarity in scored:
                    first, second = self._positions[other], self._positions[representative]
                    if not filtered or keeps_near_pair(self.keys[first], self.keys[second]):
                        pairs.append((first, second, similarity))
        return pairs

    def near_pairs(self, *, filtered: bool = True) -> list[tuple[int, int, float]]:
        """Every scored pair (lower position first) at or above the cut-off, exact ones included."""
        pairs: list[tuple[int, int, float]] = []
        for group in self.exact_groups():
            pairs += [(first, second, 100.0) for first, second in combinations(group, 2)]
        for first, second, similarity in self.representative_pairs(filtered=filtered):
            group_a = self._by_key[self.keys[first]]
            group_b = self._by_key[self.keys[second]]
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
        results: dict[int, float] = dict.fromkeys(self._by_key.get(key, []), 100.0)
        words = set(key.split())
        known = [self._word_ids[word] for word in words if word in self._word_ids]
        # Words the library has never seen are the rarest of all and shared with no clause.
        unseen = len(words) - len(known)
        probe = self._probe_words(known)[
            : max(0, self.MAX_DIFFERENT_WORDS + self.MIN_SHARED_WORDS - unseen)
        ]
        sorted_key = " ".join(sorted(key.split()))
        met = self._meet(probe, self._needed(len(words)), len(sorted_key))
        for other, similarity in self._scored(sorted_key, met):
            position = self._positions[other]
            if self.keys[position] != key and keeps_near_pair(key, self.keys[position]):
                for member in self._by_key[self.keys[position]]:
                    results[member] = similarity
        return sorted(results.items(), key=lambda item: (-item[1], item[0]))[:limit]
