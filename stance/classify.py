"""The sentence stance classifier: build, cross-validate, train, save, load, explain.

The model is a plain scikit-learn :class:`~sklearn.pipeline.Pipeline` made only of
scikit-learn parts, so ``joblib.load`` gives it back in any tool with scikit-learn
installed (no ``stance`` code needed)::

    features   word 1-3-grams (tf-idf) + character 2-5-grams inside word boundaries
    clf        LinearSVC, calibrated with Platt scaling (CalibratedClassifierCV)

Word n-grams carry the cue phrases ("declined to comment", "did not deny"); the
character n-grams generalise over inflections, names and quote marks
(straight or curly). The calibrated ``predict_proba`` is what ``confidence`` reports.

A model file travels with a JSON *card* beside it (``<model>.card.json``): labels,
training-data hash, library versions, seed, cross-validation metrics, the model
file's SHA-256.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import json
import os
import platform
import sys
import warnings
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from stance import __version__
from stance._atomic import atomic_write
from stance.errors import ModelError, StanceError
from stance.labels import LABELS

DEFAULT_MODEL_NAME = "stance-linear.joblib"
DEFAULT_SEED = 13
DEFAULT_FOLDS = 5
#: Word tokens plus quote marks and "?" as tokens of their own: a direct quote and a
#: question read differently from narration.
WORD_TOKENS = r"(?u)\b\w+\b|[\"“”‘’?]"


def build_pipeline(seed: int = DEFAULT_SEED) -> Pipeline:
    """Return the untrained classifier pipeline (scikit-learn parts only)."""
    words = TfidfVectorizer(
        lowercase=True,
        token_pattern=WORD_TOKENS,
        ngram_range=(1, 3),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        lowercase=True,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    svm = LinearSVC(C=1.0, random_state=seed)
    clf = CalibratedClassifierCV(svm, method="sigmoid", cv=5, ensemble=False)
    return Pipeline([("features", FeatureUnion([("words", words), ("chars", chars)])),
                     ("clf", clf)])


def _slim(model: Pipeline) -> Pipeline:
    """Drop the vectorizers' ``stop_words_`` (terms pruned by min_df): only for
    introspection, and most of the pickle's size."""
    for _, vec in model.named_steps["features"].transformer_list:
        if hasattr(vec, "stop_words_"):
            del vec.stop_words_
    return model


def fit(texts: Sequence[str], labels: Sequence[str], seed: int = DEFAULT_SEED) -> Pipeline:
    """Fit a fresh pipeline on *texts* and *labels* and return it."""
    return _slim(build_pipeline(seed).fit(list(texts), list(labels)))


# --------------------------------------------------------------------------- metrics


#: Confidence bands for the calibration table of :func:`metrics`.
CONFIDENCE_BANDS = (0.0, 0.4, 0.6, 0.8, 1.0)


def metrics(
    y_true: Sequence[str], y_pred: Sequence[str], confidence: Sequence[float] | None = None
) -> dict:
    """Per-class precision/recall/F1/support, macro-F1, accuracy and the confusion matrix.

    Labels are always all seven in priority order, so reports line up across data sets.
    With *confidence* (the predicted label's probability), also the accuracy within each
    confidence band: how far a user can trust the ``confidence`` column on this data.
    """
    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    present = [lab for lab, n in zip(labels, s, strict=True) if n > 0]
    result = {
        "n": len(y_true),
        "accuracy": float(np.mean(np.asarray(y_true) == np.asarray(y_pred))),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro",
                                   zero_division=0)),
        "per_class": {
            lab: {"precision": round(float(pi), 4), "recall": round(float(ri), 4),
                  "f1": round(float(fi), 4), "support": int(si)}
            for lab, pi, ri, fi, si in zip(labels, p, r, f, s, strict=True)
        },
        "labels": labels,
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if confidence is not None:
        conf = np.asarray(confidence, dtype=float)
        right = np.asarray(y_true) == np.asarray(y_pred)
        bands = []
        for lo, hi in itertools.pairwise(CONFIDENCE_BANDS):
            inside = (conf >= lo) & ((conf < hi) | (hi == CONFIDENCE_BANDS[-1]))
            n = int(inside.sum())
            bands.append({"from": lo, "to": hi, "n": n,
                          "accuracy": round(float(right[inside].mean()), 4) if n else None})
        result["by_confidence"] = bands
    return result


