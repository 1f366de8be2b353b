"""Near-duplicate search over a library of clauses without comparing every pair (pure).

`ClauseIndex` groups identical matching keys by hash first, then takes candidate pairs from a
prefix-filtering token index (clauses that match must share one of their rarest words), and
rapidfuzz scores only those candidates against `matching.NEAR_DUPLICATE_CUTOFF`. The keys, the
score and the rules for a near pair are `matching.py`'s; this module is the index and its
clusters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations

import numpy
from rapidfuzz import fuzz, process

from .matching import NEAR_DUPLICATE_CUTOFF, keeps_near_pair, matching_key


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
