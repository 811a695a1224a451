#!/usr/bin/env python3
"""Jaccard peer for fow's occupation-transition benchmark.

This script is the *peer* that bench/bench_transitions.c measures in the same
run as fow's C implementation of occupation similarity: the C benchmark starts
it as a subprocess with --json and reads the timings from its stdout, so the
ratio between the two means something on whatever machine runs them.

It is deliberately written the way a data analyst would write it with pandas,
NumPy and SciPy -- read the CSVs into data frames, build a sparse binary
occupation x skill matrix, get every pairwise intersection from one sparse
matrix product, take the top k per row with argpartition -- with no special
tuning (no custom kernels, threads, caching or hand-written loops).

What it computes, on an ESCO "compact" bundle folder:

  load phase (timed once)
    occupations.csv        (needs columns uri, label)
    occupation_skills.csv  (needs columns occupation_uri, skill_label)
    -> CSR matrix A, one row per occupation (file order), one column per
       distinct skill label; A[i, j] = 1 when occupation i lists skill j.
       Essential and optional skills both count, a pair listed twice counts
       once, links to occupations not in occupations.csv are ignored.

  compute phase (timed, repeated --repeat times, median reported)
    intersection = A @ A.T
    union        = |a| + |b| - intersection
    jaccard      = intersection / union   (0 when the union is empty)
    then, for every occupation, the 20 most similar *other* occupations,
    highest Jaccard first, ties broken by the lower occupation index.

Usage:
    python3 jaccard_peer.py DATA_DIR [--repeat R] [--out FILE.csv] [--json]

--json prints one JSON object on stdout:
    {"load_ms", "compute_ms_median", "compute_ms_runs", "occupations",
     "skills", "pairs_nonzero"}
where pairs_nonzero counts unordered pairs of distinct occupations that share
at least one skill. --out writes origin_uri,destination_uri,rank,jaccard for
the top 20 of every occupation (rank starts at 1), for cross-checking against
fow. Missing files or columns give an error message and exit code 1.
"""

import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp
except ImportError as exc:  # e.g. a python3 on PATH without the Debian packages
    sys.exit(f"jaccard_peer: {exc} (needs pandas and scipy; try /usr/bin/python3)")

TOP_K = 20


class PeerError(Exception):
    """An input problem reported to the user (exit code 1)."""


def read_table(data_dir, name, columns):
    """Read one CSV as strings and check it has the columns we need."""
    path = os.path.join(data_dir, name)
    if not os.path.isfile(path):
        raise PeerError(f"missing file: {path}")
    try:
        # Everything as text; keep_default_na=False so a label such as "NA"
        # or "null" stays a label instead of becoming a missing value.
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PeerError(f"cannot read {path}: {exc}") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise PeerError(f"{path}: missing column(s): {', '.join(missing)}")
    return df[columns]


def load(data_dir):
    """Load phase: the CSVs -> (occupations frame, binary CSR matrix, skill count)."""
    if not os.path.isdir(data_dir):
        raise PeerError(f"not a folder: {data_dir}")
    occupations = read_table(data_dir, "occupations.csv", ["uri", "label"])
    links = read_table(data_dir, "occupation_skills.csv", ["occupation_uri", "skill_label"])

    occupations = occupations[occupations["uri"] != ""]
    occupations = occupations.drop_duplicates("uri").reset_index(drop=True)
    if occupations.empty:
        raise PeerError(f"{os.path.join(data_dir, 'occupations.csv')}: no occupations")

    links = links[links["skill_label"] != ""]
    links = links.drop_duplicates(["occupation_uri", "skill_label"])

    row = pd.Index(occupations["uri"]).get_indexer(links["occupation_uri"])
    links = links[row >= 0]
    row = row[row >= 0]
    col, skill_labels = pd.factorize(links["skill_label"])

    matrix = sp.csr_matrix(
        (np.ones(len(row), dtype=np.float64), (row, col)),
        shape=(len(occupations), len(skill_labels)),
    )
    return occupations, matrix, len(skill_labels)


