"""Can the matching model be estimated from a run's own candidate pairs, without labels? (issue 17)

    python bench/em_experiment.py --home WORK/home --truth WORK/sources

Reads a warehouse built by ``bench/matching.py run --keep`` (``int_mention_pairs_scored``: each
candidate pair's comparison levels; ``reference.match_weights``: the seed's m and u) and the
benchmark's truth, and compares, on the candidate pairs, the best pairwise F1 that each set of
parameters reaches when pairs are ranked by their log2 Bayes factor:

- ``truth``: m and u counted from the truth on this run's pairs (what a perfect estimate of this
  deployment's model would give; an upper bound);
- ``seed``: the ``match_weights`` seed (fitted on another seed of the generator);
- ``em3 prior N``: a three-class mixture (same victim in the same attack / another victim of the same
  attack / another attack) estimated by expectation maximisation from the seed, with the seed
  as a Dirichlet prior worth N pairs per class and comparison.

Comparisons: name, date_place (date and place as one comparison: they are not independent),
country, violation, organization, perpetrator. The mention model separates the first class from
the other two; the context model the first two from the third.

Result (docs/benchmarks.md, issue 17): EM converges to another partition of the candidate pairs
than the one the scores need (a "same attack" class of ~60% of the pairs against a true ~17%), so
its weights rank pairs worse than the seed's, which is why scoring still reads the seed.
At 100,000 reports (dev seed 12) even the truth's own m and u rank the mention model's pairs
worse than the seed's (best F1 0.977 against 0.982) and the context model's only 0.008 better.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import numpy as np

COMPARISONS = ["name", "date_place", "country", "violation", "organization", "perpetrator"]
CLASSES = ("same_victim", "other_victim", "other_attack")
START_SHARES = np.array([0.05, 0.15, 0.8])
# where each class's starting level shares come from in the seed: (model, m or u) for the name
# and for the other comparisons
CLASS_START = {
    0: (("mention", 0), ("mention", 0)),
    1: (("mention", 1), ("context", 0)),
    2: (("mention", 1), ("context", 1)),
}


def load(home: Path, truth: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict, dict]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    con.execute(
        "create temp table truth_reports as select source_name || ':' || source_record_id as report_id, "
        f"true_event_id from read_csv('{truth / 'truth_reports.csv'}', all_varchar = true)"
    )
    con.execute(
        "create temp table truth_mentions as select source_name || ':' || source_record_id || '#' || "
        "victim_position as mention_id, true_actor_id "
        f"from read_csv('{truth / 'truth_mentions.csv'}', all_varchar = true)"
    )
    levels_sql = ", ".join(f"pairs.{comparison}_level" for comparison in COMPARISONS)
    rows = con.execute(
        f"""
        select {levels_sql},
            case
                when left_event.true_event_id = right_event.true_event_id
                    and left_actor.true_actor_id = right_actor.true_actor_id then 0
                when left_event.true_event_id = right_event.true_event_id then 1
                else 2
            end as true_class,
            count(*) as pairs
        from intermediate.int_mention_pairs_scored as pairs
        left join truth_reports as left_event on pairs.left_report_id = left_event.report_id
        left join truth_reports as right_event on pairs.right_report_id = right_event.report_id
        left join truth_mentions as left_actor on pairs.left_mention_id = left_actor.mention_id
        left join truth_mentions as right_actor on pairs.right_mention_id = right_actor.mention_id
        group by all
        """
    ).fetchall()
    seed = {
        (model, comparison, level): (m, u)
        for model, comparison, level, m, u in con.execute(
            "select model, comparison, level, m_probability, u_probability from reference.match_weights"
        ).fetchall()
    }
    con.close()
    levels = {
        comparison: sorted({row[i] for row in rows} | {level for (_, c, level) in seed if c == comparison})
        for i, comparison in enumerate(COMPARISONS)
    }
    index = {comparison: {level: j for j, level in enumerate(levels[comparison])} for comparison in COMPARISONS}
    coded = np.array([[index[c][row[i]] for i, c in enumerate(COMPARISONS)] for row in rows])
    return coded, np.array([row[-2] for row in rows]), np.array([row[-1] for row in rows], float), levels, seed


def start_params(seed: dict, levels: dict) -> dict:
    params = {}
    for k, (name_source, other_source) in CLASS_START.items():
        for comparison in COMPARISONS:
            model, side = name_source if comparison == "name" else other_source
            shares = np.array(
                [(seed.get((model, comparison, level)) or (0, 0))[side] or 0 for level in levels[comparison]]
            )
            shares = shares + 1e-4
            params[k, comparison] = shares / shares.sum()
    return params


def em(coded, counts, params, shares, classes, prior, iterations=25):
    start = {key: value.copy() for key, value in params.items()}
    params = {key: value.copy() for key, value in params.items()}
    for _ in range(iterations):
        log_likelihood = np.log(shares)[None, :].repeat(len(coded), 0)
        for k in classes:
            for i, comparison in enumerate(COMPARISONS):
                log_likelihood[:, classes.index(k)] += np.log(params[k, comparison][coded[:, i]])
        posterior = np.exp(log_likelihood - log_likelihood.max(1, keepdims=True))
        weights = posterior / posterior.sum(1, keepdims=True) * counts[:, None]
        shares = weights.sum(0) / counts.sum()
        for column, k in enumerate(classes):
            for i, comparison in enumerate(COMPARISONS):
                counted = np.bincount(coded[:, i], weights=weights[:, column], minlength=len(params[k, comparison]))
                params[k, comparison] = (counted + prior * start[k, comparison]) / (weights[:, column].sum() + prior)
    return params, shares


def bayes_factor(coded, params, shares, match: list[int], comparisons: list[str]) -> np.ndarray:
    rest = [k for k in range(3) if k not in match]
    score = np.zeros(len(coded))
    for comparison in comparisons:
        i = COMPARISONS.index(comparison)
        m = sum(shares[k] * params[k, comparison][coded[:, i]] for k in match) / sum(shares[k] for k in match)
        u = sum(shares[k] * params[k, comparison][coded[:, i]] for k in rest) / sum(shares[k] for k in rest)
        score += np.log2(m / u)
    return score


def best_f1(score: np.ndarray, positive: np.ndarray, counts: np.ndarray) -> float:
    order = np.argsort(-score)
    true_positives = np.cumsum((positive * counts)[order])
    false_positives = np.cumsum((~positive * counts)[order])
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (positive * counts).sum()
    return float((2 * precision * recall / np.maximum(precision + recall, 1e-12)).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    args = parser.parse_args()
    np.seterr(divide="ignore", invalid="ignore")  # the truth's level shares include zeros
    coded, true_class, counts, levels, seed = load(args.home, args.truth)
    true_shares = np.array([counts[true_class == k].sum() for k in range(3)]) / counts.sum()
    truth_params = {
        (k, comparison): np.bincount(
            coded[true_class == k, i], weights=counts[true_class == k], minlength=len(levels[comparison])
        )
        / counts[true_class == k].sum()
        for k in range(3)
        for i, comparison in enumerate(COMPARISONS)
    }
    seed_params = start_params(seed, levels)
    runs = {"truth": (truth_params, true_shares), "seed": (seed_params, START_SHARES)}
    for prior in (50, 500, 5000):
        runs[f"em3 prior {prior}"] = em(coded, counts, seed_params, START_SHARES, [0, 1, 2], prior)
    mention_positive, context_positive = true_class == 0, true_class <= 1
    print(f"{len(coded)} patterns, {int(counts.sum())} candidate pairs; true class shares {np.round(true_shares, 3)}")
    print("parameters        class shares           mention F1  context F1")
    for label, (params, shares) in runs.items():
        mention = best_f1(bayes_factor(coded, params, shares, [0], COMPARISONS), mention_positive, counts)
        context = best_f1(bayes_factor(coded, params, shares, [0, 1], COMPARISONS[1:]), context_positive, counts)
        print(f"{label:<17} {np.array2string(np.round(shares, 3)):<22} {mention:.4f}      {context:.4f}")


if __name__ == "__main__":
    main()
