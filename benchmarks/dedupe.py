"""Near-duplicate clusters at trust scale: the blocking index against brute force, same run.

A synthetic clause library is grown from the seed documents' duties and criteria: "new"
clauses are seed clauses with about half their words replaced from the seeds' vocabulary, and
each gets 0-4 variants with the edits schools make when copying (a word swapped for a synonym,
a word inserted or dropped, two parts reordered, American spelling, capitals, bullets, full
stops) and a few exact copies. For each library size (default 10k, 50k, 100k clauses) a child
process times `ClauseIndex` finding every near-duplicate cluster and reports its peak memory.

The baseline is brute force: `rapidfuzz.process.cdist` with the same scorer (`token_sort_ratio`
of the matching keys) and cut-off. At these sizes it cannot run whole (100k x 100k cells is
10 GB and hours), so it runs on a subset made of whole generation groups (so the subset holds
real duplicates), its speed is extrapolated to the full library, and recall is the share of the
subset's brute-force pairs that the index (built on the full library) also found.

    .venv/bin/python benchmarks/dedupe.py [--sizes 10000 50000 100000] [--subset 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jdtool.clause_index import ClauseIndex  # noqa: E402
from jdtool.matching import NEAR_DUPLICATE_CUTOFF, matching_key  # noqa: E402

SYNONYMS = {
    "support": "assist", "assist": "support", "help": "support", "pupils": "students",
    "pupil": "student", "children": "pupils", "ensure": "make sure", "provide": "give",
    "teacher": "class teacher", "staff": "colleagues", "colleagues": "staff",
    "maintain": "keep", "undertake": "carry out", "participate": "take part",
    "regular": "frequent", "appropriate": "suitable", "activities": "tasks",
}  # fmt: skip
INSERTS = ("all", "relevant", "regular", "appropriate", "effectively", "where required", "fully")
AMERICAN = {
    "behaviour": "behavior", "organise": "organize", "organisation": "organization",
    "programme": "program", "programmes": "programs", "recognise": "recognize",
    "prioritise": "prioritize", "centre": "center", "judgement": "judgment",
}  # fmt: skip


def seed_clauses() -> list[str]:
    texts = []
    for path in sorted((ROOT / "seed_jds").glob("*.expected.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        texts += [duty for section in document["sections"] for duty in section["duties"]]
        for category in (document["person_spec"] or {"categories": []})["categories"]:
            texts += [criterion["text"] for criterion in category["criteria"]]
    return texts


def new_clause(seeds: list[str], vocabulary: list[str], rng: random.Random) -> str:
    """A different clause in the seeds' language: the start of one seed clause and the end of
    another, with about a third of the words replaced from the seeds' vocabulary."""
    start, end = (seed.rstrip(".").split() for seed in rng.sample(seeds, 2))
    words = start[: max(2, len(start) // 2)] + end[len(end) // 2 :]
    for index in rng.sample(range(len(words)), k=max(1, len(words) // 3)):
        words[index] = rng.choice(vocabulary)
    return " ".join(words) + "."


def light_edit(text: str, rng: random.Random) -> str:
    """One edit a school makes when copying a clause."""
    words = text.rstrip(".").split()
    edit = rng.randrange(7)
    if edit == 0:  # a synonym
        swappable = [i for i, word in enumerate(words) if word.lower() in SYNONYMS]
        if swappable:
            index = rng.choice(swappable)
            words[index] = SYNONYMS[words[index].lower()]
    elif edit == 1 and len(words) > 6:  # a word inserted
        words.insert(rng.randrange(1, len(words)), rng.choice(INSERTS))
    elif edit == 2 and len(words) > 8:  # a word dropped
        del words[rng.randrange(1, len(words))]
    elif edit == 3 and "," in text:  # parts reordered
        parts = [part.strip() for part in text.rstrip(".").split(",")]
        rng.shuffle(parts)
        return ", ".join(parts) + "."
    elif edit == 4:  # American spelling
        words = [AMERICAN.get(word.lower(), word) for word in words]
    elif edit == 5:
        return "• " + text.upper()
    elif edit == 6:
        return f"{rng.randrange(1, 40)}. " + " ".join(words)
    return " ".join(words) + "."


def synthetic_library(size: int, seed: int = 7) -> tuple[list[str], list[int]]:
    """`size` clauses and, for each, the generation group it belongs to."""
    rng = random.Random(seed)
    seeds = seed_clauses()
    vocabulary = sorted({word.strip(".,;:()").lower() for text in seeds for word in text.split()})
    texts: list[str] = []
    groups: list[int] = []
    group = 0
    while len(texts) < size:
        base = new_clause(seeds, vocabulary, rng)
        members = [base]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3, 4))):
            members.append(light_edit(rng.choice(members), rng))
        if rng.random() < 0.05:
            members.append(base)
        texts += members
        groups += [group] * len(members)
        group += 1
    return texts[:size], groups[:size]


def run_child(size: int, subset: int, queries: int) -> dict:
    """Time the index on one library size (run in its own process for its peak memory)."""
    texts, groups = synthetic_library(size)
    start = time.perf_counter()
    keys = [matching_key(text) for text in texts]
    normalised = time.perf_counter() - start
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    index = ClauseIndex(texts, keys=keys)
    clusters = index.clusters()
    clustered = time.perf_counter() - start
    total = normalised + clustered
    candidate_count = index.candidate_count()
    raw_pairs = {(first, second) for first, second, _ in index.near_pairs(filtered=False)}

    # One new clause against the whole library (variants of clauses already in it).
    rng = random.Random(size)
    timings = []
    for _ in range(queries):
        text = light_edit(texts[rng.randrange(size)], rng)
        start = time.perf_counter()
        index.search(text)
        timings.append(time.perf_counter() - start)

    # Brute force on a subset of whole generation groups.
    chosen_groups = rng.sample(sorted(set(groups)), k=len(set(groups)))
    by_group: dict[int, list[int]] = {}
    for position, group in enumerate(groups):
        by_group.setdefault(group, []).append(position)
    members: list[int] = []
    for group in chosen_groups:
        if len(members) >= subset:
            break
        members += by_group[group]
    members = sorted(members[:subset])
    subset_keys = [keys[position] for position in members]
    start = time.perf_counter()
    matrix = process.cdist(
        subset_keys,
        subset_keys,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=NEAR_DUPLICATE_CUTOFF,
        workers=-1,
        dtype=numpy.uint8,
    )
    brute_seconds = time.perf_counter() - start
    rows, columns = numpy.nonzero(numpy.triu(matrix, k=1))
    brute_pairs = {
        (members[row], members[column]) for row, column in zip(rows, columns, strict=True)
    }
    found = len(brute_pairs & raw_pairs)
    return {
        "size": size,
        "distinct_keys": len(set(keys)),
        "candidates": candidate_count,
        "near_pairs": len(raw_pairs),
        "clusters": len(clusters),
        "normalise_s": normalised,
        "index_s": clustered,
        "total_s": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "index_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
        "query_ms_mean": 1000 * sum(timings) / len(timings),
        "query_ms_max": 1000 * max(timings),
        "subset": len(members),
        "brute_cells_per_s": len(members) ** 2 / brute_seconds,
        "brute_pairs": len(brute_pairs),
        "recall": found / len(brute_pairs) if brute_pairs else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--subset", type=int, default=3000, help="brute-force subset size")
    parser.add_argument("--queries", type=int, default=200, help="single-clause searches")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(run_child(arguments.child, arguments.subset, arguments.queries)))
        return
    print(
        f"scorer: token_sort_ratio of matching keys, cut-off {NEAR_DUPLICATE_CUTOFF}; "
        f"brute force: rapidfuzz.process.cdist(workers=-1) on a {arguments.subset}-clause "
        "subset, extrapolated to the full library (N x N cells, as cdist computes them)."
    )
    header = (
        f"{'clauses':>8} {'keys':>7} {'candidates':>11} {'pairs':>7} {'clusters':>8} "
        f"{'time s':>7} {'pairs/s':>10} {'peak MB':>8} {'brute s (est.)':>15} {'speed-up':>9} "
        f"{'recall':>7} {'1 query ms':>14}"
    )
    print(header)
    for size in arguments.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--subset", str(arguments.subset),
             "--queries", str(arguments.queries)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        row = json.loads(output)
        all_pairs = size * (size - 1) / 2
        brute_estimate = size * size / row["brute_cells_per_s"]
        print(
            f"{size:>8} {row['distinct_keys']:>7} {row['candidates']:>11} {row['near_pairs']:>7} "
            f"{row['clusters']:>8} {row['total_s']:>7.1f} {all_pairs / row['total_s']:>10.3g} "
            f"{row['peak_mb']:>8.0f} {brute_estimate:>15.0f} "
            f"{brute_estimate / row['total_s']:>8.0f}x {row['recall']:>7.4f} "
            f"{row['query_ms_mean']:>6.1f} (max {row['query_ms_max']:.0f})"
        )
        scope = (
            "the whole library (measured, not extrapolated)"
            if row["subset"] >= size
            else f"a {row['subset']}-clause subset"
        )
        print(
            f"{'':>8} normalising {row['normalise_s']:.1f} s + index and clusters "
            f"{row['index_s']:.1f} s; brute force {row['brute_cells_per_s']:.3g} cells/s on "
            f"{scope} found {row['brute_pairs']} pairs"
        )
    print(
        "pairs/s = all N(N-1)/2 pairs the clustering answers for, per second; peak MB = the "
        "child process's peak resident memory (library, keys and index included)."
    )


if __name__ == "__main__":
    main()