def compute(matrix, k=TOP_K):
    """Compute phase: pairwise Jaccard, then the top k others per occupation.

    Returns (top index array n x k, top Jaccard array n x k, nonzero pair count).
    """
    n = matrix.shape[0]
    k = min(k, n - 1)

    inter_sparse = matrix @ matrix.T
    offdiag_nonzero = inter_sparse.nnz - np.count_nonzero(inter_sparse.diagonal())
    pairs_nonzero = offdiag_nonzero // 2

    inter = inter_sparse.toarray()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / union, 0.0)
    np.fill_diagonal(jaccard, -1.0)  # never pick yourself

    if k <= 0:
        return np.empty((n, 0), dtype=np.intp), np.empty((n, 0)), pairs_nonzero

    # Candidate top k per row (unordered), then the k-th best value per row.
    part = np.argpartition(-jaccard, k - 1, axis=1)[:, :k]
    rows = np.arange(n)[:, None]
    kth_value = jaccard[rows, part].min(axis=1)

    # argpartition picks arbitrarily among values tied with the k-th best;
    # where such ties exist, redo that row so the lower indices win.
    tied = np.flatnonzero((jaccard >= kth_value[:, None]).sum(axis=1) > k)
    for i in tied:
        candidates = np.flatnonzero(jaccard[i] >= kth_value[i])
        order = np.lexsort((candidates, -jaccard[i, candidates]))
        part[i] = candidates[order[:k]]

    # Sort each row's k picks: Jaccard descending, then index ascending.
    values = jaccard[rows, part]
    order = np.lexsort((part, -values), axis=1)
    top = np.take_along_axis(part, order, axis=1)
    top_values = np.take_along_axis(values, order, axis=1)
    return top, top_values, pairs_nonzero


def write_top(path, occupations, top, top_values):
    uris = occupations["uri"].to_numpy()
    n, k = top.shape
    out = pd.DataFrame({
        "origin_uri": np.repeat(uris, k),
        "destination_uri": uris[top.ravel()],
        "rank": np.tile(np.arange(1, k + 1), n),
        "jaccard": top_values.ravel(),
    })
    out.to_csv(path, index=False, float_format="%.17g")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Pairwise occupation Jaccard (pandas/SciPy peer for fow's benchmark).")
    parser.add_argument("data_dir", help="folder with occupations.csv and occupation_skills.csv")
    parser.add_argument("--repeat", type=int, default=5, metavar="R",
                        help="number of timed compute runs (default 5)")
    parser.add_argument("--out", metavar="FILE.csv",
                        help="write origin_uri,destination_uri,rank,jaccard for the top 20")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    try:
        t0 = time.perf_counter()
        occupations, matrix, n_skills = load(args.data_dir)
        load_ms = (time.perf_counter() - t0) * 1000.0

        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            top, top_values, pairs_nonzero = compute(matrix)
            runs.append((time.perf_counter() - t0) * 1000.0)

        if args.out:
            write_top(args.out, occupations, top, top_values)
    except PeerError as exc:
        print(f"jaccard_peer: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"jaccard_peer: {exc}", file=sys.stderr)
        return 1

    result = {
        "load_ms": round(load_ms, 3),
        "compute_ms_median": round(statistics.median(runs), 3),
        "compute_ms_runs": [round(r, 3) for r in runs],
        "occupations": int(matrix.shape[0]),
        "skills": int(n_skills),
        "pairs_nonzero": int(pairs_nonzero),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"occupations {result['occupations']}, skills {result['skills']}, "
              f"links {matrix.nnz}, pairs sharing a skill {result['pairs_nonzero']}")
        print(f"load    {result['load_ms']:.1f} ms")
        print(f"compute {result['compute_ms_median']:.1f} ms median of {len(runs)} "
              f"(min {min(runs):.1f}, max {max(runs):.1f})")
        if top.shape[1] > 0:
            labels = occupations["label"].to_numpy()
            print(f"most similar to '{labels[0]}':")
            for rank in range(min(3, top.shape[1])):
                j = top[0, rank]
                print(f"  {rank + 1}. {labels[j]}  ({top_values[0, rank]:.4f})")
        if args.out:
            print(f"top {top.shape[1]} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