def format_metrics(m: dict, title: str = "") -> str:
    """Render :func:`metrics` output as a plain-text report (per class, macro, matrix)."""
    out = []
    if title:
        out.append(title)
    out.append(f"{'label':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for lab in m["labels"]:
        c = m["per_class"][lab]
        out.append(f"{lab:<16}{c['precision']:>10.3f}{c['recall']:>10.3f}{c['f1']:>10.3f}"
                   f"{c['support']:>10d}")
    out.append(f"{'macro-F1':<16}{m['macro_f1']:>30.3f}{m['n']:>10d}")
    out.append(f"{'accuracy':<16}{m['accuracy']:>30.3f}")
    out.append("")
    abbrev = {"denial": "den", "confirmation": "conf", "no-comment": "noc", "warning": "warn",
              "reassurance": "reas", "report-citation": "rep", "none": "none"}
    out.append("confusion matrix (rows: true, columns: predicted)")
    out.append(" " * 16 + "".join(f"{abbrev[lab]:>6}" for lab in m["labels"]))
    for lab, row in zip(m["labels"], m["confusion_matrix"], strict=True):
        out.append(f"{lab:<16}" + "".join(f"{v:>6d}" for v in row))
    if m.get("by_confidence"):
        out.append("")
        out.append("accuracy by confidence of the prediction")
        for band in m["by_confidence"]:
            acc = "-" if band["accuracy"] is None else f"{band['accuracy']:.3f}"
            out.append(f"  {band['from']:.1f}-{band['to']:.1f}{band['n']:>8d} sentences"
                       f"   accuracy {acc}")
    return "\n".join(out)


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    seed: int = DEFAULT_SEED,
    folds: int = DEFAULT_FOLDS,
    progress: bool | None = None,
) -> dict:
    """Grouped, stratified k-fold cross-validation: whole groups are held out together.

    Returns :func:`metrics` of the out-of-fold predictions plus the split settings.
    """
    from tqdm.auto import tqdm

    x = np.asarray(texts, dtype=object)
    y = np.asarray(labels, dtype=object)
    g = np.asarray(groups, dtype=object)
    n_groups = len(set(g))
    if n_groups < folds:
        raise StanceError(
            f"cross-validation needs at least {folds} groups, the data has {n_groups}"
        )
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    pred = np.empty(len(y), dtype=object)
    splits = list(splitter.split(x, y, g))
    disable = None if progress is None else not progress  # None: only on a terminal
    bar = tqdm(splits, desc="cross-validation", unit="fold", disable=disable,
               file=sys.stderr, leave=False)
    for train, test in bar:
        model = build_pipeline(seed).fit(list(x[train]), list(y[train]))
        pred[test] = model.predict(list(x[test]))
    result = metrics(list(y), list(pred))
    result.update({"folds": folds, "grouped": True, "groups": n_groups})
    return result


# --------------------------------------------------------------------------- files


def sha256_file(path: str | os.PathLike) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def card_path(model_path: str | os.PathLike) -> Path:
    """Where the card of *model_path* lives: ``model.joblib`` -> ``model.card.json``."""
    p = Path(model_path)
    return p.with_name(p.stem + ".card.json")


def _versions() -> dict:
    import nltk
    import scipy

    return {
        "python": platform.python_version(),
        "stance": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "joblib": joblib.__version__,
        "nltk": nltk.__version__,
    }


def make_card(
    data: pd.DataFrame,
    data_path: str | os.PathLike,
    seed: int,
    cv: dict | None,
    today: _dt.date | None = None,
) -> dict:
    """Build the model card (without the model file hash, added by :func:`save_model`)."""
    counts = data["label"].value_counts()
    return {
        "name": "stance-linear",
        "description": "Sentence stance classifier for news text (seven labels).",
        "labels": list(LABELS),
        "pipeline": "tf-idf word 1-3-grams + char_wb 2-5-grams -> LinearSVC (C=1.0) "
                    "calibrated with sigmoid (Platt) scaling",
        "requires_stance_code": False,
        "load_with": "joblib.load(path); predict / predict_proba / classes_",
        "training_data": {
            "file": Path(data_path).name,
            "sha256": sha256_file(data_path),
            "sentences": len(data),
            "groups": int(data["group"].nunique()),
            "per_label": {lab: int(counts.get(lab, 0)) for lab in LABELS},
        },
        "seed": seed,
        "cross_validation": cv,
        "libraries": _versions(),
        "created": (today or _dt.date.today()).isoformat(),
    }


def save_model(model: Pipeline, path: str | os.PathLike, card: dict) -> Path:
    """Write *model* (joblib) and its card atomically; return the card's path."""
    path = Path(path)
    with atomic_write(path, "wb") as fh:
        joblib.dump(model, fh, compress=3)
    card = {**card, "model_file": path.name, "model_sha256": sha256_file(path)}
    cpath = card_path(path)
    with atomic_write(cpath, "w", encoding="utf-8") as fh:
        json.dump(card, fh, indent=2, sort_keys=False)
        fh.write("\n")
    return cpath


def default_model_path() -> Path:
    """The shipped model: inside the installed package, or ``models/`` of a checkout."""
    try:
        packaged = resources.files("stance") / "models" / DEFAULT_MODEL_NAME
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        pass
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME


