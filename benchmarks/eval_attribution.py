"""Measure speaker and outlet attribution on the team's gold set.

tests/data/attribution_gold.csv holds short articles written for this purpose, with the
gold speaker (fullest form in the article), official flag and cited outlet per sentence.
Attribution runs with the shipped model's stances, as `stance score` does.

    python benchmarks/eval_attribution.py                      # the design set
    python benchmarks/eval_attribution.py tests/data/attribution_heldout.csv

A predicted speaker is right when it and the gold speaker contain one another (role
words may differ: "Elena Vasquez" vs "port spokesman Elena Vasquez"); outlets must be
equal. Precision = right / predicted, recall = right / gold.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from stance import load_model
from stance.attribute import attribute_article

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "attribution_gold.csv"


def _same_speaker(pred: str | None, gold: str | None) -> bool:
    if not pred or not gold:
        return False
    p, g = pred.lower(), gold.lower()
    return p in g or g in p


def evaluate(gold: pd.DataFrame) -> dict:
    model = load_model()
    rows = []
    for _, art in gold.sort_values(["article", "sentence"]).groupby("article", sort=True):
        texts = art["text"].tolist()
        stances = list(model.predict(texts))
        for (_, g), a in zip(art.iterrows(), attribute_article(texts, stances), strict=True):
            rows.append((g, a))
    out = {}
    for field in ("speaker", "outlet"):
        predicted = sum(bool(getattr(a, field)) for _, a in rows)
        expected = sum(bool(g[field]) for g, _ in rows)
        if field == "speaker":
            right = sum(_same_speaker(a.speaker, g["speaker"]) for g, a in rows)
        else:
            right = sum(bool(a.outlet) and a.outlet == g["outlet"] for g, a in rows)
        out[field] = {"gold": expected, "predicted": predicted, "right": right,
                      "precision": right / predicted if predicted else 0.0,
                      "recall": right / expected if expected else 0.0}
    matched = [(g, a) for g, a in rows if _same_speaker(a.speaker, g["speaker"])]
    out["official_accuracy"] = (sum(str(a.speaker_official).lower() == str(g["official"]).lower()
                                    for g, a in matched) / len(matched)) if matched else 0.0
    return out


def main() -> None:
    import sys

    gold = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else GOLD, keep_default_na=False)
    m = evaluate(gold)
    print(f"{len(gold)} sentences in {gold['article'].nunique()} articles")
    for field in ("speaker", "outlet"):
        f = m[field]
        print(f"{field:<8} precision {f['precision']:.3f} recall {f['recall']:.3f} "
              f"(right {f['right']}, predicted {f['predicted']}, gold {f['gold']})")
    print(f"official flag accuracy on matched speakers {m['official_accuracy']:.3f}")


if __name__ == "__main__":
    main()