def load_card(model_path: str | os.PathLike) -> dict | None:
    """The card beside *model_path*, or None when there is none."""
    cpath = card_path(model_path)
    if not cpath.is_file():
        return None
    try:
        return json.loads(cpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{cpath}: unreadable model card: {exc}") from None


def verify_model_file(path: str | os.PathLike, card: dict | None) -> None:
    """Refuse a model file whose SHA-256 is not the one its card records.

    A joblib (pickle) file can run any code while it loads. The card written by
    ``stance train`` records the file's SHA-256, so a file changed or swapped since then,
    or one with no card, is refused before a byte of it is unpickled.
    """
    recorded = (card or {}).get("model_sha256")
    if not recorded:
        raise ModelError(f"{path}: no model card with the file's SHA-256 beside it "
                         f"({card_path(path).name}); a model file can run code when "
                         "loaded: pass --trust-model only if you trust where it came from")
    actual = sha256_file(path)
    if actual != recorded:
        raise ModelError(f"{path}: SHA-256 {actual[:16]}... does not match the one in its "
                         f"card ({recorded[:16]}...): the file changed after training; "
                         "refusing to load it (it could run code). Pass --trust-model only "
                         "if you trust where it came from")


def load_model(path: str | os.PathLike | None = None, trust: bool = False) -> Pipeline:
    """Load a stance model (default: the shipped one) and check it is usable.

    The file's SHA-256 must match its card (:func:`verify_model_file`) unless *trust*.
    Warns when the card records another scikit-learn version than the one installed.
    """
    p = Path(path) if path is not None else default_model_path()
    if not p.exists():
        raise ModelError(f"{p}: model file not found")
    if p.is_dir():
        raise ModelError(f"{p}: is a directory, expected a model file")
    card = load_card(p)
    if not trust:
        verify_model_file(p, card)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            model = joblib.load(p)
    except Exception as exc:  # any unpickling failure means "not a model file"
        raise ModelError(f"{p}: not a readable model file ({type(exc).__name__})") from None
    if not (hasattr(model, "predict_proba") and hasattr(model, "classes_")):
        raise ModelError(f"{p}: not a stance classifier (no predict_proba/classes_)")
    trained_with = (card or {}).get("libraries", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"{p.name} was trained with scikit-learn {trained_with}, "
            f"this is {sklearn.__version__}: predictions may differ",
            stacklevel=2,
        )
    return model


# --------------------------------------------------------------------------- use


def _as_list(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("expected a list of sentences, got a single string; wrap it: [text]")
    return [str(t) for t in texts]


def classify_sentences(texts: Iterable[str], model: Pipeline | None = None) -> pd.DataFrame:
    """Classify sentences; return a frame with ``text``, ``stance``, ``confidence`` and
    one ``p_<label>`` column per label."""
    texts = _as_list(texts)
    model = model if model is not None else load_model()
    if not texts:
        cols = ["text", "stance", "confidence", *[f"p_{c}" for c in LABELS]]
        return pd.DataFrame(columns=cols)
    proba = model.predict_proba(texts)
    classes = list(model.classes_)
    best = proba.argmax(axis=1)
    frame = pd.DataFrame({
        "text": texts,
        "stance": [classes[i] for i in best],
        "confidence": proba[np.arange(len(texts)), best].round(4),
    })
    for j, c in enumerate(classes):
        frame[f"p_{c}"] = proba[:, j].round(4)
    return frame


def explain(
    texts: Iterable[str], model: Pipeline, top: int = 5
) -> list[list[tuple[str, float]]]:
    """For each text, the features that pushed it towards its predicted label most.

    Works for the shipped pipeline shape (vectorizer features -> calibrated linear
    model): contribution = feature value x weight of the predicted class. Returns one
    list of ``(feature, contribution)`` pairs per text, strongest first.
    """
    texts = _as_list(texts)
    features = model.named_steps.get("features")
    clf = model.named_steps.get("clf")
    if features is None or clf is None:
        raise ModelError("--explain needs a pipeline with 'features' and 'clf' steps")
    inner = getattr(clf, "calibrated_classifiers_", [None])[0]
    linear = getattr(inner, "estimator", clf)
    if not hasattr(linear, "coef_"):
        raise ModelError("--explain needs a linear classifier (coef_)")
    x = features.transform(texts).tocsr()
    rows = [list(linear.classes_).index(label) for label in model.predict(texts)]
    names = features.get_feature_names_out()
    out = []
    for i, row in enumerate(rows):
        idx = x.indices[x.indptr[i]:x.indptr[i + 1]]
        contrib = x.data[x.indptr[i]:x.indptr[i + 1]] * linear.coef_[row, idx]
        order = np.argsort(-contrib)[:top]
        out.append([(str(names[idx[j]]), float(round(contrib[j], 4)))
                    for j in order if contrib[j] > 0])
    return out
